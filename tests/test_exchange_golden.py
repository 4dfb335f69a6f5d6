"""Golden files for the exported structure (regenerate with AUDITKIT_REGEN_GOLDEN=1).

The workbook is compared as a normalised dump (sheets, cells, protection, validations,
hidden metadata), not as zip bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from auditkit.models.audit import Answer
from auditkit.services import audits
from auditkit.services.exchange import export_questionnaire
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction
from tests.builders import check_golden, start_audit, synthetic_checklists

CL = synthetic_checklists()


def prefilled_audit(db: str) -> int:
    audit_id = start_audit(db, CL, name="=Sakura+KK")
    audits.answer(db, audit_id, "alpha.min_version", "tls12", CL, "auditor", comment="@risk\r\nok")
    audits.answer(db, audit_id, "alpha.channels", "email, phone", CL, "auditor")
    audits.answer(db, audit_id, "alpha.patch_days", "14", CL, "auditor")
    audits.answer(db, audit_id, "alpha.last_test", "2026-02-03", CL, "auditor")
    with transaction(db) as conn:
        audit = repo.get_audit(conn, audit_id)
        repo.save_answers(conn, audit, [Answer(question_id="beta.backup", value="n/a",
                                               evidence_ref="-SOC2 2026")], "auditor")  # fmt: skip
    return audit_id


def workbook_dump(path: Path) -> str:
    workbook = openpyxl.load_workbook(path)
    sheets = [_sheet(sheet) for sheet in workbook.worksheets]
    dump = {"lock_structure": workbook.security.lockStructure, "sheets": sheets}
    return json.dumps(dump, ensure_ascii=False, indent=1, default=str) + "\n"


def _sheet(sheet: Any) -> dict[str, Any]:
    cells = [c for row in sheet.iter_rows() for c in row]
    return {
        "title": sheet.title,
        "state": sheet.sheet_state,
        "protected": bool(sheet.protection.sheet),
        "hidden_columns": sorted(k for k, d in sheet.column_dimensions.items() if d.hidden),
        "rows": [list(row) for row in sheet.iter_rows(values_only=True)],
        "types": "".join(c.data_type for c in cells),
        "unlocked": [c.coordinate for c in cells if not c.protection.locked],
        "quote_prefix": [c.coordinate for c in cells if c.quotePrefix],
        "validations": [
            {"sqref": str(v.sqref), "type": v.type, "operator": v.operator,
             "formula1": v.formula1, "formula2": v.formula2, "errorStyle": v.errorStyle,
             "allow_blank": v.allow_blank}
            for v in sheet.data_validations.dataValidation
        ],
    }  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_workbook_structure(db: str, tmp_path: Path, lang: str) -> None:
    path = tmp_path / "q.xlsx"
    export_questionnaire(db, prefilled_audit(db), CL, path, lang="ja" if lang == "ja" else "en")
    check_golden(f"questionnaire_{lang}.xlsx.json", workbook_dump(path))


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_document_text(db: str, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"q.{suffix}"
    export_questionnaire(db, prefilled_audit(db), CL, path)
    check_golden(f"questionnaire.{suffix}", path.read_text(encoding="utf-8"))


def test_blank_export_has_no_answers(db: str, tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    export_questionnaire(db, prefilled_audit(db), CL, path, blank=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {(q["answer"], q["comment"], q["evidence"]) for q in data["questions"]} == {
        (None, None, None)
    }
