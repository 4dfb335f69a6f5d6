"""Findings with a severity from what was measured at one endpoint."""

from __future__ import annotations

from auditkit import catalogue
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


def _finding(code: str, severity: Severity, form: str = "", **params: str | int) -> ProbeFinding:
    """A finding whose English `message` comes from the catalogue (`probe_<code>[_<form>]`)."""
    made = ProbeFinding(code=code, severity=severity, message="", params=params, form=form)
    return made.model_copy(update={"message": catalogue.load("en").render(made.said)})


def assess(result: EndpointResult) -> list[ProbeFinding]:
    found = _protocol_findings(result) + _certificate_findings(result) + _hsts_findings(result)
    order = {s: i for i, s in enumerate(reversed(list(Severity)))}
    return sorted(found, key=lambda f: order[f.severity])


def _protocol_findings(result: EndpointResult) -> list[ProbeFinding]:
    found = []
    ssl = [PROTOCOL_NAMES[v] for v in ("ssl2.0", "ssl3.0") if result.protocols.get(v)]
    if ssl:
        found.append(_finding("ssl_protocol", Severity.CRITICAL, protocols=", ".join(ssl)))
    old = [PROTOCOL_NAMES[v] for v in LEGACY_PROTOCOLS[2:] if result.protocols.get(v)]
    if old:
        found.append(_finding("legacy_protocol", Severity.HIGH, protocols=", ".join(old)))
    if result.protocols and not result.protocols.get("tls1.3"):
        found.append(_finding("no_tls13", Severity.LOW))
    if result.weak_cipher_suites:
        named = [f"{w.name} ({', '.join(w.reasons)})" for w in result.weak_cipher_suites]
        form = "more" if len(named) > 3 else ""
        suites = "; ".join(named[:3])
        found.append(
            _finding("weak_cipher", Severity.HIGH, form, suites=suites, more=len(named) - 3)
        )
    if result.forward_secrecy_preferred is False:
        found.append(
            _finding("no_forward_secrecy", Severity.MEDIUM, cipher=str(result.negotiated_cipher))
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
                day=str(cert.not_after.date()),
                days=-cert.days_to_expiry,
            )
        )
    elif cert.not_yet_valid:
        found.append(_finding("cert_not_yet_valid", Severity.HIGH, day=str(cert.not_before.date())))
    elif cert.days_to_expiry <= EXPIRY_WARNING_DAYS:
        found.append(
            _finding(
                "cert_expiring",
                Severity.MEDIUM,
                day=str(cert.not_after.date()),
                days=cert.days_to_expiry,
            )
        )
    if not cert.hostname_matches:
        if cert.names:
            names = ", ".join(cert.names[:5])
            found.append(
                _finding("hostname_mismatch", Severity.HIGH, host=result.host, names=names)
            )
        else:
            found.append(_finding("hostname_mismatch", Severity.HIGH, "no_san", host=result.host))
    if cert.self_signed:
        found.append(_finding("self_signed", Severity.HIGH))
    elif not cert.chain_complete:
        found.append(_finding("chain_incomplete", Severity.MEDIUM, issuer=repr(cert.issuer)))
    explained = cert.expired or cert.not_yet_valid or cert.self_signed or not cert.chain_complete
    weak_signature = cert.signature_hash in ("sha1", "md5", "md2", "md4")
    if not cert.chain_valid and not explained and not weak_signature:
        found.append(_finding("untrusted", Severity.HIGH, error=str(cert.validation_error)))
    weak_key = (cert.key_type in ("RSA", "DSA") and cert.key_size < 2048) or (
        cert.key_type == "EC" and cert.key_size < 256
    )
    if weak_key:
        found.append(_finding("weak_key", Severity.HIGH, type=cert.key_type, size=cert.key_size))
    if weak_signature:
        found.append(
            _finding("weak_signature", Severity.HIGH, algorithm=str(cert.signature_algorithm))
        )
    return found


def _hsts_findings(result: EndpointResult) -> list[ProbeFinding]:
    hsts = result.hsts
    if hsts is None:
        return []
    if hsts.error:
        if hsts.error_form:  # the cause as a message of its own (older results: English text)
            return [_finding("hsts_unknown", Severity.LOW, hsts.error_form, **hsts.error_params)]
        return [_finding("hsts_unknown", Severity.LOW, error=hsts.error)]
    if hsts.header is None or not hsts.max_age:
        status = str(hsts.status)
        if hsts.redirect_location:
            where = hsts.redirect_location
            return [_finding("hsts_missing", Severity.MEDIUM, "redirect", status=status, to=where)]
        return [_finding("hsts_missing", Severity.MEDIUM, status=status)]
    short, wide = hsts.max_age < ONE_YEAR, hsts.include_subdomains
    if short or not wide:
        form = "short" if wide else "no_subdomains" if not short else "short_no_subdomains"
        return [_finding("hsts_weak", Severity.LOW, form, max_age=hsts.max_age)]
    return []
