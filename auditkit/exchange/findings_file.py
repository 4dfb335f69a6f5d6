"""The findings file: CSV or XLSX bytes for remediation tracking; no cell can run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from auditkit.checklists import all_questions
from auditkit.errors import ValidationProblem
from auditkit.exchange.safety import looks_like_formula
from auditkit.models.audit import Finding
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.models.message import Message
from auditkit.outputs import workbook_bytes

FINDING_FORMATS = ("csv", "xlsx")
COLUMNS = (
    "id",
    "vendor",
    "audit",
    "question_id",
    "question",
    "severity",
    "status",
    "owner",
    "due_date",
    "remediation",
    "notes",
)


def finding_rows(
    found: Sequence[Finding],
    vendor_names: Mapping[int | None, str],
    checklists: dict[str, Checklist],
    lang: Lang = "en",
) -> list[dict[str, Any]]:
    """One flat row per finding, question text and advice from the checklists."""
    questions = all_questions(checklists)
    rows = []
    for finding in found:
        question = questions.get(finding.question_id)
        rows.append(
            {
                "id": finding.id,
                "vendor": vendor_names.get(finding.vendor_id, str(finding.vendor_id)),
                "audit": finding.audit_id,
                "question_id": finding.question_id,
                "question": question.text.get(lang) if question else finding.summary,
                "severity": finding.severity.value,
                "status": finding.status.value,
                "owner": finding.owner,
                "due_date": finding.due_date,
                "remediation": question.remediation.get(lang) if question else None,
                "notes": finding.notes,
            }
        )
    return rows


def format_for(path: Path, fmt: str | None) -> str:
    chosen = fmt or path.suffix.lower().lstrip(".")
    if chosen not in FINDING_FORMATS:
        raise ValidationProblem([Message.of("findings_format_unknown", path=str(path))])
    return chosen


def encode(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """The rows as CSV or XLSX bytes; the caller writes them (atomically)."""
    return _csv_bytes(rows) if fmt == "csv" else _xlsx_bytes(rows)


def csv_cell(value: Any) -> str:
    """Text a spreadsheet would evaluate gets a leading apostrophe (CSV-injection guard)."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if isinstance(value, str) and looks_like_formula(text) else text


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    writer.writerows([csv_cell(row[c]) for c in COLUMNS] for row in rows)
    # UTF-8 with a byte-order mark, so spreadsheet programs read Japanese text correctly.
    return stream.getvalue().encode("utf-8-sig")


def _xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from auditkit.exchange.xlsx_writer import set_text

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "findings"
    for col, name in enumerate(COLUMNS, start=1):
        set_text(sheet.cell(1, col), name)
        sheet.cell(1, col).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for col, name in enumerate(COLUMNS, start=1):
            cell, value = sheet.cell(r, col), row[name]
            if isinstance(value, str):
                set_text(cell, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.value = value
            if name == "due_date" and value is not None:
                cell.number_format = "yyyy-mm-dd"
    for letter, width in zip(
        "ABCDEFGHIJK", (6, 24, 7, 28, 60, 10, 12, 18, 12, 60, 40), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return workbook_bytes(workbook)
