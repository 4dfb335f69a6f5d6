"""The questionnaire file sent to a vendor: its format and its bytes."""

from __future__ import annotations

from pathlib import Path

from auditkit.errors import ValidationProblem
from auditkit.exchange import FORMATS
from auditkit.exchange.questionnaire import Questionnaire
from auditkit.models.message import Message

SUFFIXES = {".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def format_for(path: Path, fmt: str | None) -> str:
    """The explicit format, or the one the file name implies."""
    chosen = fmt or SUFFIXES.get(path.suffix.lower())
    if chosen not in FORMATS:
        raise ValidationProblem([Message.of("questionnaire_format_unknown", path=str(path))])
    return chosen


def encode(questionnaire: Questionnaire, fmt: str) -> bytes:
    """The questionnaire file's bytes in `fmt`; the caller writes them (atomically)."""
    if fmt == "xlsx":
        from auditkit.exchange.xlsx_writer import workbook_bytes

        return workbook_bytes(questionnaire)
    from auditkit.exchange.yaml_json import dumps

    return dumps(questionnaire, fmt).encode("utf-8")
