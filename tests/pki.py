"""A throw-away PKI for signing tests: a CA, a signing certificate it issued, and an
unrelated self-made one, written as PKCS#12 and PEM files into a directory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Pki:
    ca_pem: Path  # the trust root
    p12: Path  # key + certificate issued by the CA, protected by PASSWORD
    key_pem: Path  # the same key, unencrypted PEM
    cert_pem: Path  # its certificate, then the CA certificate
    rogue_p12: Path  # a self-made "CA" and key that nobody trusts, same subject name
    signer_name: str


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Auditkit Test Org"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _cert(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer_key: ec.EllipticCurvePrivateKey,
    ca: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def _issue(
    ca_name: str, signer_name: str
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey, x509.Certificate]:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert(_name(ca_name), _name(ca_name), ca_key, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert(_name(signer_name), _name(ca_name), key, ca_key, ca=False)
    return ca, key, cert


def _p12(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate, ca: x509.Certificate) -> bytes:
    encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
    return pkcs12.serialize_key_and_certificates(b"signer", key, cert, [ca], encryption)


def make(directory: Path) -> Pki:
    directory.mkdir(parents=True, exist_ok=True)
    signer_name = "Aiko Tanaka"
    ca, key, cert = _issue("Auditkit Test Root CA", signer_name)
    rogue_ca, rogue_key, rogue_cert = _issue("Auditkit Test Root CA", signer_name)
    pem = serialization.Encoding.PEM
    paths = Pki(
        ca_pem=directory / "ca.pem",
        p12=directory / "signer.p12",
        key_pem=directory / "signer.key.pem",
        cert_pem=directory / "signer.cert.pem",
        rogue_p12=directory / "rogue.p12",
        signer_name=f"{signer_name} (Auditkit Test Org)",
    )
    paths.ca_pem.write_bytes(ca.public_bytes(pem))
    paths.p12.write_bytes(_p12(key, cert, ca))
    paths.key_pem.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths.cert_pem.write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    paths.rogue_p12.write_bytes(_p12(rogue_key, rogue_cert, rogue_ca))
    return paths
