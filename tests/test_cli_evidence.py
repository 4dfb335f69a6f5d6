"""The evidence register, `due` with lapsing evidence, `audit show` and `audit verify-answer`,
end to end through the CLI on the demo database plus a fourth and a fifth logistics candidate."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from auditkit.checklists import load_directories
from auditkit.cli.main import cli
from auditkit.services.demo import seed
from auditkit.storage.db import close
from auditkit.storage.engine import resolve_url

TODAY = "2026-11-01"
MINATO, NISHIKAZE = "株式会社みなと物流サービス", "Nishikaze Logistics GK"
PROFILE = (
    "--service", "logistics", "--service", "customer_support", "--service", "inventory",
    "--personal-data", "medium", "--system-access", "limited", "--criticality", "medium",
)  # fmt: skip
SIGN = ("--reviewer", "R. Reviewer", "--approver", "A. Approver", "--accept-unanswered", "test")


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo audits 1-4; Minato (audit 5, draft: a PCI AOC expiring in 20 days on the
    incident-response plan question) and Nishikaze (audit 6, final: an insurance certificate
    that expired in October)."""
    folder = tmp_path_factory.mktemp("evidence")
    db = str(folder / "demo.db")
    seed(db, load_directories())
    close(db)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", db, "--as", "tester", *args])

    exported = folder / "hoshizora.yaml"
    _ok(invoke("audit", "export", "3", "-o", str(exported), "--format", "yaml"))
    for name, audit_id in ((MINATO, 5), (NISHIKAZE, 6)):
        _ok(invoke("vendor", "add", name, *PROFILE))
        _ok(invoke("audit", "start", name, "--as-of", TODAY))
        mine = folder / f"answers-{audit_id}.yaml"
        text_ = exported.read_text(encoding="utf-8").replace(
            "audit_id: 3\n", f"audit_id: {audit_id}\n"
        )
        mine.write_text(text_, encoding="utf-8")
        _ok(invoke("audit", "import", str(audit_id), str(mine)))
    aoc = folder / "minato-aoc.pdf"
    aoc.write_bytes(b"PCI DSS AOC (test)\n")
    _ok(invoke("audit", "evidence", "5", "incident_response.ir_plan", str(aoc), "--kind", "pci_aoc",
               "--issued", "2025-11-21", "--expires", "2026-11-21"))  # fmt: skip
    insurance = folder / "nishikaze-insurance.pdf"
    insurance.write_bytes(b"Cyber insurance certificate (test)\n")
    _ok(invoke("audit", "evidence", "6", "contract_exit.data_ownership", str(insurance),
               "--kind", "insurance_certificate", "--expires", "2026-10-15",
               "--note", "policy 123"))  # fmt: skip
    _ok(invoke("audit", "finalize", "6", *SIGN))
    close(db)
    return folder


@pytest.fixture
def run(prepared: Path, tmp_path: Path) -> Iterator[Callable[..., Result]]:
    copy = tmp_path / "demo.db"
    shutil.copy(prepared / "demo.db", copy)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", str(copy), "--as", "Auditor A", *args])

    yield invoke
    close(str(copy))


def _json(run: Callable[..., Result], *args: str) -> Any:
    return json.loads(_ok(run(*args, "--json")).output)


def test_register_lists_each_file_with_its_details_and_questions(
    run: Callable[..., Result], prepared: Path
) -> None:
    rows = _json(run, "evidence", "list", "--audit", "5", "--today", TODAY)
    aoc = next(r for r in rows if r["kind"] == "pci_aoc")
    assert aoc == {
        "vendor": MINATO,
        "vendor_id": 4,
        "audit_id": 5,
        "audit_status": "draft",
        "name": "minato-aoc.pdf",
        "kind": "pci_aoc",
        "sha256": hashlib.sha256((prepared / "minato-aoc.pdf").read_bytes()).hexdigest(),
        "size": 19,
        "issued": "2025-11-21",
        "expires": "2026-11-21",
        "expired": False,
        "note": None,
        "questions": ["incident_response.ir_plan"],
        "days_left": 20,
    }
    assert {r["audit_id"] for r in rows} == {5}
    shown = _ok(run("evidence", "list", "--vendor", MINATO, "--today", TODAY)).output
    assert "minato-aoc.pdf" in shown and "incident_response.ir_plan" in shown
    assert aoc["sha256"][:16] in shown


def test_expiring_and_expired_filters(run: Callable[..., Result]) -> None:
    soon = _json(run, "evidence", "list", "--expiring", "30", "--today", TODAY)
    assert [(r["name"], r["days_left"]) for r in soon] == [("minato-aoc.pdf", 20)]
    expired = _json(run, "evidence", "list", "--expired", "--today", TODAY)
    assert expired and all(r["expired"] and r["days_left"] < 0 for r in expired)
    assert "nishikaze-insurance.pdf" in {r["name"] for r in expired}
    both = _json(run, "evidence", "list", "--expired", "--expiring", "30", "--today", TODAY)
    assert both == expired + soon  # soonest expiry first: expired files, then the AOC
    days = [r["expires"] for r in _json(run, "evidence", "list", "--today", TODAY)]
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated) and days[: len(dated)] == dated  # undated files last


def test_pages_are_slices_of_the_whole_register(run: Callable[..., Result]) -> None:
    whole = _json(run, "evidence", "list", "--today", TODAY)
    assert len(whole) > 6
    page = _json(run, "evidence", "list", "--today", TODAY, "--limit", "4", "--offset", "3")
    assert page == whole[3:7]


def test_a_final_audit_shows_the_evidence_frozen_at_sign_off(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    before = _json(run, "evidence", "list", "--audit", "6", "--today", TODAY)
    engine = create_engine(resolve_url(str(tmp_path / "demo.db")))
    with engine.begin() as conn:  # someone edits the link behind auditkit's back
        conn.execute(text("UPDATE evidence_links SET kind = 'other', expires = NULL "
                          "WHERE audit_id = 6"))  # fmt: skip
    engine.dispose()
    assert _json(run, "evidence", "list", "--audit", "6", "--today", TODAY) == before
    insurance = next(r for r in before if r["name"] == "nishikaze-insurance.pdf")
    assert (insurance["kind"], insurance["expires"], insurance["note"]) == (
        "insurance_certificate",
        "2026-10-15",
        "policy 123",
    )


def test_due_lists_lapsing_evidence_as_a_reason_to_review_early(
    run: Callable[..., Result],
) -> None:
    rows = _json(run, "due", "--today", TODAY, "--soon", "30")
    by_vendor = {r["vendor"]: r for r in rows}
    nishikaze = by_vendor[NISHIKAZE]
    assert nishikaze["state"] == "current" and nishikaze["review_early"] is True
    assert [(e["kind"], e["expired"]) for e in nishikaze["evidence"]] == [
        ("insurance_certificate", True)
    ]
    assert by_vendor[MINATO]["evidence"] == []  # a draft's files are not relied on yet
    early = [r["vendor"] for r in rows if r["review_early"]]
    assert early == [NISHIKAZE]  # Sakura's current files all run past the 30 days
    shown = _ok(run("due", "--today", TODAY, "--soon", "30")).output
    line = next(x for x in shown.splitlines() if x.startswith(NISHIKAZE))
    assert "Insurance certificate expired 2026-10-15" in line
    ja = _ok(run("--lang", "ja", "due", "--today", TODAY, "--soon", "30")).output
    assert "保険証券(付保証明書) は 2026-10-15 に期限切れ" in ja


def test_audit_show_lists_evidence_and_pending_questions(run: Callable[..., Result]) -> None:
    shown = _json(run, "audit", "show", "5")
    assert shown["pending"] == []  # every applicable question answered
    assert "minato-aoc.pdf" in {e["name"] for e in shown["evidence"]}
    assert shown["knowledge"]["incident_response.ir_plan"] == "self_attested"  # AOC: wrong kind
    text_ = _ok(run("audit", "show", "5")).output
    assert "0 pending questions" in text_ and "minato-aoc.pdf" in text_

    _ok(run("audit", "start", NISHIKAZE, "--as-of", TODAY))  # audit 7, a new draft
    _ok(run("audit", "answer", "7", "access_control.mfa_admin", "app_based"))
    fresh = _json(run, "audit", "show", "7")
    scored = _json(run, "audit", "score", "7")
    asked = [q["id"] for d in scored["domains"] for q in d["questions"]
             if q["status"] == "unanswered"]  # fmt: skip
    assert fresh["pending"] == asked and "access_control.mfa_admin" not in asked
    assert len(asked) > 50
    text_ = _ok(run("audit", "show", "7")).output
    assert f"{len(asked)} pending questions (applicable, unanswered)" in text_
    assert f"  {asked[0]}  " in text_


def test_verify_answer_counts_logs_and_is_refused_on_a_final_audit(
    run: Callable[..., Result],
) -> None:
    question = "redundancy.backups"  # a critical control, self-attested in the imported file
    before = _json(run, "audit", "score", "5")
    done = _json(run, "audit", "verify-answer", "5", question, "--how", "onsite", "--note",
                 "backup console checked on site")  # fmt: skip
    assert done["knowledge"] == {"before": "self_attested", "after": "verified"}
    assert done["score"]["after"] > done["score"]["before"]
    assert done["verification"]["how"] == "onsite"
    assert done["verification"]["by"] == "Auditor A"
    assert done["overall"]["after"] > before["overall"]
    assert question in before["critical_failures"]  # a knock-out until someone checks it
    after = _json(run, "audit", "score", "5")
    assert question not in after["critical_failures"]
    logged = [e for e in _json(run, "audit", "log", "5") if e["entity_id"] == question]
    assert logged[-1]["new"]["verification"]["note"] == "backup console checked on site"
    assert _ok(run("log", "verify")).output.endswith("chain intact\n")

    # a new value drops the verification: the auditor checks again
    value = next(a["value"] for a in _json(run, "audit", "show", "5")["answers"]
                 if a["question_id"] == question)  # fmt: skip
    _ok(run("audit", "answer", "5", question, "none", "--source", "vendor"))
    _ok(run("audit", "answer", "5", question, value, "--source", "vendor"))
    assert _json(run, "audit", "show", "5")["knowledge"][question] == "self_attested"

    changes = len(_json(run, "audit", "log", "6"))
    refused = run("audit", "verify-answer", "6", question, "--how", "demo")
    assert refused.exit_code == 5
    assert refused.output.strip() == (
        "error: audit 6 is final and cannot be changed; start a new audit instead"
    )
    assert len(_json(run, "audit", "log", "6")) == changes
    unknown = run("audit", "verify-answer", "5", "nda.nosuch", "--how", "demo")
    assert (unknown.exit_code, unknown.output) == (  # not found, as for audit answer
        4,
        "error: audit 5 has no question 'nda.nosuch'\n",
    )
    japanese = run("--lang", "ja", "audit", "verify-answer", "5", "nda.nosuch", "--how", "demo")
    assert (japanese.exit_code, japanese.output) == (
        4,
        "エラー: 評価 5 に質問 'nda.nosuch' はありません\n",
    )
    bad = run("audit", "verify-answer", "5", question, "--how", "email")
    assert bad.exit_code == 2
