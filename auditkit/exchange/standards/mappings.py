"""Mapping files: load, and check them against the checklists they point into."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from auditkit import paths, safeyaml
from auditkit.checklists import all_questions, format_errors
from auditkit.errors import NotFound, ValidationProblem
from auditkit.models.checklist import NA, AnswerType, Checklist
from auditkit.models.mapping import Mapping


def shipped(standard: str) -> Path:
    return paths.checklists_dir() / "mappings" / f"{standard}.yaml"


def shipped_files() -> list[Path]:
    return sorted((paths.checklists_dir() / "mappings").glob("*.yaml"))


def load(path: Path) -> Mapping:
    if not path.is_file():
        raise NotFound(f"{path}: no such mapping file")
    data = safeyaml.load_file(path)
    if not isinstance(data, dict):
        raise ValidationProblem([f"{path}: expected a mapping with standard, title, entries"])
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(format_errors(str(path), exc)) from None


def problems(source: str, mapping: Mapping, checklists: dict[str, Checklist]) -> list[str]:
    """Every entry must name a known question and, for choice questions, its choices."""
    questions = all_questions(checklists)
    found = []
    for index, entry in enumerate(mapping.entries):
        where = f"{source}: entries[{index}] ({entry.source} -> {entry.target})"
        question = questions.get(entry.target)
        if question is None:
            found.append(f"{where}: no question {entry.target!r} in the loaded checklists")
            continue
        if entry.text:
            if question.type is not AnswerType.TEXT:
                found.append(f"{where}: text: true needs a text question, not {question.type}")
            continue
        values = {c.value for c in question.choices or []} | ({NA} if question.allow_na else set())
        if not question.choices:
            found.append(f"{where}: {entry.target} is a {question.type} question, not a choice")
            continue
        for theirs, ours in (entry.answers or {}).items():
            if ours not in values:
                found.append(
                    f"{where}: answers.{theirs}: {ours!r} is not a choice of {entry.target}; "
                    f"expected one of {', '.join(sorted(values))}"
                )
    return found
