"""Batch rendering: every vendor's latest audit, one worker process per core, recycled."""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import AuditkitError
from auditkit.models.common import Lang
from auditkit.services import audits

TASKS_PER_WORKER = 8  # recycle workers to keep memory bounded
PRELOAD = ["auditkit.report.pdf", "auditkit.services.reports"]


@dataclass(frozen=True)
class BatchJob:
    db: str | None
    audit_id: int
    out: Path
    fmt: str
    lang: Lang
    org_dir: Path | None
    checklist_dirs: tuple[Path, ...]


@dataclass(frozen=True)
class BatchResult:
    job: BatchJob
    error: str | None = None


def slug(name: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    return cleaned or "vendor"


def latest_jobs(
    db: str | None,
    out_dir: Path,
    fmt: str,
    lang: Lang,
    org_dir: Path | None,
    checklist_dirs: Sequence[Path] = (),
) -> list[BatchJob]:
    """One job per vendor: its latest audit, written as audit-<id>-<vendor>.<lang>.<fmt>."""
    latest = {vendor.id: (audit, vendor) for audit, vendor in audits.list_all(db)}
    return [
        BatchJob(
            db,
            audit.id,
            out_dir / f"audit-{audit.id}-{slug(vendor.name)}.{lang}.{fmt}",
            fmt,
            lang,
            org_dir,
            tuple(checklist_dirs),
        )
        for audit, vendor in sorted(latest.values(), key=lambda pair: pair[0].id)
    ]


def run_job(job: BatchJob) -> BatchResult:
    """Worker entry point (top level, so it pickles)."""
    from auditkit.checklists import load_directories
    from auditkit.services import reports

    try:
        checklists = load_directories(job.checklist_dirs)
        reports.report(job.db, job.audit_id, checklists, job.out, job.fmt, job.lang, job.org_dir)
    except AuditkitError as exc:
        return BatchResult(job, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return BatchResult(job)


def run_all(jobs: Sequence[BatchJob], workers: int) -> Iterator[BatchResult]:
    """Render in worker processes; results arrive as each report is done.

    Workers are recycled every TASKS_PER_WORKER reports to keep memory bounded. This is done
    with one pool per round instead of `max_tasks_per_child`, which deadlocks on Python
    3.11-3.13 once a worker retires with work still queued (CPython gh-115634).
    """
    if not jobs:
        return
    workers = max(1, min(workers, len(jobs)))
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # workers start with weasyprint already imported
    per_round = workers * TASKS_PER_WORKER
    for first in range(0, len(jobs), per_round):
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(run_job, job) for job in jobs[first : first + per_round]]
            for future in as_completed(futures):
                yield future.result()
