"""An import racing `audit finalize` in separate processes never lands after the audit is final.

Each round starts the two commands in their own processes, the finalize offset by a different
delay so the race window is swept; then the change log must show every answer change before
the status change to final, and an import that lost the race must have been refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditkit.models.vendor import Vendor
from auditkit.services import audits, vendors
from auditkit.services.exchange import export_questionnaire
from tests.builders import AS_OF, basics, fill_document
from tests.builders import REPORT_FIXTURES as FIXTURES

pytestmark = pytest.mark.slow
ROUNDS = 12
CHECKLISTS = {"rpt_basics": basics()}
ANSWERS = {
    "rpt_basics.tls": {"answer": "yes"},
    "rpt_basics.mfa": {"answer": "partial", "comment": "admins only"},
    "rpt_basics.patch_days": {"answer": 10},
    "rpt_basics.notes": {"answer": "none", "evidence": "policy.pdf"},
}


def launch(db: str, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "auditkit", "--db", db, "--as", "racer"]
    return subprocess.Popen(
        [*command, "--checklists", str(FIXTURES), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def prepared_round(db: str, tmp_path: Path, n: int) -> tuple[int, Path]:
    vendor = vendors.add(db, Vendor(name=f"Racer {n} KK"), "tester")
    audit_id = audits.start(db, vendor.name, CHECKLISTS, "tester", as_of=AS_OF).id
    path = tmp_path / f"filled-{n}.json"
    export_questionnaire(db, audit_id, CHECKLISTS, path)
    fill_document(path, ANSWERS)
    return audit_id, path


def test_import_racing_finalize_never_writes_into_a_final_audit(db: str, tmp_path: Path) -> None:
    outcomes = []
    for n in range(ROUNDS):
        audit_id, path = prepared_round(db, tmp_path, n)
        importer = launch(db, "audit", "import", str(audit_id), str(path))
        time.sleep(0.04 * (n % 8))  # sweeps finalize from well before to after the import
        finalizer = launch(
            db, "audit", "finalize", str(audit_id), "--reviewer", "Aiko Tanaka",
            "--approver", "Ken Mori", "--accept-unanswered", "race test",
        )  # fmt: skip
        imported, finalized = importer.wait(timeout=120), finalizer.wait(timeout=120)
        assert importer.stderr is not None and finalizer.stderr is not None
        errors = importer.stderr.read() + finalizer.stderr.read()
        assert finalized == 0, errors
        assert imported in (0, 5), errors
        log = audits.changes(db, audit_id)
        final_at = next(i for i, c in enumerate(log) if c.field == "status" and c.new == "final")
        late = [c for c in log[final_at + 1 :] if c.entity == "answer"]
        assert late == [], f"round {n}: {len(late)} answers written after final"
        stored = audits.state(db, audit_id, CHECKLISTS).answers
        assert (imported == 0) == (len(stored) == len(ANSWERS)), errors
        if imported == 5:
            assert "is final and cannot be changed" in errors
        outcomes.append(imported)
    assert 0 in outcomes  # the sweep covers both orders
