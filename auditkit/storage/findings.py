"""Findings: reads and writes, each write logged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from auditkit import catalogue
from auditkit.errors import NotFound
from auditkit.models.audit import (
    Finding,
    FindingStatus,
)
from auditkit.storage import audit_reads
from auditkit.storage.change_log import log, now
from auditkit.storage.schema import findings


def _finding(row: Row[Any]) -> Finding:
    return audit_reads.finding_from(row._mapping)


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
