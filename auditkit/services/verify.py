"""`verify REPORT.pdf`: the embedded audit JSON is intact, matches the database, and the pages
are exactly what that JSON renders to."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from auditkit.errors import AuditkitError, NotFound, VerificationFailed
from auditkit.models.checklist import Checklist
from auditkit.report import audit_data
from auditkit.report.verify import (
    ATTACHMENT_NAME,
    Verification,
    check_rendering,
    embedded_json,
    first_difference,
    parse,
)
from auditkit.services.reports import load_input


def compare_with_database(
    doc: dict[str, Any], db: str | None, checklists: dict[str, Checklist]
) -> bool:
    """True when the audit is in the database and equal; False when absent (standalone)."""
    audit = doc["audit"]
    try:
        stored = audit_data.document(
            load_input(db, int(audit["id"]), checklists), doc[audit_data.REPORT_KEY]["lang"]
        )
    except AuditkitError:  # not in this database (or unreadable there): standalone
        return False
    if (stored["vendor"]["name"], stored["audit"]["started_at"]) != (
        doc["vendor"]["name"],
        audit["started_at"],
    ):
        return False  # same id, different audit: this database is not where the report came from
    if stored != doc:
        raise VerificationFailed(
            f"the stored audit {audit['id']} differs from the report "
            f"({first_difference(stored, doc)} changed)"
        )
    return True


def verify(
    path: Path, db: str | None, checklists: dict[str, Checklist], org_dir: Path | None = None
) -> Verification:
    try:
        pdf = path.read_bytes()
    except OSError as exc:
        raise NotFound(f"{path}: cannot read ({exc.strerror})") from None
    result = Verification(str(path), hashlib.sha256(pdf).hexdigest())
    doc = parse(embedded_json(pdf))
    result.report_id, result.audit_id = doc[audit_data.REPORT_KEY]["id"], int(doc["audit"]["id"])
    result.checks.append(
        f"embedded {ATTACHMENT_NAME} parses and matches report id {result.report_id}"
    )
    if compare_with_database(doc, db, checklists):
        result.mode = "database"
        result.checks.append(
            f"re-scoring audit {result.audit_id} from the database gives the same data"
        )
    check_rendering(pdf, doc, checklists, org_dir)
    result.checks.append("re-rendering the embedded data gives byte-identical PDF")
    return result
