"""Write a questionnaire as an XLSX workbook (openpyxl is imported only here and in the reader)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from auditkit import answers, outputs
from auditkit.exchange import FORMAT, wording
from auditkit.exchange.questionnaire import Item, Questionnaire, fingerprint
from auditkit.exchange.safety import cell_escape, looks_like_formula
from auditkit.models.checklist import NA, AnswerType, Question
from auditkit.models.common import Lang

ANSWER_COL, COMMENT_COL, EVIDENCE_COL, ID_COL, FINGERPRINT_COL = 5, 6, 7, 8, 9
WIDTHS = {"A": 5, "B": 60, "C": 45, "D": 32, "E": 28, "F": 40, "G": 30, "H": 24, "I": 20}
EXCEL_EPOCH = dt.date(1899, 12, 30)
OLDEST_DATE = dt.date(1990, 1, 1)
MAX_MESSAGE = 255  # Excel refuses longer validation messages


def set_text(cell: Any, text: str) -> None:
    """A string cell that no spreadsheet evaluates, whatever it starts with."""
    cell.value = cell_escape(text)
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def workbook_bytes(questionnaire: Questionnaire) -> bytes:
    """The questionnaire as an XLSX workbook; the caller writes the bytes."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    workbook = Workbook()
    _instructions(workbook.active, questionnaire)
    lists = workbook.create_sheet(wording.LISTS_SHEET)
    lists_rows: dict[tuple[str, ...], int] = {}
    used: set[str] = {wording.instructions_sheet().lower(), wording.LISTS_SHEET, wording.META_SHEET}
    for checklist, items in questionnaire.sheets():
        title = _sheet_title(checklist.id, used)
        sheet = workbook.create_sheet(title, index=len(workbook.sheetnames) - 1)
        _domain_sheet(sheet, items, questionnaire, lists, lists_rows)
    _meta(workbook.create_sheet(wording.META_SHEET), questionnaire)
    lists.sheet_state = "veryHidden"
    workbook.security = WorkbookProtection(lockStructure=True)
    return outputs.workbook_bytes(workbook)


def _sheet_title(checklist_id: str, used: set[str]) -> str:
    title, n = checklist_id[:31], 1
    while title.lower() in used:
        n += 1
        title = f"{checklist_id[: 31 - len(str(n)) - 1]}~{n}"
    used.add(title.lower())
    return title


def _instructions(sheet: Any, questionnaire: Questionnaire) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = wording.instructions_sheet()
    sheet.column_dimensions["A"].width = 90
    sheet.column_dimensions["B"].width = 90
    lines = wording.instructions()
    for row, (english, japanese) in enumerate(lines, start=1):
        for col, text in ((1, english), (2, japanese)):
            cell = sheet.cell(row, col)
            set_text(cell, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=row <= 2, size=14 if row == 1 else 11)
    row = len(lines) + 2
    for label, value in (
        (wording.both("vendor"), questionnaire.vendor),
        (wording.both("audit"), str(questionnaire.audit_id)),
    ):
        set_text(sheet.cell(row, 1), label)
        set_text(sheet.cell(row, 2), value)
        row += 1
    sheet.protection.sheet = True


def _domain_sheet(
    sheet: Any,
    items: list[Item],
    questionnaire: Questionnaire,
    lists: Any,
    lists_rows: dict[tuple[str, ...], int],
) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, Protection

    lang = questionnaire.lang
    for col, header in enumerate(wording.headers(lang), start=1):
        set_text(sheet.cell(1, col), header)
        sheet.cell(1, col).font = Font(bold=True)
    sheet.cell(1, EVIDENCE_COL).comment = Comment(wording.word("evidence_note", lang), "auditkit")
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["H"].hidden = True
    sheet.column_dimensions["I"].hidden = True
    sheet.freeze_panes = "C2"
    wrap, unlocked = Alignment(wrap_text=True, vertical="top"), Protection(locked=False)
    validations: dict[tuple[str, int, str], Any] = {}
    for row, item in enumerate(items, start=2):
        _question_cells(sheet, row, item, questionnaire)
        for col in range(2, ID_COL):
            sheet.cell(row, col).alignment = wrap
        for col in (ANSWER_COL, COMMENT_COL, EVIDENCE_COL):
            sheet.cell(row, col).protection = unlocked
        key = _validation_key(item.question, questionnaire, lists, lists_rows)
        if key is not None:
            if key not in validations:
                width = len(wording.choice_labels(item.question, lang))
                validations[key] = _validation(key, width, questionnaire.as_of_iso)
                sheet.add_data_validation(validations[key])
            validations[key].add(sheet.cell(row, ANSWER_COL).coordinate)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _question_cells(sheet: Any, row: int, item: Item, questionnaire: Questionnaire) -> None:
    question, lang = item.question, questionnaire.lang
    sheet.cell(row, 1).value = item.number
    set_text(sheet.cell(row, 2), question.text.get(lang))
    set_text(sheet.cell(row, 3), wording.help_text(question, item.condition, lang))
    set_text(sheet.cell(row, 4), wording.allowed(question, lang, questionnaire.as_of_iso))
    set_text(sheet.cell(row, ID_COL), question.id)
    set_text(sheet.cell(row, FINGERPRINT_COL), fingerprint(question))
    answer = item.answer
    if answer is None:
        return
    value = answer_cell(question, answer.value, lang)
    cell = sheet.cell(row, ANSWER_COL)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if answer.comment:
        set_text(sheet.cell(row, COMMENT_COL), answer.comment)
    if answer.evidence_ref:
        set_text(sheet.cell(row, EVIDENCE_COL), answer.evidence_ref)


def answer_cell(
    question: Question, value: object, lang: Lang
) -> str | float | int | dt.date | None:
    """A stored value as the vendor sees it in the Answer column."""
    if value is None:
        return None
    if value == NA:
        return answers.na_word(lang)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if question.choices:
        choice = question.choice(str(value))
        return choice.label.get(lang) if choice else str(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if question.type is AnswerType.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return str(value)


def _validation_key(
    question: Question,
    questionnaire: Questionnaire,
    lists: Any,
    lists_rows: dict[tuple[str, ...], int],
) -> tuple[str, int, str] | None:
    """Cells with the same key share one validation rule (kind, list row or N/A flag, message)."""
    lang = questionnaire.lang
    message = wording.allowed(question, lang, questionnaire.as_of_iso)[:MAX_MESSAGE]
    if question.type is AnswerType.MULTI_CHOICE:
        return None
    if question.choices:
        labels = tuple(wording.choice_labels(question, lang))
        if labels not in lists_rows:
            lists_rows[labels] = len(lists_rows) + 1
            for col, label in enumerate(labels, start=1):
                set_text(lists.cell(lists_rows[labels], col), label)
        return ("list", lists_rows[labels], message)
    if question.type in (AnswerType.NUMBER, AnswerType.DATE):
        return (question.type.value, int(question.allow_na), message)
    return None


def _validation(key: tuple[str, int, str], width: int, as_of_iso: str) -> Any:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    kind, detail, message = key
    common: dict[str, Any] = {"allow_blank": True, "showErrorMessage": True, "error": message}
    if kind == "list":
        ref = f"'{wording.LISTS_SHEET}'!$A${detail}:${get_column_letter(width)}${detail}"
        return DataValidation(type="list", formula1=ref, **common)
    common["errorStyle"] = "warning" if detail else "stop"  # N/A allowed: warn, still typeable
    if kind == AnswerType.NUMBER.value:
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **common)
    last = dt.date.fromisoformat(as_of_iso)
    return DataValidation(
        type="date",
        operator="between",
        formula1=str((OLDEST_DATE - EXCEL_EPOCH).days),
        formula2=str((last - EXCEL_EPOCH).days),
        **common,
    )


def _meta(sheet: Any, questionnaire: Questionnaire) -> None:
    rows = (
        ("format", FORMAT),
        ("audit_id", str(questionnaire.audit_id)),
        ("vendor", questionnaire.vendor),
        ("lang", questionnaire.lang),
        ("checklists", json.dumps(questionnaire.checklists, sort_keys=True)),
        ("question_count", str(len(questionnaire.items))),
        ("question_digest", questionnaire.digest),
    )
    for row, (key, value) in enumerate(rows, start=1):
        set_text(sheet.cell(row, 1), key)
        set_text(sheet.cell(row, 2), value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
