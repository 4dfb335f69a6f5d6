"""Export an audit's questionnaire for the vendor to fill in."""

from __future__ import annotations

from pathlib import Path

from auditkit.errors import ValidationProblem
from auditkit.exchange import FORMATS
from auditkit.exchange.questionnaire import Questionnaire
from auditkit.outputs import write_text

SUFFIXES = {".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def format_for(path: Path, fmt: str | None) -> str:
    """The explicit format, or the one the file name implies."""
    chosen = fmt or SUFFIXES.get(path.suffix.lower())
    if chosen not in FORMATS:
        raise ValidationProblem(
            [f"{path}: cannot tell the format from the file name; give --format xlsx, yaml or json"]
        )
    return chosen


def write(questionnaire: Questionnaire, path: Path, fmt: str) -> None:
    if fmt == "xlsx":
        from auditkit.exchange.xlsx_writer import write_workbook

        write_workbook(questionnaire, path)
        return
    from auditkit.exchange.textdoc import dumps

    write_text(path, dumps(questionnaire, fmt))
