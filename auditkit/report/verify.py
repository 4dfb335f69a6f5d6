"""Checking a report (pure): the embedded audit JSON is intact and canonical, and the pages
are exactly what that JSON renders to."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit.errors import VerificationFailed
from auditkit.models.checklist import Checklist
from auditkit.report import audit_data
from auditkit.report.renderers import render_pdf

ATTACHMENT_NAME = "audit.json"


@dataclass
class Verification:
    path: str
    sha256: str
    report_id: str = ""
    audit_id: int = 0
    mode: str = "standalone"  # "database" when the audit was found and compared
    checks: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "report_id": self.report_id,
            "audit_id": self.audit_id,
            "mode": self.mode,
            "checks": self.checks,
            "ok": True,
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
    if not isinstance(doc, dict) or doc.get("format") != audit_data.FORMAT:
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


def check_rendering(
    pdf: bytes, doc: dict[str, Any], checklists: dict[str, Checklist], org_dir: Path | None
) -> None:
    """The PDF must be byte-identical to a fresh rendering of its embedded data."""
    data = audit_data.from_document(doc, checklists)
    if render_pdf(data, doc[audit_data.REPORT_KEY]["lang"], org_dir) != pdf:
        raise VerificationFailed(
            "the PDF does not match a fresh rendering of its embedded data "
            "(altered, or made with other templates or fonts)"
        )
