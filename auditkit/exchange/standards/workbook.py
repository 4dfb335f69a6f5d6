"""CAIQ- and HECVAT-style workbooks: a question id column, the question, an answer column
(Yes/No/NA) and notes, found by their headers or given as `id=B,question=C,answer=D,notes=E`.

The container is checked (size, zip bomb, DTDs) before openpyxl reads it through defusedxml;
formula cells are refused, one line per cell naming sheet, row and question id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from auditkit import catalogue
from auditkit.errors import ValidationProblem
from auditkit.exchange.safety import MAX_XLSX_BYTES, check_xlsx_container, read_regular
from auditkit.exchange.xlsx_reader import MAX_ROWS, UNREADABLE, cell_value, open_workbook
from auditkit.models.lang import LANGS
from auditkit.models.message import Message

T = TypeVar("T")
FIELDS = ("id", "question", "question_ja", "answer", "notes", "section")
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("question id", "id", "qid", "question #", "question number", "ref"),
    "question": ("question", "questions", "question text", "consensus assessment question"),
    "question_ja": tuple(
        header
        for lang in LANGS
        for header in catalogue.load(lang).text("standards", "question_headers").split("|")
    ),
    "answer": ("answer", "csp caiq answer", "response", "vendor answer", "vendor response"),
    "notes": (
        "notes",
        "note",
        "comments",
        "comment",
        "additional information",
        "additional info",
        "csp implementation description",
        "explanation",
    ),
    "section": ("ccm domain title", "domain", "domain title", "section", "category"),
}
HEADER_ROWS = 20
ID_SHAPE = re.compile(r"^[A-Za-z0-9&][A-Za-z0-9&._-]{0,39}$")
_COLUMN = re.compile(r"^[A-Z]{1,3}$")


@dataclass(frozen=True)
class SheetRow:
    sheet: str
    number: int
    values: dict[str, Any]  # field -> cell value
    problems: tuple[Message, ...]

    @property
    def where(self) -> Message:
        return Message.of("at_sheet_row", sheet=repr(self.sheet), row=self.number)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        shown = value if isinstance(value, str) else _plain(value)
        return shown.strip() or None


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: dict[str, int]
    rows: list[SheetRow]
    answer_list: tuple[str, ...] | None  # the answer column's dropdown, when there is one


def parse_columns(spec: str) -> dict[str, int]:
    """`id=B,question=C,answer=D,notes=E` as 0-based column indexes."""
    columns: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, letter = part.partition("=")
        name, letter = name.strip(), letter.strip().upper()
        if name not in FIELDS:
            said = Message.of("columns_unknown_field", name=repr(name), known=", ".join(FIELDS))
            raise ValidationProblem([said])
        if not _COLUMN.match(letter):
            said = Message.of("columns_not_letter", name=name, letter=letter or "?")
            raise ValidationProblem([said])
        columns[name] = _index(letter)
    if "id" not in columns:
        raise ValidationProblem([Message.of("columns_need_id")])
    return columns


def _index(letter: str) -> int:
    number = 0
    for char in letter:
        number = number * 26 + ord(char) - 64
    return number - 1


def read(path: Path, columns: dict[str, int] | None, need: tuple[str, ...]) -> list[Sheet]:
    """Every visible sheet with the needed columns; its data rows (a question-id-shaped id).
    Rows are read streaming (the row limit stops a huge sheet early); when converting, the
    answer column's dropdown is read in a second, full pass."""
    data = read_regular(path, MAX_XLSX_BYTES)
    check_xlsx_container(path, data)
    sheets = _with_workbook(path, data, True, lambda wb: _sheets(str(path), wb, columns, need))
    if not sheets:
        wanted = ", ".join(need)
        raise ValidationProblem([Message.of("no_sheet_columns", path=str(path), wanted=wanted)])
    if "question" in need:
        lists = _with_workbook(
            path,
            data,
            False,
            lambda wb: [_dropdown(wb[s.name], s.columns.get("answer")) for s in sheets],
        )
        sheets = [
            Sheet(s.name, s.columns, s.rows, found) for s, found in zip(sheets, lists, strict=True)
        ]
    return sheets


def _with_workbook(path: Path, data: bytes, read_only: bool, use: Callable[[Any], T]) -> T:
    workbook = open_workbook(path, data, read_only=read_only)
    try:
        return use(workbook)
    except UNREADABLE as exc:
        said = Message.of("xlsx_unreadable", path=str(path), detail=str(exc))
        raise ValidationProblem([said]) from None
    finally:
        workbook.close()


def _sheets(
    source: str, workbook: Any, columns: dict[str, int] | None, need: tuple[str, ...]
) -> list[Sheet]:
    found = []
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        header_row, chosen = (0, columns) if columns is not None else _find_headers(sheet)
        if chosen is None or any(n not in chosen for n in need):
            continue
        found.append(
            Sheet(sheet.title, chosen, list(_rows(source, sheet, chosen, header_row)), None)
        )
    return found


def _find_headers(sheet: Any) -> tuple[int, dict[str, int] | None]:
    for number, cells in enumerate(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True), 1):
        found: dict[str, int] = {}
        for index, value in enumerate(cells):
            name = _header_field(value)
            if name is not None and name not in found:
                found[name] = index
        if "id" in found and ("question" in found or "answer" in found):
            return number, found
    return 0, None


def _header_field(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).casefold().rstrip(":?")
    for name, names in HEADERS.items():
        if text in names or (name in ("answer", "notes") and text.startswith(names)):
            return name
    return None


def _rows(source: str, sheet: Any, columns: dict[str, int], header_row: int) -> Iterator[SheetRow]:
    width = max(columns.values()) + 1
    for number, cells in enumerate(
        sheet.iter_rows(min_row=header_row + 1, max_col=width), header_row + 1
    ):
        if number > MAX_ROWS:
            said = Message.of(
                "xlsx_too_many_rows", path=source, sheet=repr(sheet.title), limit=MAX_ROWS
            )
            raise ValidationProblem([said])
        cells = list(cells) + [None] * (width - len(cells))
        values = {name: cell_value(cells[i]) for name, i in columns.items()}
        qid = values.get("id")
        if not (isinstance(qid, str) and ID_SHAPE.match(qid.strip()) and _digit(qid)):
            continue
        values["id"] = qid.strip()
        problems = tuple(
            Message.of("formula_refused", field=name)
            for name, i in columns.items()
            if getattr(cells[i], "data_type", None) == "f"
        )
        yield SheetRow(sheet.title, number, values, problems)


def _digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _dropdown(sheet: Any, column: int | None) -> tuple[str, ...] | None:
    """The values of an inline list validation (`"Yes,No,N/A"`) covering the answer column."""
    validations = getattr(getattr(sheet, "data_validations", None), "dataValidation", None)
    if column is None or not validations:
        return None
    for validation in validations:
        formula = validation.formula1 or ""
        if validation.type != "list" or not formula.startswith('"'):
            continue
        if any(r.min_col <= column + 1 <= r.max_col for r in validation.sqref.ranges):
            values = tuple(v.strip() for v in formula.strip('"').split(",") if v.strip())
            return values or None
    return None


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
