"""Reports from the database: load an audit's report input, render it, write it atomically."""

from __future__ import annotations

from pathlib import Path

from auditkit.errors import AuditkitError
from auditkit.models.audit import FindingStatus
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.outputs import write_bytes
from auditkit.report.audit_data import Comparison, ReportInput, summarise_previous
from auditkit.report.renderers import render
from auditkit.services import audits
from auditkit.storage import repository as repo
from auditkit.storage.db import Connection, transaction


def _comparison(
    conn: Connection, previous_id: int | None, checklists: dict[str, Checklist]
) -> Comparison | None:
    if previous_id is None:
        return None
    try:
        return summarise_previous(audits.load(conn, previous_id, checklists))
    except AuditkitError:  # the previous audit used a checklist that no longer exists
        return None


def load_input(db: str | None, audit_id: int, checklists: dict[str, Checklist]) -> ReportInput:
    """Read the audit, score it (read-only: findings are not synced) and gather what it shows."""
    with transaction(db) as conn:
        state = audits.load(conn, audit_id, checklists)
        result = state.score()
        failing = {r.question.id for r in result.findings}
        stored = {
            f.question_id: f
            for f in repo.list_findings(conn, state.vendor.id or 0)
            if f.question_id in failing and f.status is not FindingStatus.REMEDIATED
        }
        comparison = _comparison(conn, state.audit.previous_id, checklists)
    return ReportInput(state, result, tuple(stored[q] for q in sorted(stored)), comparison)


def render_audit(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    fmt: str = "pdf",
    lang: Lang = "en",
    org_dir: Path | None = None,
) -> bytes:
    """One audit's report as bytes (nothing is written)."""
    return render(load_input(db, audit_id, checklists), fmt, lang, org_dir)


def report(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    out: Path,
    fmt: str = "pdf",
    lang: Lang = "en",
    org_dir: Path | None = None,
) -> bytes:
    """Render one audit's report into `out`; returns the bytes written."""
    data = render_audit(db, audit_id, checklists, fmt, lang, org_dir)
    write_bytes(out, data)
    return data
