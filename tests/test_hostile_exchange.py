"""Spoofing and noise: swapped question ids, error floods, unbounded free text, self-contained
HTML, full disks, and scripted interviews that must not read the auditor's files."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, update

from auditkit.cli.main import cli
from auditkit.models.vendor import Vendor
from auditkit.services import audits, vendors
from auditkit.services.exchange import export_questionnaire
from auditkit.storage.schema import answers as answers_table
from tests.builders import AS_OF, basics, fill_document, fill_workbook
from tests.builders import REPORT_FIXTURES as FIXTURES

CHECKLISTS = {"rpt_basics": basics()}
SWAP = ("rpt_basics.tls", "rpt_basics.mfa")


def invoke(db: str, *args: str, input: str | None = None) -> Result:
    command = ["--db", db, "--as", "tester", "--checklists", str(FIXTURES), *args]
    return CliRunner().invoke(cli, command, input=input)


@pytest.fixture
def audit_id(db: str) -> int:
    vendor = vendors.add(db, Vendor(name="Fuji Logistics"), "tester")
    return audits.start(db, vendor.name, CHECKLISTS, "tester", as_of=AS_OF).id


def swap_ids_in_document(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    by_id = {q["id"]: q for q in data["questions"]}
    by_id[SWAP[0]]["id"], by_id[SWAP[1]]["id"] = SWAP[1], SWAP[0]
    path.write_text(json.dumps(data), encoding="utf-8")


def swap_ids_in_workbook(path: Path) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["rpt_basics"]
    cells = {sheet.cell(r, 8).value: sheet.cell(r, 8) for r in range(2, sheet.max_row + 1)}
    cells[SWAP[0]].value, cells[SWAP[1]].value = SWAP[1], SWAP[0]
    workbook.save(path)


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_swapped_hidden_ids_are_refused(
    db: str, audit_id: int, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"q{suffix}"
    export_questionnaire(db, audit_id, CHECKLISTS, path)
    answers = {SWAP[0]: {"answer": "yes"}, SWAP[1]: {"answer": "no"}}
    if suffix == ".json":
        fill_document(path, answers)
        swap_ids_in_document(path)
    else:
        fill_workbook(path, answers)
        swap_ids_in_workbook(path)
    result = invoke(db, "audit", "import", str(audit_id), str(path))
    assert result.exit_code == 3, result.output
    assert result.output.count("this row was exported for another question") == 2
    assert audits.state(db, audit_id, CHECKLISTS).answers == {}


def test_a_flood_of_problems_is_capped(db: str, audit_id: int, tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    export_questionnaire(db, audit_id, CHECKLISTS, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["questions"] += [{"id": "rpt_basics.tls"} for _ in range(20_000)]
    path.write_text(json.dumps(data), encoding="utf-8")
    result = invoke(db, "audit", "import", str(audit_id), str(path))
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert len(lines) == 51 and lines[-1] == "error: ... and 19950 more problems"


@pytest.mark.parametrize(
    ("args", "field", "limit"),
    [
        (("audit", "finalize", "{a}", "--reviewer", "{long}"), "reviewer", 200),
        (("audit", "finalize", "{a}", "--reviewer", "R", "--approver", "{long}"), "approver", 200),
        (("audit", "answer", "{a}", "rpt_basics.tls", "yes", "--comment", "{huge}"), "comment", 10_000),
        (("audit", "answer", "{a}", "rpt_basics.notes", "{huge}"), "text", 10_000),
    ],
)  # fmt: skip
def test_free_text_limits(
    db: str, audit_id: int, args: tuple[str, ...], field: str, limit: int
) -> None:
    filled = [a.format(a=audit_id, long="x" * 20_000, huge="y" * 20_000) for a in args]
    result = invoke(db, *filled)
    assert result.exit_code == 3, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")
    assert f"the limit is {limit}" in result.output or f"longer than {limit}" in result.output
    assert audits.state(db, audit_id, CHECKLISTS).audit.status.value == "draft"


def test_finding_owner_and_notes_are_limited(db: str, audit_id: int) -> None:
    invoke(db, "audit", "answer", str(audit_id), "rpt_basics.mfa", "no")
    assert invoke(db, "audit", "score", str(audit_id)).exit_code == 0
    for option, limit in (("--owner", 200), ("--notes", 10_000)):
        result = invoke(db, "findings", "update", "1", option, "z" * 20_000)
        assert result.exit_code == 3, result.output
        assert result.output == (f"error: {option[2:]}: 20000 characters; the limit is {limit}\n")


def test_nul_in_an_imported_comment_is_one_line_naming_row_and_field(
    db: str, audit_id: int, tmp_path: Path
) -> None:
    path = tmp_path / "q.json"
    export_questionnaire(db, audit_id, CHECKLISTS, path)
    fill_document(path, {"rpt_basics.tls": {"answer": "yes", "comment": "nul\x00here"}})
    result = invoke(db, "audit", "import", str(audit_id), str(path))
    assert (result.exit_code, result.output) == (
        3,
        f"error: {path}: questions[0] (rpt_basics.tls): comment: contains a NUL character "
        "(\\x00); remove it\n",
    )


@pytest.mark.slow
def test_html_report_is_self_contained(db: str, audit_id: int, tmp_path: Path) -> None:
    audits.answer(db, audit_id, "rpt_basics.notes", "fine", CHECKLISTS, "tester")
    engine = create_engine(db if "://" in db else f"sqlite:///{db}")
    with engine.begin() as conn:  # as an older version could store it
        conn.execute(update(answers_table).values(comment="bidi \u202e and \u2029 here"))
    engine.dispose()
    out = tmp_path / "r.html"
    result = invoke(db, "report", str(audit_id), "-o", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    html = out.read_bytes()
    assert b"file:" not in html and b"\x00" not in html
    assert "\u202e".encode() not in html and "\u2029".encode() not in html
    assert b'src="data:image/svg+xml;base64,' in html and b'url("data:font/' in html


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)])
    if done.returncode:
        pytest.skip("cannot mount a 16 KB tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.slow
@pytest.mark.sqlite_only
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_export_to_a_full_disk_is_one_clean_line(
    db: str, audit_id: int, tiny_disk: Path, suffix: str
) -> None:
    import sys

    out = tiny_disk / f"q{suffix}"
    for qid, value in (
        ("rpt_basics.tls", "yes"),
        ("rpt_basics.mfa", "no"),
        ("rpt_basics.notes", "x"),
    ):
        big = os.urandom(4_500).hex()  # does not compress below the 16 KB of the disk
        audits.answer(db, audit_id, qid, value, CHECKLISTS, "tester", comment=big)
    command = [sys.executable, "-m", "auditkit", "--db", db, "--checklists", str(FIXTURES)]
    done = subprocess.run(
        [*command, "audit", "export", str(audit_id), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (
        1,
        f"error: {out}: cannot write (No space left on device)\n",
    )
    assert list(tiny_disk.iterdir()) == []


def test_scripted_interview_never_reads_a_file(db: str, audit_id: int, tmp_path: Path) -> None:
    secret = tmp_path / "secret-pentest.pdf"
    secret.write_bytes(b"%PDF-1.4 the auditor's own file")
    piped = f"yes\n\npartial\n\n{secret}\n\n"
    result = invoke(db, "audit", "interview", str(audit_id), input=piped)
    assert result.exit_code == 0, result.output
    assert f"attach it with: auditkit audit evidence {audit_id} rpt_basics.pentest FILE" in (
        result.output
    )
    answer = audits.state(db, audit_id, CHECKLISTS).answers["rpt_basics.pentest"]
    assert (answer.value, answer.evidence) == (str(secret), [])
