"""End to end through the command line, with exact output."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from auditkit.exchange.safety import cell_escape
from auditkit.exchange.yaml_json_model import json_schema
from auditkit.services import audits, signoff
from auditkit.services import findings as finding_service
from auditkit.services.signoff import SignOffRequest
from tests.builders import fill_workbook, make_run, start_audit, synthetic_checklists

CL = synthetic_checklists()


@pytest.fixture
def checklist_dir(tmp_path: Path) -> Path:
    """The synthetic checklists as files, for the CLI's --checklists option."""
    folder = tmp_path / "checklists"
    folder.mkdir()
    for item in CL.values():
        data = item.model_dump(mode="json", by_alias=True, exclude_none=True)
        (folder / f"{item.id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return folder


@pytest.fixture
def cli(db: str, checklist_dir: Path):  # type: ignore[no-untyped-def]
    run = make_run(db)
    return lambda *args: run("--checklists", str(checklist_dir), *args)


def test_export_then_dry_run_then_import(db: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    audit_id = start_audit(db, CL)
    path = tmp_path / "q.xlsx"
    result = cli("audit", "export", str(audit_id), "-o", str(path))
    assert (result.exit_code, result.output) == (
        0,
        f"exported 9 questions (2 checklists) of audit 1 to {path}\n",
    )
    red = cell_escape("ok \x1b[31mred")  # typed into the sheet as a spreadsheet stores it
    fill_workbook(
        path,
        {
            "alpha.min_version": {"answer": "TLS 1.3", "comment": red},
            "alpha.patch_days": {"answer": 5},
        },
    )
    result = cli("audit", "import", "1", str(path), "--dry-run")
    assert result.exit_code == 0
    assert result.output == (
        "  alpha.min_version: (none) → TLS 1.3\n"
        "  alpha.min_version comment: (none) → ok \\x1b[31mred\n"
        "  alpha.patch_days: (none) → 5\n"
        "dry run: 2 answers would change, 7 unchanged; nothing stored\n"
    )
    assert audits.state(db, 1, CL).answers == {}
    result = cli("audit", "import", "1", str(path))
    assert (
        result.output.splitlines()[-1]
        == f"imported {path} into audit 1: 2 answers changed, 7 unchanged"
    )
    assert (
        audits.state(db, 1, CL).answers["alpha.min_version"].comment == "ok \\x1b[31mred"
    )  # stored as a visible escape


def test_import_problems_exit_3_with_one_line_each(db: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    start_audit(db, CL)
    path = tmp_path / "q.xlsx"
    cli("audit", "export", "1", "-o", str(path), "--lang", "ja")
    fill_workbook(path, {"alpha.min_version": {"answer": "maybe"}, "alpha.hsts": {"answer": "=1"}})
    result = cli("audit", "import", "1", str(path))
    assert result.exit_code == 3
    assert result.stderr == (
        f"error: {path}: sheet 'alpha' row 2 (alpha.min_version): answer: unknown choice 'maybe'; "
        "expected one of tls13, tls12, legacy\n"
        f"error: {path}: sheet 'alpha' row 3 (alpha.hsts): answer: formulas are not accepted; "
        "type the value itself\n"
    )


def test_import_into_final_audit_exits_5(db: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    start_audit(db, CL)
    path = tmp_path / "q.yaml"
    cli("audit", "export", "1", "-o", str(path))
    signoff.finalize(
        db, 1, CL, SignOffRequest("Reviewer", "Approver", accept_unanswered="test"), "tester"
    )
    result = cli("audit", "import", "1", str(path))
    assert (result.exit_code, result.stderr) == (
        5,
        "error: audit 1 is final and cannot be changed; start a new audit instead\n",
    )


def test_json_outputs_and_schema(db: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    start_audit(db, CL)
    path = tmp_path / "q.json"
    result = cli("audit", "export", "1", "-o", str(path), "--json")
    assert json.loads(result.output) == {
        "audit_id": 1,
        "file": str(path),
        "questions": 9,
        "checklists": {"alpha": "1.0.0", "beta": "1.0.0"},
    }
    data = json.loads(path.read_text(encoding="utf-8"))
    data["questions"][1]["answer"] = "yes"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("audit", "import", "1", str(path), "--json", "--source", "auditor")
    assert json.loads(result.output) == {
        "audit_id": 1, "stored": True, "unchanged": 8,
        "changes": [{"question_id": "alpha.hsts", "old": None,
                     "new": {"value": "yes", "comment": None, "evidence_ref": None}}],
    }  # fmt: skip
    assert json.loads(cli("audit", "schema").output) == json_schema()


def test_export_needs_a_known_format(db: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    start_audit(db, CL)
    result = cli("audit", "export", "1", "-o", str(tmp_path / "q.txt"))
    assert (result.exit_code, result.stderr) == (
        3, f"error: {tmp_path / 'q.txt'}: cannot tell the format from the file name; "
        "give --format xlsx, yaml or json\n",
    )  # fmt: skip


@pytest.fixture
def with_findings(db: str) -> None:
    audit_id = start_audit(db, CL, name="=Sakura+KK")
    audits.answer(db, audit_id, "alpha.min_version", "legacy", CL, "auditor")
    audits.answer(db, audit_id, "alpha.hsts", "no", CL, "auditor")
    audits.refresh_findings(db, audit_id, CL, "tester")
    finding_service.update(db, 1, "tester", owner="-ops", notes='=HYPERLINK("http://evil")')


def test_findings_csv_is_formula_safe(db: str, tmp_path: Path, cli, with_findings: None) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.csv"
    result = cli("findings", "export", "-o", str(path), "--open")
    assert (result.exit_code, result.output) == (0, f"exported 2 findings to {path}\n")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["id", "vendor", "audit", "question_id", "question", "severity", "status",
                       "owner", "due_date", "remediation", "notes"]  # fmt: skip
    assert rows[1] == [
        "1", "'=Sakura+KK", "1", "alpha.min_version", "Question alpha.min_version?",
        "medium", "open", "'-ops", "", "Fix it.", "'=HYPERLINK(\"http://evil\")",
    ]  # fmt: skip
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_findings_xlsx_is_formula_safe(db: str, tmp_path: Path, cli, with_findings: None) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.xlsx"
    assert cli("findings", "export", "-o", str(path), "--vendor", "=Sakura+KK").exit_code == 0
    sheet = openpyxl.load_workbook(path)["findings"]
    assert [c.value for c in sheet[2]][:3] == [1, "=Sakura+KK", 1]
    assert sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix
    assert sheet["K2"].value == '=HYPERLINK("http://evil")' and sheet["K2"].data_type == "s"


def test_light_imports_do_not_load_openpyxl() -> None:
    code = ("import sys, auditkit.cli.exchange_cmds, auditkit.exchange.questionnaire_file, "
            "auditkit.exchange.importer, auditkit.exchange.findings_file, auditkit.services.exchange; "
            "print('openpyxl' in sys.modules)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_every_command_has_help(db: str) -> None:
    run = make_run(db)
    for args in (
        ["audit", "export"],
        ["audit", "import"],
        ["audit", "schema"],
        ["findings", "export"],
    ):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output
