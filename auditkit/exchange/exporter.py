"""Export an audit's questionnaire for the vendor to fill in."""

from __future__ import annotations

from pathlib import Path

from auditkit.errors import ValidationProblem
from auditkit.exchange import FORMATS
from auditkit.exchange.questionnaire import Questionnaire, build
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.outputs import write_text
from auditkit.services import audits

SUFFIXES = {".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def format_for(path: Path, fmt: str | None) -> str:
    """The explicit format, or the one the file name implies."""
    chosen = fmt or SUFFIXES.get(path.suffix.lower())
    if chosen not in FORMATS:
        raise ValidationProblem(
            [f"{path}: cannot tell the format from the file name; give --format xlsx, yaml or json"]
        )
    return chosen


def export_questionnaire(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    path: Path,
    fmt: str | None = None,
    lang: Lang = "en",
    blank: bool = False,
) -> Questionnaire:
    """Write the applicable questions (prefilled with current answers unless `blank`)."""
    chosen = format_for(path, fmt)
    questionnaire = build(audits.state(db, audit_id, checklists), lang, blank)
    write(questionnaire, path, chosen)
    return questionnaire


def write(questionnaire: Questionnaire, path: Path, fmt: str) -> None:
    if fmt == "xlsx":
        from auditkit.exchange.xlsx_writer import write_workbook

        write_workbook(questionnaire, path)
        return
    from auditkit.exchange.textdoc import dumps

    write_text(path, dumps(questionnaire, fmt))
