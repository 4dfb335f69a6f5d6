"""Read a filled questionnaire workbook, after the container has been checked."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from auditkit import catalogue
from auditkit.errors import AuditkitError, ValidationProblem
from auditkit.exchange import wording
from auditkit.exchange.returned import Content, Row, as_text, meta_from_strings
from auditkit.exchange.safety import (
    MAX_XLSX_BYTES,
    cell_unescape,
    check_xlsx_container,
    read_regular,
)
from auditkit.models.message import Message

FIELDS = (
    "#", "question", "help", "allowed answers", "answer", "comment", "evidence", "id", "fingerprint"
)  # fmt: skip
ANSWER, COMMENT, EVIDENCE, QUESTION_ID, FINGERPRINT = 4, 5, 6, 7, 8
MAX_ROWS = 5000
_SKIPPED = {*wording.instruction_sheets(), wording.META_SHEET, wording.LISTS_SHEET}
UNREADABLE = (KeyError, ValueError, TypeError, IndexError, ParseError, zipfile.BadZipFile, OSError)


def read_workbook(path: Path) -> Content:
    """Metadata and answer rows of a returned workbook; refuses anything unexpected."""
    data = read_regular(path, MAX_XLSX_BYTES)
    check_xlsx_container(path, data)
    source = str(path)
    workbook = open_workbook(path, data)
    try:
        if wording.META_SHEET not in workbook.sheetnames:
            raise ValidationProblem([Message.of("xlsx_no_meta", path=source)])
        meta = meta_from_strings(source, _meta_values(workbook[wording.META_SHEET]))
        names = [name for name in workbook.sheetnames if name not in _SKIPPED]
        rows = [row for name in names for row in _sheet_rows(source, name, workbook[name])]
    except UNREADABLE as exc:
        raise _unreadable(source, exc) from None
    finally:
        workbook.close()
    return Content(source, meta, tuple(rows))


def open_workbook(path: Path, data: bytes, read_only: bool = True) -> Any:
    """openpyxl over defused XML on bytes already read and checked, formulas kept as formulas
    (so they can be refused). `read_only=False` also loads data validations (slower)."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise catalogue.error(AuditkitError, "needs_defusedxml")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. unsupported extensions: harmless, not shown
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=read_only, data_only=False, keep_links=False
            )
    except UNREADABLE as exc:
        raise _unreadable(str(path), exc) from None


def _unreadable(source: str, exc: Exception) -> ValidationProblem:
    return ValidationProblem([Message.of("xlsx_unreadable", path=source, detail=str(exc))])


def _meta_values(sheet: Any) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in sheet.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if isinstance(key, str) and isinstance(value, str):
            values[key] = cell_unescape(value)
    return values


def _sheet_rows(source: str, name: str, sheet: Any) -> list[Row]:
    rows: list[Row] = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=len(FIELDS)), start=2):
        if number > MAX_ROWS:
            said = Message.of("xlsx_too_many_rows", path=source, sheet=repr(name), limit=MAX_ROWS)
            raise ValidationProblem([said])
        values = [cell_value(cell) for cell in cells] + [None] * (len(FIELDS) - len(cells))
        if all(v is None or v == "" for v in values):
            continue
        problems = tuple(
            Message.of("formula_refused", field=FIELDS[i])
            for i, cell in enumerate(cells)
            if getattr(cell, "data_type", None) == "f"
        )
        qid = values[QUESTION_ID]
        rows.append(
            Row(
                where=Message.of("at_sheet_row", sheet=repr(name), row=number),
                question_id=qid.strip() if isinstance(qid, str) and qid.strip() else None,
                answer=None if problems else values[ANSWER],
                comment=None if problems else as_text(values[COMMENT]),
                evidence=None if problems else as_text(values[EVIDENCE]),
                fingerprint=as_text(values[FINGERPRINT]),
                problems=problems,
            )
        )
    return rows


def cell_value(cell: Any) -> Any:
    """A cell's value, `_xHHHH_` escapes undone."""
    value = getattr(cell, "value", None)
    return cell_unescape(value) if isinstance(value, str) else value
