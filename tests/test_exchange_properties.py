"""Property tests: any text in any free-text cell comes back as typed, normalised once
(line separators as newlines, hidden characters as visible escapes; NUL is refused).

XLSX: the vendor's spreadsheet stores characters XML cannot hold with the OOXML `_xHHHH_`
escape (Excel does this itself; the test types through the same escape), so every character,
control characters and CR included, round-trips.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditkit.errors import ValidationProblem
from auditkit.exchange.xlsx_writer import set_text
from auditkit.models.audit import Answer
from auditkit.services.exchange import export_questionnaire, import_file
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction
from auditkit.textnorm import normalize
from tests.builders import fill_document, start_audit, stored, synthetic_checklists

CL = synthetic_checklists()
FREE_TEXT = st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=120)
ANSWER_TEXT = FREE_TEXT.filter(lambda s: bool(s.strip()) and s.strip().lower() != "n/a")
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@pytest.fixture(scope="module")
def workspace() -> Iterator[tuple[str, int, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="exchange-props-"))
    db = str(folder / "audit.db")
    audit_id = start_audit(db, CL)
    for suffix in ("xlsx", "yaml", "json"):
        export_questionnaire(db, audit_id, CL, folder / f"blank.{suffix}", blank=True)
    yield db, audit_id, folder
    shutil.rmtree(folder)


def row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, question_id: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 8).value == question_id)


@SETTINGS
@given(comment=FREE_TEXT, evidence=FREE_TEXT, text=ANSWER_TEXT)
def test_xlsx_free_text_round_trips(
    workspace: tuple[str, int, Path], comment: str, evidence: str, text: str
) -> None:
    db, audit_id, folder = workspace
    path = folder / "filled.xlsx"
    workbook = openpyxl.load_workbook(folder / "blank.xlsx")
    sheet = workbook["alpha"]
    notes, policy = row_of(sheet, "alpha.notes"), row_of(sheet, "alpha.policy")
    set_text(sheet.cell(notes, 5), text)
    set_text(sheet.cell(notes, 6), comment)
    set_text(sheet.cell(policy, 7), evidence)
    workbook.save(path)
    import_file(db, audit_id, path, CL, "vendor-import")
    answers = stored(db, audit_id)
    assert (answers["alpha.notes"].value, answers["alpha.notes"].comment) == (
        normalize(text),
        normalize(comment),
    )
    assert answers["alpha.policy"].evidence_ref == normalize(evidence)


@SETTINGS
@given(
    comment=FREE_TEXT,
    evidence=FREE_TEXT,
    text=ANSWER_TEXT,
    suffix=st.sampled_from(["yaml", "json"]),
)
@example(comment="0", evidence="\ud800", text="0", suffix="yaml")
@example(comment="0", evidence="a\udfffb", text="0", suffix="json")
def test_document_free_text_round_trips(
    workspace: tuple[str, int, Path], comment: str, evidence: str, text: str, suffix: str
) -> None:
    """Free text reads back as written (normalised); a lone surrogate, which YAML cannot
    carry, is refused in one line naming the file and its position, storing nothing."""
    db, audit_id, folder = workspace
    path = fill_document(
        folder / f"blank.{suffix}",
        {
            "alpha.notes": {"answer": text, "comment": comment},
            "alpha.policy": {"evidence": evidence},
        },
        out=folder / f"filled.{suffix}",
    )  # fmt: skip
    if suffix == "yaml" and any("\ud800" <= c <= "\udfff" for c in comment + evidence + text):
        before = stored(db, audit_id)
        with pytest.raises(ValidationProblem) as refused:
            import_file(db, audit_id, path, CL, "vendor-import")
        assert len(refused.value.problems) == 1
        assert refused.value.problems[0].startswith(f"{path}:")
        assert "invalid Unicode character escape" in refused.value.problems[0]
        assert stored(db, audit_id) == before
        return
    import_file(db, audit_id, path, CL, "vendor-import")
    answers = stored(db, audit_id)
    assert (answers["alpha.notes"].value, answers["alpha.notes"].comment) == (
        normalize(text),
        normalize(comment),
    )
    assert answers["alpha.policy"].evidence_ref == normalize(evidence)


@SETTINGS
@given(comment=FREE_TEXT, evidence=FREE_TEXT, suffix=st.sampled_from(["xlsx", "yaml", "json"]))
@example(comment="0", evidence="\x85", suffix="yaml")  # PyYAML folds NEL unless double-quoted
@example(comment="a\r\nb\x01", evidence="_x0041_\ufffe", suffix="xlsx")
def test_exported_text_imports_back_unchanged(
    workspace: tuple[str, int, Path], comment: str, evidence: str, suffix: str
) -> None:
    """What the exporter writes (any stored text) reads back as exactly the same answers."""
    db, audit_id, folder = workspace
    with transaction(db) as conn:
        audit = repo.get_audit(conn, audit_id)
        update = Answer(
            question_id="beta.backup", value="yes", comment=comment, evidence_ref=evidence
        )
        repo.save_answers(conn, audit, [update], "auditor")
    path = folder / f"prefilled.{suffix}"
    export_questionnaire(db, audit_id, CL, path)
    result = import_file(db, audit_id, path, CL, "vendor-import", dry_run=True)
    assert result.changes == ()
