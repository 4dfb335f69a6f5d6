"""Audits, answers and evidence links: reads and writes, each write logged. Callers pass a
Connection inside a transaction (vendors, findings and the change log have their own modules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from auditkit import catalogue
from auditkit.errors import Conflict
from auditkit.models.audit import (
    Answer,
    Audit,
    AuditStatus,
)
from auditkit.storage import audit_reads
from auditkit.storage import evidence as evidence_store
from auditkit.storage.change_log import log, now
from auditkit.storage.schema import answers, audits, changes, evidence, findings, vendors

# --- audits -------------------------------------------------------------------------------


def _audit(row: Row[Any]) -> Audit:
    return audit_reads.audit_from(row._mapping)


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
        raise audit_reads.no_audit(audit_id)
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
        r.question_id: audit_reads.answer_from(r._mapping, linked.get(r.question_id, []))
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
