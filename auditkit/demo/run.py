"""`auditkit demo`: a demo database with three candidate vendors and their reports."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from auditkit.demo.seed import seed
from auditkit.errors import AuditkitError
from auditkit.models.checklist import Checklist
from auditkit.models.common import LANGS, Lang
from auditkit.report import batch
from auditkit.services.db import close
from auditkit.storage.engine import sqlite_url


def demo_db(out_dir: Path) -> str:
    """A fresh SQLite file in the output folder (the demo never touches a real database)."""
    path = out_dir / "demo.db"
    close(sqlite_url(path))
    for stale in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
        stale.unlink(missing_ok=True)
    return sqlite_url(path)


def report_jobs(db: str, out_dir: Path, langs: Sequence[Lang]) -> list[batch.BatchJob]:
    """Every vendor's latest audit, one PDF per language: audit-<id>-<vendor>.<lang>.pdf."""
    jobs = []
    for lang in langs:
        for job in batch.latest_jobs(db, out_dir, "pdf", lang, None):
            jobs.append(dataclasses.replace(job, out=job.out.with_suffix(f".{lang}.pdf")))
    return jobs


def run(
    out_dir: Path,
    checklists: dict[str, Checklist],
    langs: Sequence[Lang] = LANGS,
    workers: int = 2,
    progress: Callable[[batch.BatchResult], None] = lambda _: None,
) -> tuple[str, list[int], list[Path]]:
    """Seed the demo vendors into out_dir/demo.db (made anew; never the user's database)
    and render their reports. Returns the database URL, the audit ids and the PDFs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    url = demo_db(out_dir)
    audit_ids = seed(url, checklists)
    close(url)  # workers open their own connections
    written = []
    for result in batch.run_all(report_jobs(url, out_dir, langs), workers):
        if result.error:
            raise AuditkitError(f"{result.job.out.name}: {result.error}")
        progress(result)
        written.append(result.job.out)
    return url, audit_ids, sorted(written)
