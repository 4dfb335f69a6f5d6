"""`probe tls`: measure endpoints with sslyze (nassl's legacy-capable OpenSSL) in parallel."""

from __future__ import annotations

import datetime as dt
import math
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit import catalogue
from auditkit.errors import AuditkitError, ValidationProblem
from auditkit.models.message import Message
from auditkit.probe import net
from auditkit.probe.assess import assess
from auditkit.probe.results import EndpointResult, HstsFacts, ProbeReport, WeakSuite

if TYPE_CHECKING:
    from sslyze.scanner.models import ServerScanResult

    from auditkit.probe import certs

EXTRA_HINT = "pip install 'auditkit[probe]'"
_ATTEMPTS = {
    "ssl2.0": "ssl_2_0_cipher_suites",
    "ssl3.0": "ssl_3_0_cipher_suites",
    "tls1.0": "tls_1_0_cipher_suites",
    "tls1.1": "tls_1_1_cipher_suites",
    "tls1.2": "tls_1_2_cipher_suites",
    "tls1.3": "tls_1_3_cipher_suites",
}
_WEAK_MARKS = (
    ("_RC4_", "RC4"),
    ("3DES", "3DES"),
    ("_DES_", "DES"),
    ("_DES40_", "DES"),
    ("_NULL_", "NULL"),
    ("EXPORT", "EXPORT"),
    ("_anon_", "anonymous"),
    ("_MD5", "MD5"),
    ("_RC2_", "RC2"),
    ("_IDEA_", "IDEA"),
)


class ProbeUnavailable(AuditkitError):
    """The optional scanner is not installed."""


def scanner_version() -> str:
    try:
        from sslyze.__version__ import __version__
    except ImportError:
        raise catalogue.error(ProbeUnavailable, "probe_unavailable", hint=EXTRA_HINT) from None
    return f"sslyze {__version__}"


def probe(
    targets: Sequence[str],
    ca_file: Path | None = None,
    timeout: float = 5.0,
    concurrency: int = 10,
) -> ProbeReport:
    """Probe each HOST[:PORT] once; every endpoint gets a result, errors included."""
    version = scanner_version()
    # sslyze's bundled stores hold a few roots that newer cryptography warns about
    warnings.filterwarnings("ignore", message="Parsed a serial number", module=r"sslyze\.")
    parsed = list(dict.fromkeys(net.parse_target(t) for t in targets))
    if not parsed:
        raise catalogue.error(ValidationProblem, "probe_no_target")
    stores = _trust_stores(ca_file)
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    results: dict[tuple[str, int], EndpointResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        contacts = {hp: pool.submit(_contact, *hp, timeout) for hp in parsed}
        reachable: dict[tuple[str, int], str] = {}
        hsts: dict[tuple[str, int], Future[HstsFacts]] = {}
        for (host, port), future in contacts.items():
            ip, error = future.result()
            if error or ip is None:
                results[host, port] = EndpointResult(
                    target=_label(host, port),
                    host=host,
                    port=port,
                    ip_address=ip,
                    error=str(error),
                    error_code=error.code if error else "",
                    error_params=error.params if error else {},
                )
                continue
            reachable[host, port] = ip
            hsts[host, port] = pool.submit(net.fetch_hsts, host, port, timeout)
        for scanned in _scan(reachable, ca_file, timeout, concurrency):
            key = (scanned.server_location.hostname, scanned.server_location.port)
            host = next(h for h, p in reachable if (h.encode("idna").decode(), p) == key)
            try:
                results[host, key[1]] = _endpoint(
                    host,
                    key[1],
                    scanned,
                    hsts[host, key[1]].result(),
                    stores,
                    time.monotonic() - clock,
                )
            except Exception as exc:  # a scanner surprise stays one line about one host
                results[host, key[1]] = EndpointResult(
                    target=_label(host, key[1]),
                    host=host,
                    port=key[1],
                    **_failed("probe_failed", f"{type(exc).__name__}: {exc}"),
                )
    ordered = [results[hp] for hp in parsed]
    return ProbeReport(
        scanner=version,
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        ca_file=str(ca_file) if ca_file else None,
        endpoints=ordered,
    )


def _label(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _contact(host: str, port: int, timeout: float) -> tuple[str | None, net.ProbeFailed | None]:
    try:
        ip = net.resolve(host, port)
    except net.ProbeFailed as exc:
        return None, exc
    try:
        net.first_contact(host, ip, port, timeout)
    except net.ProbeFailed as exc:
        return ip, exc
    return ip, None


def _trust_stores(ca_file: Path | None) -> list[certs.TrustStore]:
    from sslyze.plugins.certificate_info.trust_stores.trust_store_repository import (
        TrustStoresRepository,
    )

    from auditkit.probe import certs

    stores = []
    if ca_file is not None:
        try:
            store = certs.load_store(f"CA file {ca_file.name}", ca_file)
        except (OSError, ValueError) as exc:
            said = Message.of("probe_ca_unreadable", path=str(ca_file), detail=str(exc))
            raise ValidationProblem([said]) from None
        if not store.anchors:
            raise ValidationProblem([Message.of("probe_ca_empty", path=str(ca_file))])
        stores.append(store)
    mozilla = TrustStoresRepository.get_default().get_main_store()
    stores.append(certs.load_store(f"{mozilla.name} {mozilla.version}", mozilla.path))
    return stores


def _scan(
    reachable: dict[tuple[str, int], str], ca_file: Path | None, timeout: float, concurrency: int
) -> Any:
    from sslyze.plugins.certificate_info.implementation import CertificateInfoExtraArgument
    from sslyze.plugins.scan_commands import ScanCommand
    from sslyze.scanner.models import ScanCommandsExtraArguments, ServerScanRequest
    from sslyze.scanner.scanner import Scanner
    from sslyze.server_setting import ServerNetworkConfiguration, ServerNetworkLocation

    if not reachable:
        return []
    commands = {
        ScanCommand.SSL_2_0_CIPHER_SUITES,
        ScanCommand.SSL_3_0_CIPHER_SUITES,
        ScanCommand.TLS_1_0_CIPHER_SUITES,
        ScanCommand.TLS_1_1_CIPHER_SUITES,
        ScanCommand.TLS_1_2_CIPHER_SUITES,
        ScanCommand.TLS_1_3_CIPHER_SUITES,
        ScanCommand.CERTIFICATE_INFO,
    }
    extra = ScanCommandsExtraArguments(
        certificate_info=CertificateInfoExtraArgument(custom_ca_file=ca_file) if ca_file else None
    )
    requests = [
        ServerScanRequest(
            server_location=ServerNetworkLocation(hostname=host, port=port, ip_address=ip),
            network_configuration=ServerNetworkConfiguration(
                tls_server_name_indication=host,
                network_timeout=max(1, math.ceil(timeout)),
                network_max_retries=1,
            ),
            scan_commands=commands,
            scan_commands_extra_arguments=extra,
        )
        for (host, port), ip in reachable.items()
    ]
    scanner = Scanner(
        per_server_concurrent_connections_limit=5,
        concurrent_server_scans_limit=max(1, concurrency),
    )
    scanner.queue_scans(requests)
    return scanner.get_results()


def _endpoint(
    host: str,
    port: int,
    scanned: ServerScanResult,
    hsts: HstsFacts,
    stores: list[certs.TrustStore],
    seconds: float,
) -> EndpointResult:
    base: dict[str, Any] = {
        "target": _label(host, port),
        "host": host,
        "port": port,
        "ip_address": scanned.server_location.ip_address,
        "seconds": round(seconds, 2),
    }
    if scanned.scan_result is None or scanned.connectivity_result is None:
        trace = scanned.connectivity_error_trace
        if not trace:
            return EndpointResult(**base, **_failed("probe_no_handshake", ""))
        reason = str(trace).strip().splitlines()[-1]
        return EndpointResult(
            **base, **_failed("probe_handshake_failed", reason.split("->", 1)[-1])
        )
    notes: list[str] = []
    protocols: dict[str, bool] = {}
    suites: dict[str, list[str]] = {}
    weak: list[WeakSuite] = []
    for version, field in _ATTEMPTS.items():
        attempt = getattr(scanned.scan_result, field)
        if attempt.result is None:
            reason = attempt.error_reason.value if attempt.error_reason else attempt.status.value
            notes.append(f"{version}: not measured ({reason})")
            continue
        accepted = attempt.result.accepted_cipher_suites
        protocols[version] = bool(accepted)
        if accepted:
            suites[version] = [a.cipher_suite.name for a in accepted]
        for item in accepted:
            reasons = weakness(item.cipher_suite.name, item.cipher_suite.is_anonymous)
            if reasons:
                weak.append(
                    WeakSuite(protocol=version, name=item.cipher_suite.name, reasons=reasons)
                )
    negotiated = scanned.connectivity_result.cipher_suite_supported
    tls13 = scanned.connectivity_result.highest_tls_version_supported.name == "TLS_1_3"
    all_suites = [(v, name) for v, names in suites.items() for name in names]
    from auditkit.probe import certs

    certificate = None
    info = scanned.scan_result.certificate_info
    if info.result is not None and info.result.certificate_deployments:
        chain = info.result.certificate_deployments[0].received_certificate_chain
        certificate = certs.analyze(chain, host, stores, dt.datetime.now(dt.UTC))
    else:
        notes.append("certificate: not retrieved")
    result = EndpointResult(
        **base,
        protocols=protocols,
        cipher_suites=suites,
        weak_cipher_suites=weak,
        negotiated_cipher=negotiated,
        forward_secrecy_preferred=tls13 or negotiated.startswith(("ECDHE-", "DHE-", "EDH-")),
        forward_secrecy_only=bool(all_suites) and all(forward_secret(v, n) for v, n in all_suites),
        aead_preferred=tls13 or any(m in negotiated for m in ("GCM", "CHACHA20", "CCM")),
        certificate=certificate,
        hsts=hsts,
        notes=notes,
    )
    return result.model_copy(update={"findings": assess(result)})


def weakness(name: str, anonymous: bool = False) -> list[str]:
    """Why an accepted suite (RFC name) is weak; empty when it is not."""
    reasons = [label for mark, label in _WEAK_MARKS if mark in name]
    if anonymous and "anonymous" not in reasons:
        reasons.append("anonymous")
    if name.startswith("TLS_RSA_"):
        reasons.append("static RSA key exchange")
    return list(dict.fromkeys(reasons))


def forward_secret(version: str, name: str) -> bool:
    return version == "tls1.3" or name.startswith(("TLS_ECDHE_", "TLS_DHE_"))


def _failed(code: str, detail: str) -> dict[str, Any]:
    """An endpoint's error: its English text and the catalogue message saying it."""
    params: dict[str, str | int] = {"detail": _one_line(detail)} if detail else {}
    english = catalogue.load("en").render(Message.of(code, **params))
    return {"error": english, "error_code": code, "error_params": params}


def _one_line(text: str) -> str:
    return " ".join(text.split()).strip(' ".') or "no TLS handshake completed"
