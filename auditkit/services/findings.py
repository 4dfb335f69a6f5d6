"""Findings: created from failed and partial answers, carried until closed."""

from __future__ import annotations

import datetime as dt

from auditkit import catalogue, textnorm
from auditkit.assessment import AuditState
from auditkit.errors import ValidationProblem
from auditkit.models.audit import Finding, FindingStatus
from auditkit.scoring import AuditResult
from auditkit.services import audit_loading
from auditkit.storage import findings as finding_store
from auditkit.storage import vendors as vendor_store
from auditkit.storage.audit_statements import ConnectionReader
from auditkit.storage.db import Connection, transaction


def sync(conn: Connection, state: AuditState, result: AuditResult, actor: str) -> None:
    """Open a finding per failed/partial answer, carry open ones, close what now passes
    (see `audit_loading.pending_findings`)."""
    vendor_id = state.vendor.id or 0
    for change in audit_loading.pending_findings(ConnectionReader(conn), state, result):
        if change.finding is None:
            new = Finding(vendor_id=vendor_id, question_id=change.question_id, **change.fields)
            finding_store.add_finding(conn, new, actor)
        else:
            finding_store.update_finding(conn, change.finding, actor, **change.fields)


def list_all(
    db: str | None,
    vendor_ref: str | None = None,
    open_only: bool = False,
    audit_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Finding]:
    with transaction(db, readonly=True) as conn:
        vendor_id = vendor_store.get_vendor(conn, vendor_ref).id if vendor_ref else None
        return finding_store.list_findings(conn, vendor_id, open_only, audit_id, limit, offset)


def update(
    db: str | None,
    finding_id: int,
    actor: str,
    status: FindingStatus | None = None,
    owner: str | None = None,
    due_date: dt.date | None = None,
    notes: str | None = None,
) -> Finding:
    with transaction(db) as conn:
        finding = finding_store.get_finding(conn, finding_id)
        fields = {
            k: v
            for k, v in {
                "status": status,
                "owner": textnorm.field("owner", owner, textnorm.NAME_MAX),
                "due_date": due_date,
                "notes": textnorm.field("notes", notes, textnorm.TEXT_MAX),
            }.items()
            if v is not None
        }
        if not fields:
            raise catalogue.error(ValidationProblem, "finding_nothing_to_change")
        return finding_store.update_finding(conn, finding, actor, **fields)
