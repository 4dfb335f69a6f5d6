"""XLSX questionnaires: structure, round trip as a vendor fills them, and every refusal."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from auditkit.assessment import AuditState
from auditkit.errors import Conflict, ValidationProblem
from auditkit.exchange.safety import cell_escape
from auditkit.exchange.xlsx_writer import set_text
from auditkit.models.audit import Source
from auditkit.models.checklist import AnswerType, Checklist, Question
from auditkit.services import audits, pinning, signoff
from auditkit.services.exchange import export_questionnaire, import_file
from auditkit.services.signoff import SignOffRequest
from auditkit.textnorm import normalize
from tests.builders import (
    fill_workbook,
    snapshot,
    start_audit,
    stored,
    synthetic_checklists,
)

CL = synthetic_checklists()
MISSING = "is missing from the file (rows and questions must not be deleted)"


@pytest.fixture
def exported(db: str, tmp_path: Path) -> tuple[int, Path]:
    audit_id = start_audit(db, CL)
    path = tmp_path / "q.xlsx"
    export_questionnaire(db, audit_id, CL, path)
    return audit_id, path


def refused(db: str, audit_id: int, path: Path, checklists: dict[str, Checklist] = CL) -> list[str]:
    """Import must fail and leave the database exactly as it was; returns the problems."""
    before = snapshot(db, audit_id)
    with pytest.raises(ValidationProblem) as caught:
        import_file(db, audit_id, path, checklists, "vendor-import")
    assert snapshot(db, audit_id) == before
    return caught.value.problems


def test_workbook_layout(exported: tuple[int, Path]) -> None:
    _, path = exported
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reloads cleanly: no warning of any kind
        workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions 記入方法", "alpha", "beta", "_lists", "_meta"]
    assert [workbook[s].sheet_state for s in ("_lists", "_meta")] == ["veryHidden", "veryHidden"]
    sheet = workbook["alpha"]
    ids = [sheet.cell(r, 8).value for r in range(2, sheet.max_row + 1)]
    # the card-data question is excluded by the profile; the answer-dependent follow-up stays
    assert "alpha.card_only" not in ids and "alpha.hsts_preload" in ids
    assert (
        sheet.cell(ids.index("alpha.hsts_preload") + 2, 3).value
        == 'Answer only if #2 (alpha.hsts) is "Yes".'
    )
    assert sheet.protection.sheet and workbook.security.lockStructure
    assert sheet.column_dimensions["H"].hidden
    assert not sheet["E2"].protection.locked and not sheet["F2"].protection.locked
    assert sheet["B2"].protection.locked and sheet["H2"].protection.locked


def dropdown(workbook: Any, sheet: Any, coordinate: str) -> list[str]:
    """The entries a spreadsheet offers in the drop-down of one cell."""
    for rule in sheet.data_validations.dataValidation:
        if coordinate in rule.sqref and rule.type == "list":
            target, cells = rule.formula1.split("!")
            lists = workbook[target.strip("'")]
            return [c.value for row in lists[cells.replace("$", "")] for c in row]
    raise AssertionError(f"no drop-down on {coordinate}")


def vendor_value(question: Question, workbook: Any, sheet: Any, row: int) -> tuple[Any, Any]:
    """What a vendor types for a question, and the value that must be stored."""
    if question.type is AnswerType.MULTI_CHOICE:
        values = [c.value for c in (question.choices or [])[:2]]
        return ", ".join(values), values
    if question.choices:
        return dropdown(workbook, sheet, f"E{row}")[0], (question.choices or [])[0].value
    if question.type is AnswerType.NUMBER:
        return 7, 7.0
    if question.type is AnswerType.DATE:
        return dt.datetime(2026, 1, 15), "2026-01-15"
    return "Policy v2 ✓ 🎉", "Policy v2 ✓ 🎉"


def fill_all(path: Path, state: AuditState, comments: list[str]) -> dict[str, Any]:
    workbook = openpyxl.load_workbook(path)
    expected: dict[str, Any] = {}
    n = 0
    for sheet in workbook.worksheets[1:-2]:
        for row in range(2, sheet.max_row + 1):
            question = state.question(sheet.cell(row, 8).value)
            assert question is not None
            typed, value = vendor_value(question, workbook, sheet, row)
            comment, n = comments[n % len(comments)], n + 1
            sheet.cell(row, 5).value = typed
            set_text(sheet.cell(row, 6), comment)  # as Excel stores text typed after an apostrophe
            sheet.cell(row, 7).value = f"EV-{n}"
            expected[question.id] = (value, normalize(comment), f"EV-{n}")
    workbook.save(path)
    return expected


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_round_trip_with_shipped_checklists(
    db: str, tmp_path: Path, checklists: dict[str, Checklist], new_audit: Any, lang: str
) -> None:
    audit_id = new_audit(profile={"handles_card_data": True})
    path = tmp_path / "q.xlsx"
    export_questionnaire(db, audit_id, checklists, path, lang="ja" if lang == "ja" else "en")
    state = audits.state(db, audit_id, checklists)
    comments = ["日本語のコメント", "emoji 🎉🔒", "<script>alert(1)</script>", "=1+2", "a\r\nb\x01"]
    expected = fill_all(path, state, comments)
    result = import_file(db, audit_id, path, checklists, "vendor-import")
    assert result.stored and len(result.changes) == len(expected)
    answers = stored(db, audit_id)
    assert {q: (a.value, a.comment, a.evidence_ref) for q, a in answers.items()} == expected
    assert {a.source for a in answers.values()} == {Source.VENDOR}
    assert {a.answered_by for a in answers.values()} == {"vendor-import"}


def test_naughty_strings_round_trip_as_comments(
    db: str, tmp_path: Path, naughty_strings: list[str]
) -> None:
    audit_id = start_audit(db, CL)
    texts = [s for s in naughty_strings if s]
    ids = [q.id for c in CL.values() for q in c.questions if q.id not in ("alpha.card_only",)]
    ids = [i for i in ids if not i.startswith("cards.")]
    for start in range(0, len(texts), len(ids)):
        chunk = dict(zip(ids, texts[start : start + len(ids)], strict=False))
        path = tmp_path / f"q{start}.xlsx"
        export_questionnaire(db, audit_id, CL, path)
        fill_workbook(path, {q: {"comment": cell_escape(t)} for q, t in chunk.items()})
        import_file(db, audit_id, path, CL, "vendor-import")
        answers = stored(db, audit_id)
        assert {q: answers[q].comment for q in chunk} == {q: normalize(t) for q, t in chunk.items()}


def test_prefilled_export_reimports_without_changes(db: str, tmp_path: Path) -> None:
    audit_id = start_audit(db, CL)
    audits.answer(
        db, audit_id, "alpha.min_version", "tls12", CL, "auditor", comment="=cmd|' /C calc'!A0"
    )
    audits.answer(db, audit_id, "alpha.patch_days", "n/a", CL, "auditor")
    audits.answer(db, audit_id, "alpha.last_test", "2026-03-01", CL, "auditor")
    path = tmp_path / "q.xlsx"
    export_questionnaire(db, audit_id, CL, path, lang="ja")
    sheet = openpyxl.load_workbook(path)["alpha"]
    assert sheet["E2"].value == "TLS 1.2以上" and sheet["F2"].value == "=cmd|' /C calc'!A0"
    assert sheet["F2"].data_type == "s" and sheet["F2"].quotePrefix
    result = import_file(db, audit_id, path, CL, "vendor-import")
    assert result.changes == () and result.unchanged == 9


def test_blank_cells_keep_stored_answers_and_dry_run_stores_nothing(
    db: str, tmp_path: Path
) -> None:
    audit_id = start_audit(db, CL)
    audits.answer(
        db, audit_id, "alpha.hsts", "yes", CL, "auditor", comment="checked", source=Source.AUDITOR
    )
    path = tmp_path / "q.xlsx"
    export_questionnaire(db, audit_id, CL, path, blank=True)
    fill_workbook(path, {"alpha.min_version": {"answer": "TLS 1.3"}})
    before = snapshot(db, audit_id)
    preview = import_file(db, audit_id, path, CL, "vendor-import", dry_run=True)
    assert [c.new.value for c in preview.changes] == ["tls13"] and not preview.stored
    assert snapshot(db, audit_id) == before
    import_file(db, audit_id, path, CL, "vendor-import", source=Source.AUDITOR)
    answers = stored(db, audit_id)
    assert (answers["alpha.hsts"].value, answers["alpha.hsts"].comment) == ("yes", "checked")
    assert answers["alpha.min_version"].source is Source.AUDITOR


def test_every_problem_is_listed_and_nothing_is_stored(exported: tuple[int, Path], db: str) -> None:
    audit_id, path = exported
    fill_workbook(path, {
        "alpha.min_version": {"answer": "maybe"},
        "alpha.hsts": {"answer": "yes", "comment": "fine"},
        "alpha.patch_days": {"answer": "lots"},
        "alpha.last_test": {"answer": "2027-01-01"},
        "alpha.notes": {"comment": "=HYPERLINK(\"http://x\")"},
        "beta.backup": {"evidence": "x" * 1001},
    })  # fmt: skip
    assert refused(db, audit_id, path) == [
        f"{path}: sheet 'alpha' row 2 (alpha.min_version): answer: unknown choice 'maybe'; "
        "expected one of tls13, tls12, legacy",
        f"{path}: sheet 'alpha' row 6 (alpha.patch_days): answer: 'lots' is not a number; "
        "expected a number (0 or more) or N/A",
        f"{path}: sheet 'alpha' row 7 (alpha.last_test): answer: 2027-01-01 is in the future; "
        "expected a past date",
        f"{path}: sheet 'alpha' row 8 (alpha.notes): comment: formulas are not accepted; "
        "type the value itself",
        f"{path}: sheet 'beta' row 2 (beta.backup): evidence: 1001 characters; the limit is 1000",
    ]


def test_edited_duplicated_and_removed_ids(exported: tuple[int, Path], db: str) -> None:
    audit_id, path = exported
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["alpha"]
    sheet["H3"] = "alpha.bogus"
    sheet["H5"] = "alpha.min_version"
    workbook["beta"].delete_rows(2)
    workbook.save(path)
    assert refused(db, audit_id, path) == [
        f"{path}: sheet 'alpha' row 3 (alpha.bogus): unknown question id 'alpha.bogus' "
        "(question ids must not be edited)",
        f"{path}: sheet 'alpha' row 5 (alpha.min_version): question id appears twice "
        "(first at sheet 'alpha' row 2)",
        f"{path}: question alpha.hsts {MISSING}",
        f"{path}: question alpha.channels {MISSING}",
        f"{path}: question beta.backup {MISSING}",
    ]


def test_added_row_without_id(exported: tuple[int, Path], db: str) -> None:
    audit_id, path = exported
    workbook = openpyxl.load_workbook(path)
    workbook["beta"]["E3"] = "yes"
    workbook.save(path)
    assert refused(db, audit_id, path) == [
        f"{path}: sheet 'beta' row 3: no question id in this row (do not add rows or edit the "
        "hidden id column)"
    ]


def test_file_for_another_audit(exported: tuple[int, Path], db: str) -> None:
    _, path = exported
    other = start_audit(db, CL, name="Other KK")
    assert refused(db, other, path) == [
        f"{path}: this file was made for audit 1, not audit 2; import it into audit 1"
    ]


def test_file_for_another_checklist_version(exported: tuple[int, Path], db: str) -> None:
    """A draft stays pinned to 1.0.0 until it is upgraded; then a 1.0.0 file is refused."""
    audit_id, path = exported
    newer = {**CL, "alpha": CL["alpha"].model_copy(update={"version": "1.1.0"})}
    pinning.upgrade(db, audit_id, newer, "tester")
    assert refused(db, audit_id, path, newer) == [
        f"{path}: made for checklist alpha version 1.0.0; audit 1 uses version 1.1.0; "
        "export a new questionnaire"
    ]


def test_damaged_meta_sheet(exported: tuple[int, Path], db: str) -> None:
    audit_id, path = exported
    workbook = openpyxl.load_workbook(path)
    workbook["_meta"]["B5"] = "not json"
    workbook.save(path)
    assert refused(db, audit_id, path) == [
        f"{path}: the hidden _meta sheet is missing or damaged; this is not a questionnaire "
        "exported by auditkit, or it was edited"
    ]


def test_final_audit_refuses_import(exported: tuple[int, Path], db: str) -> None:
    audit_id, path = exported
    signoff.finalize(
        db, audit_id, CL, SignOffRequest("Reviewer", "Approver", accept_unanswered="test"), "tester"
    )
    before = snapshot(db, audit_id)
    with pytest.raises(Conflict, match="audit 1 is final and cannot be changed"):
        import_file(db, audit_id, path, CL, "vendor-import")
    assert snapshot(db, audit_id) == before


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_and_resaves_the_workbook(exported: tuple[int, Path], db: str) -> None:
    audit_id, path = exported
    fill_workbook(path, {"alpha.min_version": {"answer": "TLS 1.3", "comment": "確認済み 🎉"}})
    out = path.parent / "lo"
    for target in ("pdf", "xlsx"):
        done = subprocess.run(
            ["libreoffice", "--headless", "--convert-to", target, "--outdir", str(out), str(path)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert (out / f"q.{target}").exists(), done.stderr
    result = import_file(db, audit_id, out / "q.xlsx", CL, "vendor-import")
    assert [(c.new.value, c.new.comment) for c in result.changes] == [("tls13", "確認済み 🎉")]
