"""Every read and write of the database. Callers pass a Connection inside a transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from auditkit import catalogue
from auditkit.errors import Conflict, NotFound
from auditkit.models.audit import (
    Answer,
    Audit,
    AuditStatus,
    Change,
    Finding,
    FindingStatus,
    Source,
)
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.storage import chain, listings
from auditkit.storage import evidence as evidence_store
from auditkit.storage.schema import answers, audits, changes, evidence, findings, vendors


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --- change log (append-only, hash-chained: see chain.py) --------------------------------

_CHAIN_COLUMNS = ("id", "seq", "prev_hash", "hash")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return getattr(value, "value", value)


def log(
    conn: Connection,
    actor: str,
    entity: str,
    entity_id: object,
    field: str,
    old: Any,
    new: Any,
    audit_id: int | None = None,
) -> None:
    chain.append(
        conn, now(), actor, entity, str(entity_id), audit_id, field, _jsonable(old), _jsonable(new)
    )


def list_changes(conn: Connection, audit_id: int | None = None) -> list[Change]:
    query = select(changes).order_by(changes.c.seq)
    if audit_id is not None:
        query = query.where(changes.c.audit_id == audit_id)
    return [
        Change(**{k: v for k, v in row._mapping.items() if k not in _CHAIN_COLUMNS})
        for row in conn.execute(query)
    ]


# --- vendors ------------------------------------------------------------------------------


def _vendor(row: Row[Any]) -> Vendor:
    m = row._mapping
    return Vendor(
        id=m["id"],
        name=m["name"],
        services=m["services"],
        contact_name=m["contact_name"],
        contact_email=m["contact_email"],
        profile=VendorProfile(
            handles_card_data=m["handles_card_data"],
            personal_data=m["personal_data"],
            system_access=m["system_access"],
            criticality=m["criticality"],
        ),
    )


def _vendor_columns(vendor: Vendor) -> dict[str, Any]:
    return {
        "name": vendor.name,
        "services": [s.value for s in vendor.services],
        "contact_name": vendor.contact_name,
        "contact_email": vendor.contact_email,
        **vendor.profile.model_dump(),
    }


def add_vendor(conn: Connection, vendor: Vendor, actor: str) -> Vendor:
    if conn.execute(select(vendors.c.id).where(vendors.c.name == vendor.name)).first():
        raise catalogue.error(Conflict, "vendor_exists", name=repr(vendor.name))
    new_id = conn.execute(
        insert(vendors).values(**_vendor_columns(vendor), created_at=now())
    ).inserted_primary_key[0]  # type: ignore[index]
    log(conn, actor, "vendor", new_id, "created", None, _vendor_columns(vendor))
    return vendor.model_copy(update={"id": new_id})


def get_vendor(conn: Connection, ref: str | int) -> Vendor:
    """By numeric id or exact name."""
    text = str(ref).strip()
    row = conn.execute(select(vendors).where(listings.vendor_where(text))).first()
    if row is None:
        raise listings.no_vendor(text)
    return _vendor(row)


def list_vendors(
    conn: Connection,
    limit: int | None = None,
    offset: int = 0,
    ids: Iterable[int] | None = None,
) -> list[Vendor]:
    """Vendors by id; a page of them with `limit`/`offset`, or just those in `ids`."""
    query = select(vendors).order_by(vendors.c.id).limit(limit).offset(offset or None)
    if ids is not None:
        query = query.where(vendors.c.id.in_(sorted(set(ids))))
    return [_vendor(r) for r in conn.execute(query)]


def update_vendor(conn: Connection, old: Vendor, new: Vendor, actor: str) -> Vendor:
    before, after = _vendor_columns(old), _vendor_columns(new)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if (
        "name" in changed
        and conn.execute(
            select(vendors.c.id).where(vendors.c.name == new.name, vendors.c.id != old.id)
        ).first()
    ):
        raise catalogue.error(Conflict, "vendor_exists", name=repr(new.name))
    if changed:
        conn.execute(update(vendors).where(vendors.c.id == old.id).values(**changed))
        for key, value in changed.items():
            log(conn, actor, "vendor", old.id, key, before[key], value)
    return new.model_copy(update={"id": old.id})


# --- audits -------------------------------------------------------------------------------


def _audit(row: Row[Any]) -> Audit:
    return Audit(**dict(row._mapping))


def create_audit(
    conn: Connection,
    vendor_id: int,
    checklist_versions: dict[str, str],
    profile: dict[str, Any],
    as_of: dt.date,
    actor: str,
    previous_id: int | None = None,
    checklist_hashes: dict[str, str] | None = None,
) -> Audit:
    audit_id = conn.execute(
        insert(audits).values(
            vendor_id=vendor_id,
            status=AuditStatus.DRAFT.value,
            checklists=checklist_versions,
            checklist_hashes=checklist_hashes,
            profile=profile,
            previous_id=previous_id,
            started_at=now(),
            as_of=as_of,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    log(conn, actor, "audit", audit_id, "status", None, AuditStatus.DRAFT.value, audit_id)
    return get_audit(conn, audit_id)


def get_audit(conn: Connection, audit_id: int) -> Audit:
    row = conn.execute(select(audits).where(audits.c.id == audit_id)).first()
    if row is None:
        raise catalogue.error(NotFound, "no_audit", audit=audit_id)
    return _audit(row)


def list_audits(
    conn: Connection, vendor_id: int | None = None, limit: int | None = None, offset: int = 0
) -> list[Audit]:
    query = select(audits).order_by(audits.c.id).limit(limit).offset(offset or None)
    if vendor_id is not None:
        query = query.where(audits.c.vendor_id == vendor_id)
    return [_audit(r) for r in conn.execute(query)]


def last_final_dates(conn: Connection) -> dict[int, dt.date]:
    """Each vendor's newest final audit date (one grouped query, no audit objects)."""
    query = (
        select(audits.c.vendor_id, func.max(audits.c.as_of))
        .where(audits.c.status == AuditStatus.FINAL.value)
        .group_by(audits.c.vendor_id)
    )
    return {vendor_id: _date(as_of) for vendor_id, as_of in conn.execute(query)}


def _date(value: Any) -> dt.date:
    """A date column's value (SQLite's max() returns the stored text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def latest_audit(conn: Connection, vendor_id: int, before: int | None = None) -> Audit | None:
    query = select(audits).where(audits.c.vendor_id == vendor_id)
    if before is not None:
        query = query.where(audits.c.id < before)
    row = conn.execute(query.order_by(audits.c.id.desc()).limit(1)).first()
    return _audit(row) if row else None


def require_writable(audit: Audit) -> None:
    if audit.status is AuditStatus.FINAL:
        raise catalogue.error(Conflict, "audit_final", audit=audit.id)


def lock_writable(conn: Connection, audit_id: int) -> None:
    """Re-read the audit's status inside the writing transaction, holding the row lock
    (FOR UPDATE on PostgreSQL; on SQLite the transaction already holds the write lock), so
    a concurrent finalize is either seen here or waits until this transaction ends."""
    status = conn.execute(
        select(audits.c.status).where(audits.c.id == audit_id).with_for_update()
    ).scalar()
    if status == AuditStatus.FINAL.value:
        raise catalogue.error(Conflict, "audit_final", audit=audit_id)


def set_audit_status(
    conn: Connection, audit: Audit, status: AuditStatus, actor: str, **fields: Any
) -> Audit:
    require_writable(audit)
    lock_writable(conn, audit.id)
    values = {"status": status.value, **fields}
    if status is AuditStatus.FINAL and "finalized_at" not in values:
        values["finalized_at"] = now()
    conn.execute(update(audits).where(audits.c.id == audit.id).values(**values))
    log(conn, actor, "audit", audit.id, "status", audit.status.value, status.value, audit.id)
    for key, value in fields.items():  # the moment itself is the status entry's time
        if getattr(audit, key) != value and key not in ("finalized_at", "approved_at"):
            log(conn, actor, "audit", audit.id, key, getattr(audit, key), value, audit.id)
    return get_audit(conn, audit.id)


# --- answers and evidence -----------------------------------------------------------------


def get_answers(conn: Connection, audit_id: int) -> dict[str, Answer]:
    rows = list(
        conn.execute(select(answers).where(answers.c.audit_id == audit_id).order_by(answers.c.id))
    )
    linked = evidence_store.links(conn, audit_id)
    return {
        r.question_id: Answer(
            question_id=r.question_id,
            value=r.value,
            comment=r.comment,
            source=Source(r.source),
            evidence_ref=r.evidence_ref,
            evidence=linked.get(r.question_id, []),
            answered_by=r.answered_by,
            answered_at=r.answered_at,
            verification=r.verification,
        )
        for r in rows
    }


def _answer_state(answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    state: dict[str, Any] = {
        "value": answer.value,
        "comment": answer.comment,
        "source": answer.source.value,
        "evidence": [evidence_store.link_state(e) for e in answer.evidence],
        "evidence_ref": answer.evidence_ref,
    }
    if answer.verification is not None:  # logged only when there is one (older entries lack it)
        state["verification"] = answer.verification.model_dump(mode="json")
    return state


def save_answers(conn: Connection, audit: Audit, new: Iterable[Answer], actor: str) -> int:
    """Insert or replace answers and their evidence links (each link with its own details);
    log each real change. Returns how many changed."""
    require_writable(audit)
    lock_writable(conn, audit.id)
    current = get_answers(conn, audit.id)
    changed = 0
    for answer in new:
        answer = _unverified_if_changed(current.get(answer.question_id), answer)
        old_state, new_state = _answer_state(current.get(answer.question_id)), _answer_state(answer)
        if old_state == new_state:
            continue
        values = {
            "value": answer.value,
            "comment": answer.comment,
            "source": answer.source.value,
            "evidence_ref": answer.evidence_ref,
            "answered_by": answer.answered_by or actor,
            "answered_at": answer.answered_at or now(),
            "verification": None
            if answer.verification is None
            else answer.verification.model_dump(mode="json"),
        }
        if old_state is None:
            conn.execute(
                insert(answers).values(audit_id=audit.id, question_id=answer.question_id, **values)
            )
        else:
            conn.execute(
                update(answers)
                .where(answers.c.audit_id == audit.id, answers.c.question_id == answer.question_id)
                .values(**values)
            )
        evidence_store.replace_links(conn, audit.id, answer.question_id, answer.evidence)
        log(conn, actor, "answer", answer.question_id, "answer", old_state, new_state, audit.id)
        changed += 1
    return changed


def _unverified_if_changed(old: Answer | None, new: Answer) -> Answer:
    """A verification holds for the value it was made on: a new value carried over with the
    old verification drops it (the auditor verifies again)."""
    if old is None or new.verification is None or new.value == old.value:
        return new
    if new.verification != old.verification:
        return new  # a verification given with the new value
    return new.model_copy(update={"verification": None})


def delete_answers(conn: Connection, audit: Audit, question_ids: Iterable[str], actor: str) -> int:
    """Remove answers (and their evidence links) from a draft; each removal is logged."""
    require_writable(audit)
    current = get_answers(conn, audit.id)
    removed = 0
    for question_id in question_ids:
        if question_id not in current:
            continue
        evidence_store.replace_links(conn, audit.id, question_id, [])
        conn.execute(
            delete(answers).where(
                answers.c.audit_id == audit.id, answers.c.question_id == question_id
            )
        )
        old_state = _answer_state(current[question_id])
        log(conn, actor, "answer", question_id, "answer", old_state, None, audit.id)
        removed += 1
    return removed


def add_evidence(conn: Connection, sha256: str, name: str, content: bytes) -> None:
    """Store a file once by its SHA-256. Its details belong to each link, never the file."""
    evidence_store.add_file(conn, sha256, name, content)


# --- findings -----------------------------------------------------------------------------


def _finding(row: Row[Any]) -> Finding:
    m = {k: v for k, v in row._mapping.items() if k not in ("created_at", "updated_at")}
    return Finding(**m)


def list_findings(
    conn: Connection,
    vendor_id: int | None = None,
    open_only: bool = False,
    audit_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Finding]:
    query = select(findings).order_by(findings.c.id).limit(limit).offset(offset or None)
    if vendor_id is not None:
        query = query.where(findings.c.vendor_id == vendor_id)
    if audit_id is not None:
        query = query.where(findings.c.audit_id == audit_id)
    if open_only:
        query = query.where(findings.c.status == FindingStatus.OPEN.value)
    return [_finding(r) for r in conn.execute(query)]


def get_finding(conn: Connection, finding_id: int) -> Finding:
    row = conn.execute(select(findings).where(findings.c.id == finding_id)).first()
    if row is None:
        raise catalogue.error(NotFound, "no_finding", finding=finding_id)
    return _finding(row)


def add_finding(conn: Connection, finding: Finding, actor: str) -> Finding:
    stamp = now()
    values = finding.model_dump(exclude={"id"}, mode="python")
    values["severity"], values["status"] = finding.severity.value, finding.status.value
    new_id = conn.execute(
        insert(findings).values(**values, created_at=stamp, updated_at=stamp)
    ).inserted_primary_key[0]  # type: ignore[index]
    log(conn, actor, "finding", new_id, "created", None, finding.summary, finding.audit_id)
    return get_finding(conn, new_id)


def update_finding(conn: Connection, finding: Finding, actor: str, **fields: Any) -> Finding:
    changed = {k: v for k, v in fields.items() if getattr(finding, k) != v}
    if not changed:
        return finding
    stored = {k: (v.value if hasattr(v, "value") else v) for k, v in changed.items()}
    conn.execute(
        update(findings).where(findings.c.id == finding.id).values(**stored, updated_at=now())
    )
    audit_id = stored.get("audit_id", finding.audit_id)  # logged with the audit that changed it
    for key, value in stored.items():
        old = getattr(finding, key)
        log(conn, actor, "finding", finding.id, key, getattr(old, "value", old), value, audit_id)
    return get_finding(conn, finding.id or 0)


def count(conn: Connection, table_name: str) -> int:
    table = {
        "vendors": vendors,
        "audits": audits,
        "answers": answers,
        "findings": findings,
        "changes": changes,
        "evidence": evidence,
    }[table_name]
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
