"""SIGKILL during `audit finalize`, many times: every kill must leave the audit a draft with
nothing frozen, or final with its whole record (the test does 30; this does as many as asked).

Run: .venv/bin/python benchmarks/bench_finalize_kill.py [--kills 200] [--seed 1]

Prints how the kills landed (draft / final) and the median time of a full finalize process.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from auditkit import Workspace
from auditkit.models.record import sha256_of

ROOT = Path(__file__).resolve().parents[1]


def build(db: Path) -> None:
    with Workspace(db=db, actor="bench") as ws:
        vendor = ws.vendors.add(name="Killed KK", handles_card_data=True, personal_data="high")
        audit = ws.audits.start(vendor)
        ws.audits.answer(audit, "access_control.mfa_admin", "sms_otp")
        ws.audits.answer(audit, "nda.nda_before_access", "no")
        ws.audits.refresh_findings(audit)


def state(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise SystemExit("integrity check failed")
        status, finalized = conn.execute(
            "SELECT status, finalized_at FROM audits WHERE id = 1"
        ).fetchone()
        records = conn.execute("SELECT content, content_sha256 FROM audit_records").fetchall()
    if status == "draft" and not records and finalized is None:
        return "draft"
    if status == "final" and len(records) == 1 and finalized:
        content, sha = records[0]
        if sha256_of(json.loads(content)) == sha:
            return "final"
    raise SystemExit(f"half-written: status {status}, {len(records)} record(s)")


def wait_for_writes(proc: subprocess.Popen[bytes], wal: Path) -> bool:
    """Wait until the process starts writing (its WAL file grows); False if it ended first."""
    while proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 0:
            return True
        time.sleep(0.0005)
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        template, db = Path(tmp) / "template.db", Path(tmp) / "run.db"
        build(template)
        command = [
            sys.executable, "-m", "auditkit", "--db", str(db), "--as", "A", "audit", "finalize",
            "1", "--reviewer", "R", "--approver", "A", "--accept-unanswered", "benchmark",
        ]  # fmt: skip

        def fresh() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copy(template, db)

        runs = []
        for _ in range(3):
            fresh()
            started = time.perf_counter()
            subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
            runs.append(time.perf_counter() - started)
        full = statistics.median(runs)
        rng = random.Random(args.seed)
        outcomes: Counter[str] = Counter()
        kills = 0
        wal = Path(f"{db}-wal")
        attempt = 0
        while kills < args.kills:
            attempt += 1
            fresh()
            started = time.perf_counter()
            proc = subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if attempt % 2 and wait_for_writes(proc, wal):  # kill inside the transaction
                time.sleep(rng.uniform(0, 0.05))
                proc.kill()
                kills += proc.wait() == -9
            else:
                try:  # a run that finishes first is checked too, and narrows the window
                    proc.wait(timeout=rng.uniform(0.3, 1.1) * full)
                    full = time.perf_counter() - started
                except subprocess.TimeoutExpired:
                    proc.kill()
                    kills += proc.wait() == -9
            outcomes[state(db)] += 1
    print(
        f"finalize process median {statistics.median(runs):.3f} s; {args.kills} kills; "
        f"outcomes {dict(outcomes)}"
    )
    print("every outcome was a whole draft or a whole final audit")


if __name__ == "__main__":
    main()
