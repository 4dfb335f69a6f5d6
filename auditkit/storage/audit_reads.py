"""What scoring an audit reads (the audit, its vendor, answers with their evidence links, pinned
checklist contents or the frozen record, the vendor's findings) and how rows become models,
whichever way the statements run: through SQLAlchemy (`repository`, `vendors`, `evidence`,
`records` and `findings` shape their rows here) or compiled and cached, through `sqlite3`
(`sqlite_reads`). The statements are named in `audit_shapes` and built in `audit_statements`;
this module imports no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from auditkit import catalogue
from auditkit.errors import NotFound, StorageError
from auditkit.models.audit import Answer, Audit, Evidence, Finding, Source
from auditkit.models.checklist import Checklist
from auditkit.models.record import FrozenRecord, content_hash, sha256_of
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.storage.audit_shapes import (
    ANSWER_COLUMNS,
    ANSWERS,
    AUDIT,
    AUDIT_COLUMNS,
    CHECKLIST,
    FINDING_COLUMNS,
    FINDINGS,
    LATEST_AUDIT,
    LINK_COLUMNS,
    LINKS,
    RECORD,
    VENDOR,
    VENDOR_COLUMNS,
)
from auditkit.storage.listing_reads import Reader, no_vendor


def _named(columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(columns, row, strict=True))


# --- rows to models (both ways) ------------------------------------------------------------


def audit_from(row: Mapping[Any, Any]) -> Audit:
    return Audit(**dict(row))


def vendor_from(row: Mapping[Any, Any]) -> Vendor:
    return Vendor(
        id=row["id"],
        name=row["name"],
        services=row["services"],
        contact_name=row["contact_name"],
        contact_email=row["contact_email"],
        profile=VendorProfile(
            handles_card_data=row["handles_card_data"],
            personal_data=row["personal_data"],
            system_access=row["system_access"],
            criticality=row["criticality"],
        ),
    )


def answer_from(row: Mapping[Any, Any], evidence: list[Evidence]) -> Answer:
    return Answer(
        question_id=row["question_id"],
        value=row["value"],
        comment=row["comment"],
        source=Source(row["source"]),
        evidence_ref=row["evidence_ref"],
        evidence=evidence,
        answered_by=row["answered_by"],
        answered_at=row["answered_at"],
        verification=row["verification"],
    )


def evidence_from(row: Mapping[Any, Any]) -> Evidence:
    return Evidence(
        sha256=row["sha256"],
        name=row["name"],
        kind=row["kind"],
        size=row["size"],
        issued=row["issued"],
        expires=row["expires"],
        note=row["note"],
    )


def finding_from(row: Mapping[Any, Any]) -> Finding:
    return Finding(**{k: v for k, v in row.items() if k not in ("created_at", "updated_at")})


def no_audit(audit_id: int) -> NotFound:
    return catalogue.error(NotFound, "no_audit", audit=audit_id)


def checked_checklist(sha: str, content: Any) -> Checklist:
    """A stored checklist content, checked against its hash."""
    try:
        checklist = Checklist.model_validate(content)
    except ValidationError as exc:
        detail = str(exc)
        raise catalogue.error(
            StorageError, "stored_checklist_damaged", sha=sha[:12], detail=detail
        ) from None
    if content_hash(checklist) != sha:
        raise catalogue.error(StorageError, "stored_checklist_hash", sha=sha[:12])
    return checklist


def missing_checklist(sha: str) -> StorageError:
    return catalogue.error(StorageError, "stored_checklist_missing", sha=sha[:12])


def checked_record(audit_id: int, content: Any, stored_sha: str) -> FrozenRecord:
    """A frozen record, checked against its stored hash."""
    if sha256_of(content) != stored_sha:
        raise catalogue.error(StorageError, "record_hash", audit=audit_id)
    try:
        record = FrozenRecord.model_validate(content)
    except ValidationError as exc:
        detail = str(exc)
        raise catalogue.error(
            StorageError, "record_damaged", audit=audit_id, detail=detail
        ) from None
    if record.sha256() != stored_sha:  # read back, it must say exactly what was stored
        raise catalogue.error(StorageError, "record_unreadable", audit=audit_id)
    return record


# --- the reads, through a `Reader` ---------------------------------------------------------


def audit(read: Reader, audit_id: int) -> Audit:
    found = read.rows(AUDIT, {"id": audit_id})
    if not found:
        raise no_audit(audit_id)
    return audit_from(_named(AUDIT_COLUMNS, found[0]))


def vendor(read: Reader, vendor_id: int) -> Vendor:
    found = read.rows(VENDOR, {"id": vendor_id})
    if not found:
        raise no_vendor(str(vendor_id))
    return vendor_from(_named(VENDOR_COLUMNS, found[0]))


def answers(read: Reader, audit_id: int) -> dict[str, Answer]:
    """The audit's answers by question, in the order given, each with its evidence links."""
    linked: dict[str, list[Evidence]] = {}
    for row in read.rows(LINKS, {"audit": audit_id}):
        item = evidence_from(_named(LINK_COLUMNS, row))
        linked.setdefault(row[0], []).append(item)
    out = {}
    for row in read.rows(ANSWERS, {"audit": audit_id}):
        named = _named(ANSWER_COLUMNS, row)
        out[named["question_id"]] = answer_from(named, linked.get(named["question_id"], []))
    return out


def record(read: Reader, audit_id: int) -> FrozenRecord | None:
    found = read.rows(RECORD, {"audit": audit_id})
    return None if not found else checked_record(audit_id, found[0][0], found[0][1])


def checklist(read: Reader, sha: str) -> Checklist:
    found = read.rows(CHECKLIST, {"sha": sha})
    if not found:
        raise missing_checklist(sha)
    return checked_checklist(sha, found[0][0])


def latest_audit_id(read: Reader, vendor_id: int) -> int | None:
    found = read.rows(LATEST_AUDIT, {"vendor": vendor_id})
    return None if not found else int(found[0][0])


def findings(read: Reader, vendor_id: int) -> list[Finding]:
    """The vendor's findings by id."""
    rows = read.rows(FINDINGS, {"vendor": vendor_id})
    return [finding_from(_named(FINDING_COLUMNS, r)) for r in rows]
