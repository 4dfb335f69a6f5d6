"""What a TLS probe measured, per endpoint: the `--json` output and the evidence file."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from auditkit.models.checklist import Severity
from auditkit.models.common import Strict
from auditkit.models.message import Message

PROTOCOLS = ("ssl2.0", "ssl3.0", "tls1.0", "tls1.1", "tls1.2", "tls1.3")
LEGACY_PROTOCOLS = ("ssl2.0", "ssl3.0", "tls1.0", "tls1.1")
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


class ProbeFinding(Strict):
    code: str  # stable identifier, e.g. "legacy_protocol", "weak_key"
    severity: Severity
    message: str  # in English; `said` is the same statement as a catalogue message
    params: dict[str, str | int] = Field(default_factory=dict)
    form: str = ""  # which wording of `code` (e.g. hsts_weak: "short", "no_subdomains")

    @property
    def said(self) -> Message:
        code = f"probe_{self.code}" + (f"_{self.form}" if self.form else "")
        return Message.of(code, **self.params)


class WeakSuite(Strict):
    protocol: str
    name: str
    reasons: list[str]  # "RC4", "3DES", "NULL", "EXPORT", "anonymous", "static RSA", ...


class CertificateFacts(Strict):
    subject: str
    issuer: str
    serial: str
    sha256_fingerprint: str
    not_before: dt.datetime
    not_after: dt.datetime
    days_to_expiry: int
    expired: bool
    not_yet_valid: bool
    names: list[str]  # subjectAltName entries (DNS names and IP addresses)
    hostname_matches: bool
    self_signed: bool
    chain_sent: list[str]  # subjects of the certificates the server sent, leaf first
    chain_complete: bool
    chain_valid: bool  # validates to a trust store (the given CA file or Mozilla's)
    trusted_by: list[str]
    validation_error: str | None = None
    key_type: str  # RSA, EC, Ed25519, Ed448, DSA
    key_size: int
    key_curve: str | None = None
    signature_algorithm: str  # e.g. sha256WithRSAEncryption
    signature_hash: str | None  # e.g. sha256, sha1, md5 (None for Ed25519)


class HstsFacts(Strict):
    status: int | None = None  # HTTP status of GET /
    header: str | None = None
    max_age: int | None = None
    include_subdomains: bool = False
    preload: bool = False
    redirect_location: str | None = None  # recorded, never followed
    error: str | None = None  # in English
    error_form: str = ""  # which wording of the probe_hsts_unknown message says it
    error_params: dict[str, str | int] = Field(default_factory=dict)


class EndpointResult(Strict):
    target: str  # as given: HOST[:PORT]
    host: str
    port: int
    ip_address: str | None = None
    error: str | None = None  # the endpoint could not be probed at all (English)
    error_code: str = ""  # the same as a catalogue message, when it has one
    error_params: dict[str, str | int] = Field(default_factory=dict)
    protocols: dict[str, bool] = Field(default_factory=dict)  # every version, accepted or not
    cipher_suites: dict[str, list[str]] = Field(default_factory=dict)  # accepted, per version
    weak_cipher_suites: list[WeakSuite] = Field(default_factory=list)
    negotiated_cipher: str | None = None  # what the server picks for a default client
    forward_secrecy_preferred: bool | None = None
    forward_secrecy_only: bool | None = None  # every accepted suite has ephemeral keys
    aead_preferred: bool | None = None
    certificate: CertificateFacts | None = None
    hsts: HstsFacts | None = None
    notes: list[str] = Field(default_factory=list)  # parts that could not be measured
    findings: list[ProbeFinding] = Field(default_factory=list)
    seconds: float = 0.0

    @property
    def error_said(self) -> Message:
        if self.error_code:
            return Message.of(self.error_code, **self.error_params)
        return Message.of("plain", text=self.error or "")

    @property
    def worst(self) -> str:
        if self.error:
            return "error"
        if not self.findings:
            return "ok"
        return min(self.findings, key=lambda f: SEVERITY_ORDER[f.severity.value]).severity.value


class ProbeReport(Strict):
    probe: str = "tls"
    scanner: str  # e.g. "sslyze 6.3.1"
    started_at: dt.datetime
    finished_at: dt.datetime
    ca_file: str | None = None
    endpoints: list[EndpointResult]
