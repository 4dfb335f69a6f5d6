"""`auditkit demo`: seed a fresh database with the demo data set (three candidate vendors for
outsourced EC operations) and render their reports.

The data (vendors, answers, evidence, findings) is validated in full before anything is written;
see `auditkit.demo.dataset`. Each audit's evidence and answers are stored in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from auditkit import catalogue
from auditkit.demo.dataset import (
    DEMO_DIR,
    VENDOR_FILES,
    DemoVendor,
    FindingUpdate,
    Round,
    load_vendor,
)
from auditkit.errors import AuditkitError, Conflict
from auditkit.models.checklist import Checklist
from auditkit.models.common import LANGS, Lang
from auditkit.models.message import Message
from auditkit.services import audits, batch, findings, signoff, vendors
from auditkit.storage import repository as repo
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import close, transaction
from auditkit.storage.engine import sqlite_url


def seed(db: str | None, checklists: dict[str, Checklist], actor: str = "demo") -> list[int]:
    """Create the demo vendors, their audits, answers, evidence and findings.

    Returns the ids of the current (2026-11-01) audits, one per vendor, in file order. The
    strong vendor also gets a finalized audit of the previous year (its audit's `previous_id`).
    """
    dataset = [load_vendor(DEMO_DIR / name, checklists) for name in VENDOR_FILES]
    with transaction(db) as conn:
        existing = {v.name for v in vendor_store.list_vendors(conn)}
    for item in dataset:
        if item.vendor.name in existing:
            raise catalogue.error(Conflict, "demo_exists", vendor=repr(item.vendor.name))
    return [_store_vendor(db, item, checklists, actor) for item in dataset]


def _store_vendor(
    db: str | None, item: DemoVendor, checklists: dict[str, Checklist], actor: str
) -> int:
    name = vendors.add(db, item.vendor, actor).name
    if item.previous is not None:
        before = audits.start(db, name, checklists, actor, as_of=item.previous.as_of)
        _store_round(db, before.id, item.previous, checklists, actor)
    carry = item.previous is not None
    audit = audits.start(db, name, checklists, actor, item.current.as_of, from_previous=carry)
    _store_round(db, audit.id, item.current, checklists, actor, item.findings)
    return audit.id


def _store_round(
    db: str | None,
    audit_id: int,
    round_: Round,
    checklists: dict[str, Checklist],
    actor: str,
    updates: Mapping[str, FindingUpdate] | None = None,
) -> None:
    """Evidence and answers in one transaction; then score, update findings, sign off."""
    with transaction(db) as conn:
        audit = repo.get_audit(conn, audit_id)
        for document in round_.documents:
            repo.add_evidence(
                conn, document.evidence.sha256, document.evidence.name, document.content
            )
        repo.save_answers(conn, audit, round_.answers, actor)
    state, _ = audits.refresh_findings(db, audit_id, checklists, actor)
    vendor_ref = str(state.vendor.id)
    live = {f.question_id: f.id for f in findings.list_all(db, vendor_ref, open_only=True)}
    for question_id, change in (updates or {}).items():
        finding_id = live[question_id] or 0  # load_vendor checked that this finding opens
        findings.update(
            db,
            finding_id,
            actor,
            status=change.status,
            owner=change.owner,
            due_date=change.due,
            notes=change.notes,
        )
    if round_.reviewer:
        request = signoff.SignOffRequest(reviewer=round_.reviewer, approver=round_.approver)
        signoff.finalize(db, audit_id, checklists, request, actor)


def demo_db(out_dir: Path) -> str:
    """A fresh SQLite file in the output folder (the demo never touches a real database)."""
    path = out_dir / "demo.db"
    close(sqlite_url(path))
    for stale in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
        stale.unlink(missing_ok=True)
    return sqlite_url(path)


def report_jobs(db: str, out_dir: Path, langs: Sequence[Lang]) -> list[batch.BatchJob]:
    """Every vendor's latest audit, one PDF per language: audit-<id>-<vendor>.<lang>.pdf."""
    return [job for lang in langs for job in batch.latest_jobs(db, out_dir, "pdf", lang, None)]


def run(
    out_dir: Path,
    checklists: dict[str, Checklist],
    langs: Sequence[Lang] = LANGS,
    workers: int = 2,
    progress: Callable[[batch.BatchResult], None] = lambda _: None,
    force: bool = False,
) -> tuple[str, list[int], list[Path], batch.BatchSummary]:
    """Seed the demo vendors into out_dir/demo.db (made anew; never the user's database)
    and render their reports, skipping those unchanged since the last run (unless `force`).
    Returns the database URL, the audit ids, the PDFs and the batch summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    url = demo_db(out_dir)
    audit_ids = seed(url, checklists)
    close(url)  # workers open their own connections
    written = []
    summary = batch.BatchSummary()
    for result in batch.run_cached(report_jobs(url, out_dir, langs), checklists, workers, force):
        if result.error:
            why = result.said or Message.of("plain", text=result.error)
            raise catalogue.error(AuditkitError, "in_file", path=result.job.out.name, said=why)
        summary.add(result)
        progress(result)
        written.append(result.job.out)
    return url, audit_ids, sorted(written), summary
