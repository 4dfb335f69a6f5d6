"""Listings at scale: 10,000 vendors x 3 audits and 30,000 findings, every listing command
timed as a whole process (imports included), text and --json, medians of interleaved runs,
with the peak memory of each process. Goals: each <= 0.3 s and <= 150 MB.

    .venv/bin/python benchmarks/bench_listings.py [--vendors 10000] [--runs 5] [--db FILE]

The database is built through the library (one transaction per 500 vendors, the same
repository calls the services use); `--db FILE` keeps it, and reuses it when it exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from auditkit.models.audit import AuditStatus, Finding, FindingStatus, Severity
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction

AUDITKIT = [sys.executable, "-m", "auditkit"]
# as an installed package runs: with bytecode cached (some shells set PYTHONDONTWRITEBYTECODE)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
COMMANDS = (
    ["vendor", "list"],
    ["due", "--today", "2026-11-29"],
    ["findings", "list"],
    ["audit", "list"],
)
LEVELS = ("low", "medium", "high")
SEVERITIES = list(Severity)
YEARS = (dt.date(2024, 11, 1), dt.date(2025, 11, 1), dt.date(2026, 11, 1))


def build(db: str, count: int) -> None:
    """`count` vendors, 3 audits each (two final), one finding per audit; an interrupted
    build resumes where its last committed batch ended."""
    batch = 500
    with transaction(db) as conn:
        done = repo.count(conn, "vendors")
    for first in range(done, count, batch):
        with transaction(db) as conn:
            for index in range(first, min(first + batch, count)):
                _vendor(conn, index)


def _vendor(conn: object, index: int) -> None:
    profile = VendorProfile(
        personal_data=LEVELS[index % 3],
        criticality=LEVELS[(index // 3) % 3],
        handles_card_data=index % 7 == 0,
    )
    vendor = repo.add_vendor(
        conn,  # type: ignore[arg-type]
        Vendor(name=f"Vendor {index:05d} KK", services=["site_hosting"], profile=profile),
        "bench",
    )
    previous = None
    for year, as_of in enumerate(YEARS):
        audit = repo.create_audit(
            conn,  # type: ignore[arg-type]
            vendor.id or 0,
            {"nda": "1.0.0"},
            profile.model_dump(mode="json"),
            as_of,
            "bench",
            previous,
        )
        if year < 2:
            repo.set_audit_status(conn, audit, AuditStatus.FINAL, "bench")  # type: ignore[arg-type]
        repo.add_finding(
            conn,  # type: ignore[arg-type]
            Finding(
                vendor_id=vendor.id or 0,
                audit_id=audit.id,
                question_id=f"nda.q{year}",
                severity=SEVERITIES[(index + year) % len(SEVERITIES)],
                status=FindingStatus.OPEN if year == 2 else FindingStatus.REMEDIATED,
                summary=f"Finding {year} of vendor {index}",
                due_date=as_of + dt.timedelta(days=90),
            ),
            "bench",
        )
        previous = audit.id


def measure(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[:300]}")  # type: ignore[union-attr]
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="Keep (or reuse) the database in this file.")
    parser.add_argument("--extra", default="", help="Extra options for every command.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "listings.db"
        db = str(path)
        if not path.exists() or args.db:
            start = time.perf_counter()
            build(db, args.vendors)
            took = time.perf_counter() - start
            print(f"built up to {args.vendors} vendors in {took:.0f} s: {db}")
        extra = args.extra.split()
        commands = {
            " ".join(c + j + extra): [*AUDITKIT, "--db", db, *c, *j, *extra]
            for c in COMMANDS
            for j in ([], ["--json"])
        }
        for command in commands.values():  # warm-up: bytecode written, files in the page cache
            measure(command)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved: load changes hit every command alike
            for name, command in commands.items():
                samples[name].append(measure(command))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"median of {args.runs} runs, load average {load}, goal <= 0.3 s and <= 150 MB")
        for name, runs in samples.items():
            wall = statistics.median(w for w, _ in runs)
            peak = max(m for _, m in runs)
            print(f"  {name:<42} {wall:6.3f} s  {peak:6.0f} MB")


if __name__ == "__main__":
    main()
