"""Checking a report (pure, bytes in): the embedded audit JSON is intact and canonical, the score
it states follows from the checklists, profile and answers it carries, the pages are exactly what
that JSON renders to, and what a signature proves.

A report is either signed by a trusted key and intact, or equal to the audit in a database
(checked by `auditkit.services.verify`); otherwise it is "self-consistent only", which proves
nothing about who made it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit.errors import VerificationFailed
from auditkit.report import audit_data, signing
from auditkit.report.renderers import render_pdf

ATTACHMENT_NAME = "audit.json"
SIGNED, DATABASE, SELF_CONSISTENT = "signed", "database", "self-consistent"
UNSIGNED_REVISIONS = 1  # a rendered report is written in one piece; a signature adds one update


@dataclass
class Verification:
    path: str
    sha256: str
    report_id: str = ""
    audit_id: int = 0
    outcome: str = SELF_CONSISTENT
    statement: str = "self-consistent only (unsigned, not authenticated)"
    signer: str | None = None
    signed_at: str | None = None
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Only a trusted signature or a database match proves where the report came from."""
        return self.outcome in (SIGNED, DATABASE)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "report_id": self.report_id,
            "audit_id": self.audit_id,
            "outcome": self.outcome,
            "statement": self.statement,
            "signer": self.signer,
            "signed_at": self.signed_at,
            "checks": self.checks,
            "ok": self.ok,
        }


def embedded_json(pdf: bytes) -> bytes:
    """The one embedded file, audit.json; anything else attached is a failure."""
    from pypdf import PdfReader

    try:
        attachments = PdfReader(io.BytesIO(pdf)).attachments
        names = sorted(attachments)
        files = {name: attachments[name] for name in names}
    except Exception as exc:  # pypdf raises many types on damaged files
        raise VerificationFailed(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None
    if names != [ATTACHMENT_NAME] or len(files[ATTACHMENT_NAME]) != 1:
        raise VerificationFailed(
            f"expected exactly one attachment {ATTACHMENT_NAME}, found {names or 'none'}"
        )
    return bytes(files[ATTACHMENT_NAME][0])


def parse(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerificationFailed(f"embedded {ATTACHMENT_NAME} is not valid JSON ({exc})") from None
    found = doc.get("format") if isinstance(doc, dict) else None
    if (
        isinstance(found, str)
        and found.startswith("auditkit.report/")
        and found != audit_data.FORMAT
    ):
        raise VerificationFailed(
            f"embedded {ATTACHMENT_NAME} is an {found} export from another auditkit release "
            f"(this one reads {audit_data.FORMAT}); verify it with the release that rendered it"
        )
    if not isinstance(doc, dict) or found != audit_data.FORMAT:
        raise VerificationFailed(f"embedded {ATTACHMENT_NAME} is not an {audit_data.FORMAT} export")
    claimed = (doc.get(audit_data.REPORT_KEY) or {}).get("id")
    if claimed != audit_data.report_id(doc):
        raise VerificationFailed(
            f"report id {claimed} does not match the embedded data ({audit_data.report_id(doc)})"
        )
    if audit_data.dumps(doc) != raw:
        raise VerificationFailed(f"embedded {ATTACHMENT_NAME} is not in canonical form")
    return doc


def first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    keys = sorted(set(a) | set(b))
    return next((k for k in keys if a.get(k) != b.get(k)), "?")


def recompute(doc: dict[str, Any]) -> audit_data.ReportInput:
    """Re-score the embedded data alone; the stated scores must be what comes out."""
    data = audit_data.from_document(doc)
    again = audit_data.document(data, doc[audit_data.REPORT_KEY]["lang"])
    stated, scores = doc.get("scores") or {}, again["scores"]
    if stated != scores:
        raise VerificationFailed(
            f"the stated score (overall {stated.get('overall')}, rating {stated.get('rating')}) "
            "does not follow from the embedded checklists, profile and answers "
            f"(recomputed: overall {scores['overall']}, rating {scores['rating']})"
        )
    if again != doc:
        raise VerificationFailed(
            f"the embedded data is not what auditkit exports ({first_difference(again, doc)})"
        )
    return data


def check_rendering(
    pdf: bytes,
    data: audit_data.ReportInput,
    lang: Any,
    org_dir: Path | None,
    signature: signing.SignatureCheck | None,
) -> None:
    """The PDF must be byte-identical to a fresh rendering of its embedded data; a signed one
    must be that rendering followed by exactly the signature's update."""
    rendered = render_pdf(data, lang, org_dir)
    if signature is None:
        same = pdf == rendered
    else:
        same = signature.revisions == UNSIGNED_REVISIONS + 1 and pdf.startswith(rendered)
    if not same:
        raise VerificationFailed(
            "the PDF does not match a fresh rendering of its embedded data "
            "(altered, or made with other templates or fonts)"
        )


def read_trust(data: bytes, source: str) -> list[Any]:
    try:
        return signing.trust_roots(data)
    except VerificationFailed as exc:
        raise VerificationFailed(f"{source}: {exc}") from None


def note_signature(result: Verification, signature: signing.SignatureCheck) -> None:
    result.signer = signature.signer
    result.signed_at = signature.signed_at.isoformat() if signature.signed_at else None
    result.checks.append(
        f"signature by {signature.signer} ({result.signed_at}) is valid and covers the entire file"
    )


def conclude(result: Verification, signature: signing.SignatureCheck | None) -> None:
    """What the report proves: a trusted signature first, else what the database said."""
    if signature is not None and signature.trusted:
        result.outcome = SIGNED
        result.statement = f"signed by {signature.signer}, intact"
        result.checks.append("the signing certificate chains to the given trust root")
    elif signature is not None and result.outcome != DATABASE:
        result.statement = (
            f"self-consistent only (signed by {signature.signer}, but not authenticated: "
            "give the trust root with --ca-file)"
        )
