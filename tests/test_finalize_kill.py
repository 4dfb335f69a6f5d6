"""SIGKILL during finalize: the audit is a draft with nothing frozen, or final with all of it."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from auditkit.models.record import sha256_of
from auditkit.storage.db import close
from tests.record_helpers import Cli

ROOT = Path(__file__).resolve().parents[1]
KILLS = 30


def build_draft(db: Path, tmp_path: Path) -> None:
    ak = Cli(str(db), tmp_path)
    ak.ok("vendor", "add", "Killed KK", "--card-data", "--personal-data", "high")
    ak.ok("audit", "start", "Killed KK", "--as-of", "2026-11-01")
    for question, value in (
        ("access_control.mfa_admin", "sms_otp"),
        ("nda.nda_before_access", "no"),
        ("ssl_tls.min_version", "tls12_min"),
    ):
        ak.ok("audit", "answer", "1", question, value)
    ak.ok("audit", "score", "1")
    close(str(db))  # checkpoint the WAL: the file alone is the whole database


def state_of(db: Path) -> str:
    """'draft' or 'final', after checking that nothing is half-written."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        status, reviewer, approver, finalized = conn.execute(
            "SELECT status, reviewer, approver, finalized_at FROM audits WHERE id = 1"
        ).fetchone()
        records = conn.execute("SELECT content, content_sha256 FROM audit_records").fetchall()
        fields = {r[0] for r in conn.execute("SELECT field FROM changes WHERE audit_id = 1")}
        if status == "draft":
            assert (reviewer, approver, finalized, records) == (None, None, None, [])
            assert not fields & {"reviewer", "approver", "finalized_by"}
            return "draft"
        assert status == "final" and (reviewer, approver) == ("R", "A") and finalized
        [(content, sha)] = records
        frozen = json.loads(content)
        assert sha256_of(frozen) == sha
        for pin in frozen["checklists"].values():
            stored = conn.execute(
                "SELECT count(*) FROM checklist_contents WHERE sha256 = ?", (pin["sha256"],)
            ).fetchone()[0]
            assert stored == 1
        assert {"status", "reviewer", "approver", "finalized_by"} <= fields
        return "final"


def wait_for_writes(proc: subprocess.Popen[bytes], wal: Path) -> bool:
    """Wait until the process starts writing (its WAL file grows); False if it ended first."""
    while proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 0:
            return True
        time.sleep(0.0005)
    return False


@pytest.mark.slow
def test_sigkill_during_finalize_never_leaves_a_half_frozen_audit(tmp_path: Path) -> None:
    template = tmp_path / "template.db"
    build_draft(template, tmp_path)
    db = tmp_path / "run.db"
    command = [
        sys.executable, "-m", "auditkit", "--db", str(db), "--as", "A", "audit", "finalize", "1",
        "--reviewer", "R", "--approver", "A", "--accept-unanswered", "kill test",
    ]  # fmt: skip

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, db)

    fresh()
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    full = time.monotonic() - started  # only to spread the kill points over a whole run
    assert state_of(db) == "final"
    rng = random.Random(9)
    outcomes: Counter[str] = Counter()
    kills = 0
    wal = Path(f"{db}-wal")
    for attempt in range(KILLS * 10):
        fresh()
        started = time.monotonic()
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
                full = time.monotonic() - started
            except subprocess.TimeoutExpired:
                proc.kill()
                kills += proc.wait() == -9
        outcomes[state_of(db)] += 1
        if kills == KILLS:
            break
    print(f"kill outcomes after {kills} kills: {dict(outcomes)}")
    assert kills == KILLS
