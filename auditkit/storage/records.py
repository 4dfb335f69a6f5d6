"""Pinned checklist content and the frozen records of final audits.

Both are written once and never updated: a checklist content row is keyed by its own hash, and
an audit record is inserted in the transaction that makes the audit final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from auditkit import catalogue
from auditkit.errors import Conflict
from auditkit.models.audit import Audit, AuditStatus
from auditkit.models.checklist import Checklist
from auditkit.models.record import FrozenRecord, checklist_content, content_hash, sha256_of
from auditkit.storage import audit_reads
from auditkit.storage.repository import lock_writable, require_writable
from auditkit.storage.schema import audit_records, audits, checklist_contents


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def store_checklist(conn: Connection, checklist: Checklist) -> str:
    """Keep this exact content (once); returns its SHA-256."""
    sha = content_hash(checklist)
    known = conn.execute(
        select(checklist_contents.c.sha256).where(checklist_contents.c.sha256 == sha)
    ).first()
    if known is None:
        conn.execute(
            insert(checklist_contents).values(
                sha256=sha,
                checklist_id=checklist.id,
                version=checklist.version,
                content=checklist_content(checklist),
                stored_at=_now(),
            )
        )
    return sha


def get_checklist(conn: Connection, sha: str) -> Checklist:
    """The stored content with this hash, checked against it."""
    row = conn.execute(
        select(checklist_contents.c.content).where(checklist_contents.c.sha256 == sha)
    ).first()
    if row is None:
        raise audit_reads.missing_checklist(sha)
    return audit_reads.checked_checklist(sha, row.content)


def set_pins(
    conn: Connection, audit: Audit, versions: dict[str, str], hashes: dict[str, str]
) -> None:
    """Point a draft at other checklist versions/contents (the caller logs what changed). The
    status is read again under the audit's row lock, as every write to an audit does: the
    `audit` given may have been read before a concurrent finalize."""
    require_writable(audit)
    lock_writable(conn, audit.id)
    conn.execute(
        update(audits)
        .where(audits.c.id == audit.id)
        .values(checklists=versions, checklist_hashes=hashes)
    )


def save_record(conn: Connection, audit_id: int, record: FrozenRecord) -> str:
    """Insert the frozen record; an audit has at most one. Returns its SHA-256."""
    exists = conn.execute(
        select(audit_records.c.audit_id).where(audit_records.c.audit_id == audit_id)
    ).first()
    if exists is not None:
        raise catalogue.error(Conflict, "record_exists", audit=audit_id)
    content = record.content()
    sha = sha256_of(content)
    conn.execute(
        insert(audit_records).values(
            audit_id=audit_id, frozen_at=_now(), content=content, content_sha256=sha
        )
    )
    return sha


def get_record(conn: Connection, audit_id: int) -> FrozenRecord | None:
    """The frozen record, checked against its stored hash; None for audits frozen before
    records existed (and drafts)."""
    row = conn.execute(select(audit_records).where(audit_records.c.audit_id == audit_id)).first()
    return None if row is None else _checked(audit_id, row)


def records_of(conn: Connection, audit_ids: Iterable[int]) -> dict[int, FrozenRecord]:
    """The frozen records of several audits (one query), each checked as `get_record` does."""
    wanted = sorted(set(audit_ids))
    if not wanted:
        return {}
    query = select(audit_records).where(audit_records.c.audit_id.in_(wanted))
    return {row.audit_id: _checked(row.audit_id, row) for row in conn.execute(query)}


def _checked(audit_id: int, row: Any) -> FrozenRecord:
    return audit_reads.checked_record(audit_id, row.content, row.content_sha256)


def has_record(conn: Connection, audit_id: int) -> bool:
    query = select(audit_records.c.audit_id).where(audit_records.c.audit_id == audit_id)
    return conn.execute(query).first() is not None


def latest_final(
    conn: Connection, vendor_id: int, before: dt.datetime | None = None
) -> Audit | None:
    """The vendor's most recent final audit, finalized before `before` when given."""
    query = select(audits).where(
        audits.c.vendor_id == vendor_id, audits.c.status == AuditStatus.FINAL.value
    )
    if before is not None:
        query = query.where(audits.c.finalized_at < before)
    order = (audits.c.finalized_at.desc(), audits.c.id.desc())
    row = conn.execute(query.order_by(*order).limit(1)).first()
    return Audit(**dict(row._mapping)) if row else None
