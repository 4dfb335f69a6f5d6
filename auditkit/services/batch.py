"""Batch rendering: every vendor's latest audit, one worker process per core.

Workers start once (imports done in the forkserver, checklists and templates loaded by the
initializer), render many reports, and are recycled one at a time (auditkit.services.worker_pool).

Outputs whose render key is unchanged and whose file still has the recorded SHA-256 are
skipped (see auditkit.report.cache); `force` renders everything.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit.checklists import load_confidence
from auditkit.errors import AuditkitError
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.models.message import Message
from auditkit.report import cache
from auditkit.services import audits, worker_pool

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue

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
    said: Message | None = None  # the error as a catalogue message


@dataclass
class BatchSummary:
    rendered: int = 0
    skipped: int = 0
    failed: list[str] = dataclasses.field(default_factory=list)
    failed_said: list[Message] = dataclasses.field(default_factory=list)

    def add(self, result: BatchResult) -> None:
        if result.error:
            self.failed.append(f"{result.job.out.name}: {result.error}")
            why = result.said or Message.of("plain", text=result.error)
            self.failed_said.append(Message.of("in_file", path=result.job.out.name, said=why))
        elif result.skipped:
            self.skipped += 1
        else:
            self.rendered += 1

    def line(self, words: Catalogue | None = None) -> str:
        """`rendered 3, skipped 0 unchanged, failed 0` in the catalogue's language."""
        from auditkit import catalogue

        said = words or catalogue.load("en")
        counts = {"rendered": self.rendered, "skipped": self.skipped}
        return said.cli("batch_summary", failed=len(self.failed), **counts)


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


_LOADED: dict[tuple[Path, ...], dict[str, Checklist]] = {}  # per worker process


def _checklists(dirs: tuple[Path, ...]) -> dict[str, Checklist]:
    """The checklists of a batch, parsed once per worker (a worker lives for one batch)."""
    from auditkit.checklists import load_directories

    if dirs not in _LOADED:
        _LOADED[dirs] = load_directories(dirs)
    return _LOADED[dirs]


def warm_worker(
    checklist_dirs: Sequence[tuple[Path, ...]], org_dirs: Sequence[Path | None]
) -> None:
    """Worker initializer: checklists parsed, templates compiled and fonts found, once.

    Nothing here may fail the worker: a broken checklist or template is reported by the job
    that needs it, with its one-line error.
    """
    from auditkit.report import fonts, renderers

    with contextlib.suppress(Exception):
        fonts.resolve()
    for org_dir in org_dirs:
        with contextlib.suppress(Exception):
            renderers.environment(org_dir).get_template(renderers.MAIN_TEMPLATE)
    for dirs in checklist_dirs:
        with contextlib.suppress(Exception):
            _checklists(dirs)


def run_job(job: BatchJob) -> BatchResult:
    """Worker entry point (top level, so it pickles)."""
    from auditkit.services import reports

    try:
        key, sha256 = reports.report_keyed(
            job.db,
            job.audit_id,
            _checklists(job.checklist_dirs),
            job.out,
            job.fmt,
            job.lang,
            job.org_dir,
            job.fingerprint,
            load_confidence(job.checklist_dirs),
        )
    except AuditkitError as exc:
        from auditkit import catalogue

        return BatchResult(job, _why(exc), said=catalogue.said_by(exc))
    return BatchResult(job, key=key, sha256=sha256)


def _unchanged(job: BatchJob, checklists: dict[str, Checklist], manifest: cache.Manifest) -> bool:
    from auditkit.services import reports

    try:
        rules = load_confidence(job.checklist_dirs)
        key = reports.current_key(
            job.db, job.audit_id, checklists, job.fmt, job.lang, job.fingerprint, rules
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
    updated (atomically) as each report arrives, so an interrupted batch keeps what it did.

    Whether a job is unchanged is decided as the workers ask for their next job, so those
    checks run while the first reports render rather than before any of them starts."""
    fingerprints: dict[Path | None, str] = {}
    manifests: dict[Path, cache.Manifest] = {}
    skipped: deque[BatchResult] = deque()

    def todo() -> Iterator[BatchJob]:
        for job in jobs:
            if job.org_dir not in fingerprints:
                fingerprints[job.org_dir] = cache.environment_fingerprint(job.org_dir)
            job = dataclasses.replace(job, fingerprint=fingerprints[job.org_dir])
            directory = job.out.parent
            if directory not in manifests:
                manifests[directory] = cache.Manifest.load(directory)
            if not force and _unchanged(job, checklists, manifests[directory]):
                skipped.append(BatchResult(job, skipped=True))
            else:
                yield job

    for result in run_all(todo(), workers):
        while skipped:
            yield skipped.popleft()
        manifest = manifests[result.job.out.parent]
        if result.key is not None and result.sha256 is not None:
            manifest.record(result.job.out, result.key, result.sha256)
        else:
            manifest.forget(result.job.out)
        manifest.save()
        yield result
    yield from skipped


def run_all(jobs: Iterable[BatchJob], workers: int) -> Iterator[BatchResult]:
    """Render in worker processes; results arrive as each report is done.

    Workers are warmed for the first job's checklist and template directories (a batch's
    jobs share them); a job with others loads them when it runs."""
    pending = iter(jobs)
    first = next(pending, None)
    if first is None:
        return
    yield from worker_pool.run(
        run_job,
        itertools.chain([first], pending),
        workers,
        tasks_per_worker=TASKS_PER_WORKER,
        preload=PRELOAD,
        initializer=warm_worker,
        initargs=([first.checklist_dirs], [first.org_dir]),
    )
