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

from auditkit import catalogue
from auditkit.errors import VerificationFailed
from auditkit.models.message import Message
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
    said: Message = field(default_factory=lambda: Message.of("verify_self_consistent"))
    signer: str | None = None
    signed_at: str | None = None
    checks_said: list[Message] = field(default_factory=list)

    @property
    def statement(self) -> str:
        """The outcome in English (scripts, logs; `said` for the user's language)."""
        return catalogue.load("en").render(self.said)

    @property
    def checks(self) -> list[str]:
        return [catalogue.load("en").render(m) for m in self.checks_said]

    @property
    def ok(self) -> bool:
        """Only a trusted signature or a database match proves where the report came from."""
        return self.outcome in (SIGNED, DATABASE)

    def as_dict(self, words: catalogue.Catalogue | None = None) -> dict[str, Any]:
        """Stable English `statement` and `checks`; `text` says them in `words`' language."""
        said = words or catalogue.load("en")
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
            "text": {
                "lang": said.lang,
                "statement": said.render(self.said),
                "checks": [said.render(m) for m in self.checks_said],
            },
        }


def embedded_json(pdf: bytes) -> bytes:
    """The one embedded file, audit.json; anything else attached is a failure."""
    from pypdf import PdfReader

    try:
        attachments = PdfReader(io.BytesIO(pdf)).attachments
        names = sorted(attachments)
        files = {name: attachments[name] for name in names}
    except Exception as exc:  # pypdf raises many types on damaged files
        detail = f"{type(exc).__name__}: {exc}"
        raise catalogue.error(VerificationFailed, "verify_unreadable", detail=detail) from None
    if names != [ATTACHMENT_NAME] or len(files[ATTACHMENT_NAME]) != 1:
        found = ", ".join(names) if names else Message.of("verify_none")
        raise catalogue.error(
            VerificationFailed, "verify_attachments", name=ATTACHMENT_NAME, found=found
        )
    return bytes(files[ATTACHMENT_NAME][0])


def parse(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise catalogue.error(
            VerificationFailed, "verify_not_json", name=ATTACHMENT_NAME, detail=str(exc)
        ) from None
    found = doc.get("format") if isinstance(doc, dict) else None
    if (
        isinstance(found, str)
        and found.startswith("auditkit.report/")
        and found != audit_data.FORMAT
    ):
        raise catalogue.error(
            VerificationFailed,
            "verify_other_release",
            name=ATTACHMENT_NAME,
            found=found,
            format=audit_data.FORMAT,
        )
    if not isinstance(doc, dict) or found != audit_data.FORMAT:
        raise catalogue.error(
            VerificationFailed, "verify_not_export", name=ATTACHMENT_NAME, format=audit_data.FORMAT
        )
    claimed = (doc.get(audit_data.REPORT_KEY) or {}).get("id")
    if claimed != audit_data.report_id(doc):
        raise catalogue.error(
            VerificationFailed,
            "verify_report_id",
            claimed=str(claimed),
            computed=audit_data.report_id(doc),
        )
    if audit_data.dumps(doc) != raw:
        raise catalogue.error(VerificationFailed, "verify_not_canonical", name=ATTACHMENT_NAME)
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
        raise catalogue.error(
            VerificationFailed,
            "verify_score_mismatch",
            overall=str(stated.get("overall")),
            rating=str(stated.get("rating")),
            recomputed=str(scores["overall"]),
            recomputed_rating=str(scores["rating"]),
        )
    if again != doc:
        raise catalogue.error(
            VerificationFailed, "verify_not_exported", field=first_difference(again, doc)
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
        raise catalogue.error(VerificationFailed, "verify_rendering_differs")


def read_trust(data: bytes, source: str) -> list[Any]:
    try:
        return signing.trust_roots(data)
    except VerificationFailed as exc:
        said = catalogue.said_by(exc)
        raise catalogue.error(VerificationFailed, "in_file", path=source, said=said) from None


def note_signature(result: Verification, signature: signing.SignatureCheck) -> None:
    result.signer = signature.signer
    result.signed_at = signature.signed_at.isoformat() if signature.signed_at else None
    result.checks_said.append(
        Message.of("check_signature", signer=signature.signer, at=str(result.signed_at))
    )


def conclude(result: Verification, signature: signing.SignatureCheck | None) -> None:
    """What the report proves: a trusted signature first, else what the database said."""
    if signature is not None and signature.trusted:
        result.outcome = SIGNED
        result.said = Message.of("verify_signed", signer=signature.signer)
        result.checks_said.append(Message.of("check_trust_root"))
    elif signature is not None and result.outcome != DATABASE:
        result.said = Message.of("verify_signed_untrusted", signer=signature.signer)
