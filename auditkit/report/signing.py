"""PAdES signatures on reports, with pyHanko: sign bytes, check bytes. No files, no clock reads
of our own, no database.

A signature is an incremental update appended to the reproducible report bytes, so the unsigned
report stays a byte prefix of the signed one. `check` accepts a signature only when it is
cryptographically valid, covers the entire file (nothing appended after signing) and, when
trust roots are given, chains to one of them.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditkit import catalogue
from auditkit.errors import AuditkitError, VerificationFailed

for _name in ("pyhanko", "pyhanko_certvalidator"):  # failures are reported as one-line errors
    logging.getLogger(_name).setLevel(logging.CRITICAL)
FIELD_NAME = "auditkit-signature"


class SigningError(AuditkitError):
    """The signing key or certificate cannot be used (message names the problem)."""


@dataclass(frozen=True)
class SigningIdentity:
    """A loaded key and certificate chain, ready to sign."""

    signer: Any  # pyhanko.sign.signers.SimpleSigner (pyHanko has no type hints)
    subject: str


@dataclass(frozen=True)
class SignatureCheck:
    """What a valid signature proves: who signed, when (as the signer states), and whether
    the certificate chains to a given trust root."""

    signer: str
    signed_at: dt.datetime | None
    trusted: bool
    signed_length: int  # bytes covered; equals the file length
    revisions: int  # revisions in the file, the signed one last


def _identity(key: Any, cert: Any, chain: Sequence[Any]) -> SigningIdentity:
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signing_cert = translate_pyca_cryptography_cert_to_asn1(cert)
    others = [translate_pyca_cryptography_cert_to_asn1(c) for c in chain]
    signer = SimpleSigner(
        signing_cert=signing_cert,
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=SimpleCertificateStore.from_certs([signing_cert, *others]),  # type: ignore[no-untyped-call]
    )
    return SigningIdentity(signer, signer_name(signing_cert))


def signer_name(cert: Any) -> str:
    """`Common name (Organisation)` from a certificate's subject, or its full subject."""
    subject = cert.subject.native
    name, org = subject.get("common_name"), subject.get("organization_name")
    if not name:
        return str(cert.subject.human_friendly)
    return f"{name} ({org})" if org else str(name)


def load_pkcs12(data: bytes, password: bytes | None) -> SigningIdentity:
    """A PKCS#12 (.p12/.pfx) bundle: key, certificate and optional chain."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as exc:
        code = "sign_bad_p12_password" if "password" in str(exc).lower() else "sign_bad_p12"
        raise catalogue.error(SigningError, code, detail=str(exc)) from None
    if key is None or cert is None:
        raise catalogue.error(SigningError, "sign_p12_incomplete")
    return _identity(key, cert, chain)


def load_pem(key_data: bytes, cert_data: bytes, password: bytes | None) -> SigningIdentity:
    """A private key (PEM or DER) and a certificate file (PEM: the signer first, then its chain)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        if b"-----BEGIN" in key_data:
            key = serialization.load_pem_private_key(key_data, password)
        else:
            key = serialization.load_der_private_key(key_data, password)
    except (ValueError, TypeError) as exc:
        raise catalogue.error(SigningError, "sign_bad_key", detail=str(exc)) from None
    try:
        if b"-----BEGIN" in cert_data:
            certs = x509.load_pem_x509_certificates(cert_data)
        else:
            certs = [x509.load_der_x509_certificate(cert_data)]
    except ValueError as exc:
        raise catalogue.error(SigningError, "sign_bad_cert", detail=str(exc)) from None
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if certs[0].public_key().public_bytes(*spki) != key.public_key().public_bytes(*spki):
        raise catalogue.error(SigningError, "sign_cert_mismatch")
    return _identity(key, certs[0], certs[1:])


def sign(pdf: bytes, identity: SigningIdentity) -> bytes:
    """`pdf` with a PAdES baseline signature appended as one incremental update.

    PDF/A-3b is PDF 1.7: the update declares only the PAdES (ESIC) extension, never PDF 2.0,
    and the document information's Producer is set to what pyHanko writes into the XMP
    metadata, so the two stay equal."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.constants import ESIC_EXTENSION_1

    class Pdf17Signer(signers.PdfSigner):
        def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
            pdf_out.ensure_output_version(version=(1, 7))
            pdf_out.register_extension(ESIC_EXTENSION_1)

    if identity.signer.signing_cert.public_key.algorithm not in ("rsa", "ec"):
        raise catalogue.error(SigningError, "sign_key_type")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        info_ref = writer.trailer.raw_get("/Info")
        info_ref.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason="auditkit report",
        )
        out = Pdf17Signer(meta, signer=identity.signer).sign_pdf(writer)
    except SigningError:
        raise
    except Exception as exc:  # pyHanko raises many types
        detail = f"{type(exc).__name__}: {exc}"
        raise catalogue.error(SigningError, "sign_failed", detail=detail) from None
    signed: bytes = out.getvalue()
    return signed


def trust_roots(data: bytes) -> list[Any]:
    """Certificates from a PEM file (one or more) or a DER file, as trust roots."""
    from cryptography import x509
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1

    try:
        certs = (
            x509.load_pem_x509_certificates(data)
            if b"-----BEGIN" in data
            else [x509.load_der_x509_certificate(data)]
        )
    except ValueError as exc:
        raise catalogue.error(VerificationFailed, "not_certificate", detail=str(exc)) from None
    return [translate_pyca_cryptography_cert_to_asn1(c) for c in certs]


def _reader(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko raises many types on damaged files
        detail = f"{type(exc).__name__}: {exc}"
        raise catalogue.error(VerificationFailed, "verify_unreadable", detail=detail) from None


def check(pdf: bytes, roots: Sequence[Any] | None) -> SignatureCheck | None:
    """None when the PDF carries no signature; otherwise the signature's facts, or
    VerificationFailed naming the first thing wrong. `roots`: None = do not judge trust."""
    reader = _reader(pdf)
    try:
        signatures = reader.embedded_signatures
    except Exception as exc:
        raise catalogue.error(
            VerificationFailed, "signatures_unreadable", detail=str(exc)
        ) from None
    if not signatures:
        return None
    if len(signatures) != 1:
        raise catalogue.error(VerificationFailed, "signatures_many", count=len(signatures))
    embedded = signatures[0]
    offsets = [int(n) for n in embedded.byte_range]
    covered = offsets[2] + offsets[3]
    if covered != len(pdf) or embedded.signed_revision != reader.xrefs.total_revisions - 1:
        appended = f"{len(pdf) - covered:,}"
        raise catalogue.error(VerificationFailed, "signature_appended", size=appended)
    return _validate(embedded, roots, covered, reader.xrefs.total_revisions)


def _validate(
    embedded: Any, roots: Sequence[Any] | None, covered: int, revisions: int
) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=list(roots or []), allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:
        raise catalogue.error(VerificationFailed, "signature_invalid", detail=str(exc)) from None
    who = signer_name(status.signing_cert)
    if not status.intact or not status.valid:
        raise catalogue.error(VerificationFailed, "signature_mismatch", signer=who)
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        raise catalogue.error(VerificationFailed, "signature_partial")
    if roots is not None and not status.trusted:
        why = str(status.trust_problem_indic or "untrusted")
        raise catalogue.error(VerificationFailed, "signature_untrusted", signer=who, why=why)
    trusted = roots is not None and bool(status.trusted)
    return SignatureCheck(who, status.signer_reported_dt, trusted, covered, revisions)
