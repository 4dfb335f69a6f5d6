"""Facts about the certificate chain a server sent: dates, names, key, signature, trust."""

from __future__ import annotations

import datetime as dt
import ipaddress
import warnings
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from auditkit.probe.results import CertificateFacts


@dataclass(frozen=True)
class TrustStore:
    name: str
    anchors: tuple[x509.Certificate, ...]


def load_store(name: str, path: Path) -> TrustStore:
    """PEM roots from a file; a file without any is refused by the caller."""
    with warnings.catch_warnings():  # public stores hold a few roots with odd serial numbers
        warnings.simplefilter("ignore")
        return TrustStore(name, tuple(x509.load_pem_x509_certificates(path.read_bytes())))


def analyze(
    chain: list[x509.Certificate], host: str, stores: list[TrustStore], now: dt.datetime
) -> CertificateFacts:
    leaf = chain[0]
    not_before, not_after = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    names = san_entries(leaf)
    key_type, key_size, curve = describe_key(leaf)
    hash_algorithm = leaf.signature_hash_algorithm
    trusted_by, error = validate(chain, names, stores, now)
    return CertificateFacts(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        serial=format(leaf.serial_number, "x"),
        sha256_fingerprint=leaf.fingerprint(hashes.SHA256()).hex(),
        not_before=not_before,
        not_after=not_after,
        days_to_expiry=(not_after - now).days,
        expired=not_after < now,
        not_yet_valid=not_before > now,
        names=names,
        hostname_matches=hostname_matches(host, names),
        self_signed=is_self_signed(leaf),
        chain_sent=[c.subject.rfc4514_string() for c in chain],
        chain_complete=chain_complete(chain, stores, bool(trusted_by)),
        chain_valid=bool(trusted_by),
        trusted_by=trusted_by,
        validation_error=error,
        key_type=key_type,
        key_size=key_size,
        key_curve=curve,
        signature_algorithm=signature_name(leaf),
        signature_hash=hash_algorithm.name if hash_algorithm else None,
    )


def san_entries(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    dns = san.get_values_for_type(x509.DNSName)
    ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    return [*dns, *ips]


def hostname_matches(host: str, names: list[str]) -> bool:
    """RFC 6125 against subjectAltName only (as browsers do): an IP address matches only an IP
    entry; a DNS name matches exactly or through one left-most `*` label, never on a bare
    public suffix. The subject common name is not consulted."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        return any(_same_ip(address, name) for name in names)
    wanted = host.rstrip(".").lower().split(".")
    for name in names:
        pattern = name.rstrip(".").lower().split(".")
        if len(pattern) != len(wanted) or _is_ip(name):
            continue
        if pattern == wanted:
            return True
        if pattern[0] == "*" and len(pattern) >= 3 and pattern[1:] == wanted[1:]:
            return True
    return False


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _same_ip(address: ipaddress.IPv4Address | ipaddress.IPv6Address, name: str) -> bool:
    try:
        return ipaddress.ip_address(name) == address
    except ValueError:
        return False


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # any failure (wrong key type, bad signature) means "not self-signed"
        return False
    return True


def describe_key(cert: x509.Certificate) -> tuple[str, int, str | None]:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size, key.curve.name
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, None
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456, None
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, None
    return type(key).__name__, 0, None


def signature_name(cert: x509.Certificate) -> str:
    oid = cert.signature_algorithm_oid
    return getattr(oid, "_name", None) or oid.dotted_string


def validate(
    chain: list[x509.Certificate], names: list[str], stores: list[TrustStore], now: dt.datetime
) -> tuple[list[str], str | None]:
    """Which stores the chain, as sent, validates to. The hostname is judged separately, so
    the leaf is checked against one of its own names here."""
    if not names:
        return [], "the certificate has no subjectAltName"
    subject: x509.DNSName | x509.IPAddress = (
        x509.IPAddress(ipaddress.ip_address(names[0]))
        if _is_ip(names[0])
        else x509.DNSName(names[0].replace("*", "wildcard", 1))
    )
    trusted, error = [], None
    for store in stores:
        if not store.anchors:
            continue
        verifier = PolicyBuilder().store(Store(list(store.anchors))).time(now)
        try:
            verifier.build_server_verifier(subject).verify(chain[0], chain[1:])
        except VerificationError as exc:
            error = error or f"{store.name}: {_short(str(exc))}"
            continue
        except ValueError as exc:
            error = error or f"{store.name}: {_short(str(exc))}"
            continue
        trusted.append(store.name)
    return trusted, None if trusted else error


def _short(message: str) -> str:
    message = message.removeprefix("validation failed: ")
    return message.split(" (encountered processing", 1)[0]


def chain_complete(chain: list[x509.Certificate], stores: list[TrustStore], valid: bool) -> bool:
    """The server sent its leaf's issuers: the chain validates, ends in a root or a trust
    anchor's child, or ends in a CA certificate (whose own root may just be unknown here)."""
    last = chain[-1]
    if valid or last.issuer == last.subject:
        return True
    if any(anchor.subject == last.issuer for store in stores for anchor in store.anchors):
        return True
    return len(chain) > 1 and _is_ca(last)


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False
