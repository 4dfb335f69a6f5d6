"""Batch rendering: every vendor's latest audit, one worker process per core, recycled.

Outputs whose render key is unchanged and whose file still has the recorded SHA-256 are
skipped (see auditkit.report.cache); `force` renders everything.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import AuditkitError
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.report import cache
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
    fingerprint: str = (
        ""  # the batch's templates, fonts and versions (cache.environment_fingerprint)
    )


@dataclass(frozen=True)
class BatchResult:
    job: BatchJob
    error: str | None = None
    skipped: bool = False  # unchanged since the recorded render; the file was left alone
    key: str | None = None  # render key of what was written
    sha256: str | None = None  # of the bytes written


@dataclass
class BatchSummary:
    rendered: int = 0
    skipped: int = 0
    failed: list[str] = dataclasses.field(default_factory=list)

    def add(self, result: BatchResult) -> None:
        if result.error:
            self.failed.append(f"{result.job.out.name}: {result.error}")
        elif result.skipped:
            self.skipped += 1
        else:
            self.rendered += 1

    def line(self) -> str:
        return (
            f"rendered {self.rendered}, skipped {self.skipped} unchanged, failed {len(self.failed)}"
        )


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


def _why(exc: AuditkitError) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def run_job(job: BatchJob) -> BatchResult:
    """Worker entry point (top level, so it pickles)."""
    from auditkit.checklists import load_directories
    from auditkit.services import reports

    try:
        checklists = load_directories(job.checklist_dirs)
        key, sha256 = reports.report_keyed(
            job.db,
            job.audit_id,
            checklists,
            job.out,
            job.fmt,
            job.lang,
            job.org_dir,
            job.fingerprint,
        )
    except AuditkitError as exc:
        return BatchResult(job, _why(exc))
    return BatchResult(job, key=key, sha256=sha256)


def _unchanged(job: BatchJob, checklists: dict[str, Checklist], manifest: cache.Manifest) -> bool:
    from auditkit.services import reports

    try:
        key = reports.current_key(
            job.db, job.audit_id, checklists, job.fmt, job.lang, job.fingerprint
        )
    except AuditkitError:
        return False  # the worker renders it and reports the error
    return manifest.is_current(job.out, key)


def run_cached(
    jobs: Sequence[BatchJob],
    checklists: dict[str, Checklist],
    workers: int,
    force: bool = False,
) -> Iterator[BatchResult]:
    """Skip the unchanged outputs, render the rest; each output directory's manifest is
    updated (atomically) as each report arrives, so an interrupted batch keeps what it did."""
    fingerprints: dict[Path | None, str] = {}
    manifests: dict[Path, cache.Manifest] = {}
    todo: list[BatchJob] = []
    for job in jobs:
        if job.org_dir not in fingerprints:
            fingerprints[job.org_dir] = cache.environment_fingerprint(job.org_dir)
        job = dataclasses.replace(job, fingerprint=fingerprints[job.org_dir])
        directory = job.out.parent
        if directory not in manifests:
            manifests[directory] = cache.Manifest.load(directory)
        if not force and _unchanged(job, checklists, manifests[directory]):
            yield BatchResult(job, skipped=True)
        else:
            todo.append(job)
    for result in run_all(todo, workers):
        manifest = manifests[result.job.out.parent]
        if result.key is not None and result.sha256 is not None:
            manifest.record(result.job.out, result.key, result.sha256)
        else:
            manifest.forget(result.job.out)
        manifest.save()
        yield result


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
