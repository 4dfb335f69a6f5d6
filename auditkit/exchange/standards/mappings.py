"""Mapping files: load, and check them against the checklists they point into."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from auditkit import catalogue, paths, safeyaml
from auditkit.checklists import all_questions, format_errors
from auditkit.errors import NotFound, ValidationProblem
from auditkit.models.checklist import NA, AnswerType, Checklist
from auditkit.models.mapping import Mapping
from auditkit.models.message import Message


def shipped(standard: str) -> Path:
    return paths.checklists_dir() / "mappings" / f"{standard}.yaml"


def shipped_files() -> list[Path]:
    return sorted((paths.checklists_dir() / "mappings").glob("*.yaml"))


def load(path: Path) -> Mapping:
    if not path.is_file():
        raise catalogue.error(NotFound, "no_mapping_file", path=str(path))
    data = safeyaml.load_file(path)
    if not isinstance(data, dict):
        raise ValidationProblem([Message.of("mapping_shape", path=str(path))])
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(format_errors(str(path), exc)) from None


def problems(source: str, mapping: Mapping, checklists: dict[str, Checklist]) -> list[Message]:
    """Every entry must name a known question and, for choice questions, its choices."""
    questions = all_questions(checklists)
    found = []
    for index, entry in enumerate(mapping.entries):
        where = f"entries[{index}] ({entry.source} -> {entry.target})"

        def add(said: Message, where: str = where) -> None:
            found.append(Message.of("in_file_at", path=source, where=where, said=said))

        question = questions.get(entry.target)
        if question is None:
            add(Message.of("mapping_no_question", question=repr(entry.target)))
            continue
        if entry.text:
            if question.type is not AnswerType.TEXT:
                add(Message.of("mapping_text_needs_text", type=question.type.value))
            continue
        values = {c.value for c in question.choices or []} | ({NA} if question.allow_na else set())
        if not question.choices:
            add(Message.of("mapping_not_choice", question=entry.target, type=question.type.value))
            continue
        for theirs, ours in (entry.answers or {}).items():
            if ours not in values:
                said = Message.of(
                    "mapping_not_a_choice",
                    theirs=theirs,
                    ours=repr(ours),
                    question=entry.target,
                    expected=", ".join(sorted(values)),
                )
                add(said)
    return found
