"""Listings at scale: 10,000 vendors x 3 audits and 30,000 findings, every listing command
timed as a whole process (imports included), text and --json, medians of interleaved runs,
with the peak memory of each process; then the library calls alone, in this process.
Goals: each command <= 0.3 s and <= 150 MB.

    .venv/bin/python benchmarks/bench_listings.py [--vendors 10000] [--runs 5] [--db FILE]
        [--extra "--limit 50"] [--baseline DIR]

The database is built through the library (one transaction per 500 vendors, the same
repository calls the services use; final audits get their stored result as finalize stores
it); `--db FILE` keeps it, reuses it when it exists and resumes an interrupted build.
`--baseline DIR` (a source copy of another version, e.g. `git archive main auditkit checklists
report_templates` unpacked there) also runs every command with DIR on PYTHONPATH and a cache
directory of its own, interleaved with this code's runs, and prints the CPU ratio.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditkit.models.audit import AuditStatus, FinalScore, Finding, FindingStatus, Severity
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.services import listings, reviews
from auditkit.storage import findings as finding_store
from auditkit.storage import repository as repo
from auditkit.storage import scores
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import transaction

AUDITKIT = [sys.executable, "-m", "auditkit"]
# as an installed package runs: with bytecode cached (some shells set PYTHONDONTWRITEBYTECODE)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
TODAY = dt.date(2026, 11, 29)
COMMANDS = (
    ["vendor", "list"],
    ["due", "--today", TODAY.isoformat()],
    ["findings", "list"],
    ["audit", "list"],
)
LEVELS = ("low", "medium", "high")
ACCESS = ("none", "limited", "privileged")
SEVERITIES = list(Severity)
RATINGS = ("low", "medium", "high", "critical")
VERDICTS = ("approve", "approve_with_conditions", "reject")


def build(db: str, count: int) -> None:
    """`count` vendors, 3 audits each (two final, with stored results), one finding per
    audit; an interrupted build resumes where its last committed batch ended."""
    batch = 500
    with transaction(db) as conn:
        done = repo.count(conn, "vendors")
    for first in range(done, count, batch):
        with transaction(db) as conn:
            for index in range(first, min(first + batch, count)):
                _vendor(conn, index)


def _vendor(conn: Any, index: int) -> None:
    profile = VendorProfile(
        personal_data=LEVELS[index % 3],
        criticality=LEVELS[(index // 3) % 3],
        system_access=ACCESS[(index // 9) % 3],
        handles_card_data=index % 7 == 0,
    )
    vendor = vendor_store.add_vendor(
        conn, Vendor(name=f"Vendor {index:05d} KK", services=["site_hosting"], profile=profile), "b"
    )
    previous = None
    for year in range(3):  # spread over the year, so `due` has every state
        as_of = dt.date(2024 + year, 1, 1) + dt.timedelta(days=(index * 37) % 365)
        audit = repo.create_audit(
            conn, vendor.id or 0, {"nda": "1.0.0"}, profile.model_dump(mode="json"), as_of, "b",
            previous,
        )  # fmt: skip
        if year < 2 and index % 11:  # one vendor in 11 was never reviewed
            repo.set_audit_status(conn, audit, AuditStatus.FINAL, "b")
            score = FinalScore(audit.id, 50.0 + index % 50, RATINGS[index % 4], VERDICTS[index % 3])
            scores.save(conn, score)
        finding_store.add_finding(
            conn,
            Finding(
                vendor_id=vendor.id or 0,
                audit_id=audit.id,
                question_id=f"nda.q{year}",
                severity=SEVERITIES[(index + year) % len(SEVERITIES)],
                status=FindingStatus.OPEN if year == 2 else FindingStatus.REMEDIATED,
                summary=f"Finding {year} of vendor {index}",
                due_date=as_of + dt.timedelta(days=90),
            ),
            "b",
        )
        previous = audit.id


def measure(
    args: list[str], env: dict[str, str] = ENV, cwd: str | None = None
) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[:300]}")  # type: ignore[union-attr]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def in_process(db: str, runs: int) -> dict[str, float]:
    """Median seconds of each listing's library call (no start-up, no printing)."""
    calls: dict[str, Callable[[], object]] = {
        "listings.vendors": lambda: listings.vendors(db),
        "reviews.due": lambda: reviews.due(db, TODAY),
        "listings.findings": lambda: listings.findings(db),
        "listings.audits": lambda: listings.audits(db),
    }
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(s) for name, s in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="Keep (or reuse) the database in this file.")
    parser.add_argument("--extra", default="", help="Extra options for every command.")
    parser.add_argument("--baseline", type=Path, help="Compare with this source copy.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = (args.db or Path(tmp) / "listings.db").resolve()  # the commands run in tmp
        db = str(path)
        start = time.perf_counter()
        build(db, args.vendors)
        print(f"database of {args.vendors} vendors ready in {time.perf_counter() - start:.0f} s")
        extra = args.extra.split()
        commands = {
            " ".join(c + j + extra): [*AUDITKIT, "--db", db, *c, *j, *extra]
            for c in COMMANDS
            for j in ([], ["--json"])
        }
        sides = {"this": ENV}  # started in an empty directory: no auditkit package there
        if args.baseline:
            baseline = {"PYTHONPATH": str(args.baseline.resolve())}
            sides["baseline"] = {**ENV, **baseline, "AUDITKIT_CACHE_DIR": f"{tmp}/cache"}
        for env in sides.values():  # warm-up: bytecode written, files in the page cache
            for command in commands.values():
                measure(command, env, tmp)
        samples: dict[tuple[str, str], list[tuple[float, float, float]]] = {
            (name, side): [] for name in commands for side in sides
        }
        for _ in range(args.runs):  # interleaved: load changes hit every command alike
            for name, command in commands.items():
                for side, env in sides.items():
                    samples[name, side].append(measure(command, env, tmp))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"median of {args.runs} runs, load average {load} on {os.cpu_count()} CPUs")
        print("whole process (goal <= 0.3 s and <= 150 MB):")
        for name in commands:
            line = _figures(samples[name, "this"])
            if args.baseline:
                before, after = (_cpu(samples[name, side]) for side in ("baseline", "this"))
                line += f"   baseline {_figures(samples[name, 'baseline'])}"
                line += f"   CPU {after / before:.2f}x"
            print(f"  {name:<42} {line}")
        print("library call alone, in this process:")
        for name, seconds in in_process(db, args.runs).items():
            print(f"  {name:<42} {seconds:6.3f} s")


def _cpu(runs: list[tuple[float, float, float]]) -> float:
    return statistics.median(c for _, c, _ in runs)


def _figures(runs: list[tuple[float, float, float]]) -> str:
    wall = statistics.median(w for w, _, _ in runs)
    peak = max(m for _, _, m in runs)
    return f"{wall:6.3f} s wall {_cpu(runs):6.3f} s CPU {peak:6.0f} MB"


if __name__ == "__main__":
    main()
