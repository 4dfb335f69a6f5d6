"""`audit import --from caiq|hecvat|vsaq`: a vendor's filled standard questionnaire, through
the real CLI and a real database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from auditkit.checklists import load_directories
from auditkit.exchange.xlsx_reader import MAX_ROWS
from auditkit.models.audit import Source
from auditkit.services import audits
from tests.standard_files import caiq_workbook, hecvat_workbook, vsaq_files

Run = Callable[..., Result]
VENDOR = ("vendor", "add", "Acme", "--service", "site_hosting", "--personal-data", "medium")


def start(run: Run, *extra: str) -> None:
    assert run(*extra, *VENDOR).exit_code == 0
    started = run(*extra, "audit", "start", "Acme")
    assert started.exit_code == 0, started.output


def stored(db: str, checklist_dirs: tuple[Path, ...] = ()) -> dict[str, Any]:
    return audits.state(db, 1, load_directories(checklist_dirs)).answers


def asked(db: str) -> int:
    """How many questions audit 1 has (its checklists follow the shipped content)."""
    return sum(len(c.questions) for c in audits.state(db, 1, load_directories()).checklists)


FILLED_CAIQ = {
    "A&A-02.1": ("Yes", None),
    "BCR-08.1": ("Yes", "hourly"),
    "IAM-05.1": ("yes", "RBAC"),
    "SEF-03.1": ("No", "being written"),
    "UEM-06.1": ("NA", None),
}


def test_caiq_dry_run_lists_matched_unmatched_and_stores_nothing(
    run: Run, db: str, tmp_path: Path
) -> None:
    start(run)
    filled = caiq_workbook(tmp_path / "vendor caiq.xlsx", FILLED_CAIQ)
    result = run("audit", "import", "1", str(filled), "--from", "caiq", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "matched: 3 answers (would store)",
        "  audit_logging.external_audit_frequency <- A&A-02.1: Annually",
        "  access_control.least_privilege <- IAM-05.1: Yes",
        "  incident_response.ir_plan <- SEF-03.1: No",
        "conflicting: 0",
        "unmatched: 3",
        "  sheet 'CAIQv4' row 4 (BCR-08.1): answer 'Yes' does not translate to redundancy.backups",
        "  sheet 'CAIQv4' row 6 (IAM-06.1): no answer",
        "  sheet 'CAIQv4' row 8 (UEM-06.1): no mapping for this question",
        f"0 already answered the same; {asked(db) - 3} questions of audit 1 stay pending",
        "dry run: nothing stored",
    ]
    assert stored(db) == {}


def test_caiq_import_marks_source_and_keeps_the_file_as_evidence(
    run: Run, db: str, tmp_path: Path
) -> None:
    start(run)
    filled = caiq_workbook(tmp_path / "vendor caiq.xlsx", FILLED_CAIQ)
    result = run("audit", "import", "1", str(filled), "--from", "caiq", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["stored"], data["pending"]) == (True, asked(db) - 3)
    answers = stored(db)
    assert set(answers) == {
        "audit_logging.external_audit_frequency",
        "access_control.least_privilege",
        "incident_response.ir_plan",
    }
    ir = answers["incident_response.ir_plan"]
    assert (ir.value, ir.source, ir.comment, ir.evidence_ref) == (
        "no",
        Source.STANDARD,
        "SEF-03.1: being written",
        "CAIQ SEF-03.1",
    )
    assert [(e.sha256, e.name, e.kind) for e in ir.evidence] == [
        (data["sha256"], "vendor caiq.xlsx", "other")
    ]
    verified = run("log", "verify")
    assert verified.exit_code == 0, verified.output
    assert verified.output.endswith("chain intact\n")


def test_answers_already_given_are_kept_unless_replace(run: Run, db: str, tmp_path: Path) -> None:
    start(run)
    assert run("audit", "answer", "1", "access_control.least_privilege", "no").exit_code == 0
    filled = caiq_workbook(tmp_path / "caiq.xlsx", {"IAM-05.1": ("Yes", None)})
    result = run("audit", "import", "1", str(filled), "--from", "caiq")
    assert result.output.splitlines()[:4] == [
        "matched: 0 answers (stored)",
        "conflicting: 1",
        "  access_control.least_privilege <- IAM-05.1: Yes (was: No) (kept; --replace to "
        "overwrite)",
        "unmatched: 4",  # the mapped questions the vendor left blank
    ]
    assert stored(db)["access_control.least_privilege"].value == "no"
    replaced = run("audit", "import", "1", str(filled), "--from", "caiq", "--replace")
    assert replaced.output.splitlines()[1] == (
        "  access_control.least_privilege <- IAM-05.1: Yes (was: No)"
    )
    assert stored(db)["access_control.least_privilege"].value == "yes"


def test_disagreeing_answers_leave_the_question_pending(run: Run, db: str, tmp_path: Path) -> None:
    start(run)
    mapping = tmp_path / "two.yaml"
    mapping.write_text(
        "standard: hecvat\ntitle: t\nbased_on: test\nentries:\n"
        "  - {source: HFIH-01, target: incident_response.ir_plan, answers: {'Yes': 'yes'}}\n"
        "  - {source: HFIH-04, target: incident_response.ir_plan, answers: {'No': 'no'}}\n",
        encoding="utf-8",
    )
    filled = hecvat_workbook(
        tmp_path / "h.xlsx", {"HFIH-01": ("Yes", None), "HFIH-04": ("No", None)}
    )
    result = run("audit", "import", "1", str(filled), "--from", "hecvat", "--mapping", str(mapping))
    assert result.output.splitlines()[:3] == [
        "matched: 0 answers (stored)",
        "conflicting: 1",
        "  incident_response.ir_plan: their answers disagree (HFIH-01 -> yes, HFIH-04 -> no); "
        "left pending",
    ]
    assert stored(db) == {}


@pytest.mark.slow
@pytest.mark.parametrize("standard", ["caiq", "hecvat", "vsaq"])
def test_round_trip_convert_validate_start_import_score(
    run: Run, db: str, tmp_path: Path, standard: str
) -> None:
    out = tmp_path / "converted"
    if standard == "vsaq":
        template, filled = vsaq_files(tmp_path)
    elif standard == "caiq":
        template = caiq_workbook(tmp_path / "t.xlsx")
        filled = caiq_workbook(tmp_path / "f.xlsx", FILLED_CAIQ)
    else:
        template = hecvat_workbook(tmp_path / "t.xlsx")
        answers = {
            "HFIH-01": ("Yes", "IR plan v3"),
            "HFIH-04": ("No", None),
            "FIDP-11": ("N/A", None),
        }
        filled = hecvat_workbook(tmp_path / "f.xlsx", answers)
    assert (
        run("checklist", "convert", str(template), "--from", standard, "-o", str(out)).exit_code
        == 0
    )
    assert run("checklist", "validate", str(out)).exit_code == 0
    start(run, "--checklists", str(out))
    mapping = out / "mappings" / f"{standard}.yaml"
    result = run(
        "--checklists", str(out), "audit", "import", "1", str(filled), "--from", standard,
        "--mapping", str(mapping), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    matched = {m["question_id"]: m["value"] for m in json.loads(result.output)["matched"]}
    assert matched == EXPECTED[standard]
    score = run("--checklists", str(out), "audit", "score", "1", "--json")
    assert score.exit_code == 0, score.output
    scored = json.loads(score.output)
    status = {q["id"]: q["status"] for d in scored["domains"] for q in d["questions"]}
    assert {status[qid] for qid in EXPECTED[standard]} <= {"pass", "fail", "na", "info"}
    assert status[next(iter(EXPECTED[standard]))] == FIRST_STATUS[standard]


FIRST_STATUS = {"caiq": "pass", "hecvat": "pass", "vsaq": "pass"}
EXPECTED: dict[str, dict[str, Any]] = {
    "caiq": {
        "caiq_a_a.a_a_02_1": "yes",
        "caiq_bcr.bcr_08_1": "yes",
        "caiq_iam.iam_05_1": "yes",
        "caiq_sef.sef_03_1": "no",
        "caiq_uem.uem_06_1": "n/a",
    },
    "hecvat": {
        "hecvat_hfih.hfih_01": "yes",
        "hecvat_hfih.hfih_04": "no",
        "hecvat_fidp.fidp_11": "n/a",
    },
    "vsaq": {
        "vsaq_security.sec_ir": "yes",
        "vsaq_security.sec_ir_describe": "Runbook in the wiki",
        "vsaq_security.sec_ctl": ["ids", "logs"],
        "vsaq_security.sec_ctl_logs_tool": "Graylog",
        "vsaq_security.sec_training": "yes",
        "vsaq_security.sec_training_how": "Yearly",
        "vsaq_security.sec_declare": "yes",
    },
}


def one_line_error(result: Result, code: int = 3) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_formula_is_refused_and_nothing_is_stored(run: Run, db: str, tmp_path: Path) -> None:
    start(run)
    filled = caiq_workbook(
        tmp_path / "f.xlsx", {"IAM-05.1": ("=1+1", None), "SEF-03.1": ("Yes", None)}
    )
    line = one_line_error(run("audit", "import", "1", str(filled), "--from", "caiq"))
    assert line == (
        f"error: {filled}: sheet 'CAIQv4' row 5 (IAM-05.1): answer: formulas are not accepted; "
        "type the value itself"
    )
    assert stored(db) == {}


def test_a_huge_sheet_is_refused(run: Run, db: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    start(run)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Big")
    sheet.append(["ID", "Question", "Answer"])
    for number in range(MAX_ROWS + 1):
        sheet.append([f"HFIH-{number:02d}", "Q?", "Yes"])
    workbook.save(tmp_path / "big.xlsx")
    line = one_line_error(
        run("audit", "import", "1", str(tmp_path / "big.xlsx"), "--from", "hecvat")
    )
    assert line == f"error: {tmp_path / 'big.xlsx'}: sheet 'Big' has more than {MAX_ROWS} rows"


def test_broken_and_bomb_workbooks_are_refused(run: Run, db: str, tmp_path: Path) -> None:
    import zipfile

    start(run)
    good = hecvat_workbook(tmp_path / "good.xlsx", {"HFIH-01": ("Yes", None)})
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:400])
    line = one_line_error(run("audit", "import", "1", str(truncated), "--from", "hecvat"))
    assert line.startswith(f"error: {truncated}: not an XLSX workbook (not a zip file")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    line = one_line_error(run("audit", "import", "1", str(bomb), "--from", "hecvat"))
    assert line.startswith(f"error: {bomb}: part 'xl/worksheets/sheet1.xml' expands to 2097152")
    assert line.endswith("refused as a possible zip bomb")
    assert stored(db) == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "expected a VSAQ answers object {id: value}"),
        ('{"a": 5}', "key 'a': expected text, got int"),
        ('{"a": ', "1:7: invalid JSON (Expecting value)"),
        ("[" * 40 + "]" * 40, "nesting deeper than 32 levels"),
    ],
)
def test_bad_vsaq_answer_files_are_one_line(
    run: Run, db: str, tmp_path: Path, content: str, message: str
) -> None:
    start(run)
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    line = one_line_error(run("audit", "import", "1", str(path), "--from", "vsaq"))
    separator = "" if message[0].isdigit() else " "
    assert line == f"error: {path}:{separator}{message}"


def test_an_oversized_vsaq_file_is_refused_before_reading(run: Run, tmp_path: Path) -> None:
    start(run)
    path = tmp_path / "answers.json"
    path.write_bytes(b" " * (3 * 1024 * 1024))
    line = one_line_error(run("audit", "import", "1", str(path), "--from", "vsaq"))
    assert line == f"error: {path}: file is 3.0 MB; the limit is 2 MB"


def test_a_mapping_must_fit_the_standard_and_the_checklists(run: Run, tmp_path: Path) -> None:
    start(run)
    filled = hecvat_workbook(tmp_path / "h.xlsx", {"HFIH-01": ("Yes", None)})
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "standard: hecvat\ntitle: t\nbased_on: test\nentries:\n"
        "  - {source: HFIH-01, target: incident_response.no_such, answers: {'Yes': 'yes'}}\n"
        "  - {source: HFIH-04, target: incident_response.ir_plan, answers: {'Yes': 'maybe'}}\n",
        encoding="utf-8",
    )
    result = run("audit", "import", "1", str(filled), "--from", "hecvat", "--mapping", str(wrong))
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"error: {wrong}: entries[0] (HFIH-01 -> incident_response.no_such): no question "
        "'incident_response.no_such' in the loaded checklists",
        f"error: {wrong}: entries[1] (HFIH-04 -> incident_response.ir_plan): answers.yes: "
        "'maybe' is not a choice of incident_response.ir_plan; expected one of no, partial, yes",
    ]
    caiq = run("audit", "import", "1", str(filled), "--from", "vsaq", "--mapping", str(wrong))
    assert one_line_error(caiq) == f"error: {wrong}: this mapping is for hecvat, not vsaq"


def test_mapping_options_need_from(run: Run, tmp_path: Path) -> None:
    result = run("audit", "import", "1", str(tmp_path / "x.xlsx"), "--replace")
    assert result.exit_code == 2
    assert "--mapping, --columns and --replace go with --from" in result.output
    both = run(
        "audit", "import", "1", str(tmp_path / "x.xlsx"), "--from", "caiq", "--source", "auditor"
    )
    assert both.exit_code == 2
    assert "drop --source" in both.output


def test_vsaq_answers_through_the_shipped_mapping(run: Run, db: str, tmp_path: Path) -> None:
    start(run)
    path = tmp_path / "vsaq.json"
    path.write_text(
        json.dumps(
            {
                "secprog_incidents_procedures_yes": "checked",
                "secprog_incidents_procedures_no": "",
                "secprog_peopleops_train_hire": "checked",
                "testing_scans_monthly": "checked",
                "application_name": "Shop",
            }
        ),
        encoding="utf-8",
    )
    result = run("audit", "import", "1", str(path), "--from", "vsaq", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:7] == [
        "matched: 3 answers (would store)",
        "  incident_response.ir_plan <- secprog_incidents_procedures_yes: Yes",
        "  nda.security_training <- secprog_peopleops_train_hire: Partially",
        "  patching.vulnerability_scanning <- testing_scans_monthly: Monthly",
        "conflicting: 0",
        "unmatched: 1",
        "  key 'application_name' (application_name): no mapping for this question",
    ]
