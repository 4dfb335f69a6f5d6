"""Findings with a severity from what was measured at one endpoint."""

from __future__ import annotations

from auditkit.models.checklist import Severity
from auditkit.probe.results import LEGACY_PROTOCOLS, EndpointResult, ProbeFinding

EXPIRY_WARNING_DAYS = 30
ONE_YEAR = 31_536_000
PROTOCOL_NAMES = {
    "ssl2.0": "SSL 2.0",
    "ssl3.0": "SSL 3.0",
    "tls1.0": "TLS 1.0",
    "tls1.1": "TLS 1.1",
    "tls1.2": "TLS 1.2",
    "tls1.3": "TLS 1.3",
}


def _finding(code: str, severity: Severity, message: str) -> ProbeFinding:
    return ProbeFinding(code=code, severity=severity, message=message)


def assess(result: EndpointResult) -> list[ProbeFinding]:
    found = _protocol_findings(result) + _certificate_findings(result) + _hsts_findings(result)
    order = {s: i for i, s in enumerate(reversed(list(Severity)))}
    return sorted(found, key=lambda f: order[f.severity])


def _protocol_findings(result: EndpointResult) -> list[ProbeFinding]:
    found = []
    ssl = [PROTOCOL_NAMES[v] for v in ("ssl2.0", "ssl3.0") if result.protocols.get(v)]
    if ssl:
        found.append(_finding("ssl_protocol", Severity.CRITICAL, f"{', '.join(ssl)} accepted"))
    old = [PROTOCOL_NAMES[v] for v in LEGACY_PROTOCOLS[2:] if result.protocols.get(v)]
    if old:
        found.append(_finding("legacy_protocol", Severity.HIGH, f"{', '.join(old)} accepted"))
    if result.protocols and not result.protocols.get("tls1.3"):
        found.append(_finding("no_tls13", Severity.LOW, "TLS 1.3 not offered"))
    if result.weak_cipher_suites:
        named = [f"{w.name} ({', '.join(w.reasons)})" for w in result.weak_cipher_suites]
        more = f" and {len(named) - 3} more" if len(named) > 3 else ""
        found.append(
            _finding(
                "weak_cipher",
                Severity.HIGH,
                f"weak cipher suites accepted: {'; '.join(named[:3])}{more}",
            )
        )
    if result.forward_secrecy_preferred is False:
        found.append(
            _finding(
                "no_forward_secrecy",
                Severity.MEDIUM,
                f"forward secrecy not preferred (server picks {result.negotiated_cipher})",
            )
        )
    return found


def _certificate_findings(result: EndpointResult) -> list[ProbeFinding]:
    cert = result.certificate
    if cert is None:
        return []
    found = []
    if cert.expired:
        found.append(
            _finding(
                "cert_expired",
                Severity.CRITICAL,
                f"certificate expired on {cert.not_after.date()} ({-cert.days_to_expiry} days ago)",
            )
        )
    elif cert.not_yet_valid:
        found.append(
            _finding(
                "cert_not_yet_valid",
                Severity.HIGH,
                f"certificate valid only from {cert.not_before.date()}",
            )
        )
    elif cert.days_to_expiry <= EXPIRY_WARNING_DAYS:
        found.append(
            _finding(
                "cert_expiring",
                Severity.MEDIUM,
                f"certificate expires on {cert.not_after.date()} (in {cert.days_to_expiry} days)",
            )
        )
    if not cert.hostname_matches:
        names = ", ".join(cert.names[:5]) or "no subjectAltName"
        found.append(
            _finding(
                "hostname_mismatch",
                Severity.HIGH,
                f"certificate does not match {result.host} (it names {names})",
            )
        )
    if cert.self_signed:
        found.append(_finding("self_signed", Severity.HIGH, "self-signed certificate"))
    elif not cert.chain_complete:
        found.append(
            _finding(
                "chain_incomplete",
                Severity.MEDIUM,
                f"incomplete chain: the server does not send the issuer {cert.issuer!r}",
            )
        )
    explained = cert.expired or cert.not_yet_valid or cert.self_signed or not cert.chain_complete
    weak_signature = cert.signature_hash in ("sha1", "md5", "md2", "md4")
    if not cert.chain_valid and not explained and not weak_signature:
        found.append(
            _finding(
                "untrusted",
                Severity.HIGH,
                f"chain does not validate to a trust store ({cert.validation_error})",
            )
        )
    weak_key = (cert.key_type in ("RSA", "DSA") and cert.key_size < 2048) or (
        cert.key_type == "EC" and cert.key_size < 256
    )
    if weak_key:
        found.append(
            _finding("weak_key", Severity.HIGH, f"weak key: {cert.key_type} {cert.key_size} bits")
        )
    if weak_signature:
        found.append(
            _finding(
                "weak_signature",
                Severity.HIGH,
                f"weak signature algorithm: {cert.signature_algorithm}",
            )
        )
    return found


def _hsts_findings(result: EndpointResult) -> list[ProbeFinding]:
    hsts = result.hsts
    if hsts is None:
        return []
    if hsts.error:
        return [_finding("hsts_unknown", Severity.LOW, f"HSTS not checked: {hsts.error}")]
    if hsts.header is None or not hsts.max_age:
        status = f"HTTP {hsts.status}"
        if hsts.redirect_location:
            status += f", redirect to {hsts.redirect_location} not followed"
        return [
            _finding(
                "hsts_missing",
                Severity.MEDIUM,
                f"no Strict-Transport-Security on GET / ({status})",
            )
        ]
    if hsts.max_age < ONE_YEAR or not hsts.include_subdomains:
        parts = []
        if hsts.max_age < ONE_YEAR:
            parts.append(f"max-age {hsts.max_age} s is under one year")
        if not hsts.include_subdomains:
            parts.append("no includeSubDomains")
        return [_finding("hsts_weak", Severity.LOW, f"HSTS {'; '.join(parts)}")]
    return []
