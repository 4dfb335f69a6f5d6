"""Load and validate checklists; every problem is one line naming file, path and expectation."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from auditkit import catalogue, checklist_cache, paths, safeyaml
from auditkit.checklist_summaries import checklist_files
from auditkit.errors import NotFound, ValidationProblem
from auditkit.models import refusals
from auditkit.models.checklist import Checklist, Question
from auditkit.models.confidence import ConfidenceRules
from auditkit.models.message import Message


@dataclass(frozen=True)
class Framework:
    key: str
    title: str
    ids: frozenset[str]
    pattern: re.Pattern[str] | None = None  # ids of a source questionnaire: checked by shape
    title_ja: str | None = None  # when the framework has a Japanese name of its own

    def title_in(self, lang: str) -> str:
        return self.title_ja if lang == "ja" and self.title_ja else self.title

    def knows(self, ref: str) -> bool:
        return ref in self.ids or bool(self.pattern and self.pattern.match(ref))


def format_errors(source: str, exc: ValidationError) -> list[Message]:
    problems = []
    for err in exc.errors():
        message = refusals.said(err)
        if err["type"] == "extra_forbidden":
            message = Message.of("checklist_unknown_field")
        elif err["type"] == "string_type" and isinstance(err.get("input"), bool):
            message = Message.of("text_got_bool")
        if where := refusals.indexed(err["loc"]):  # checklist-wide checks name their own path
            message = Message.of("at", where=where, said=message)
        problems.append(Message.of("at", where=source, said=message))
    return problems


@cache
def load_catalog(path: Path | None = None) -> dict[str, Framework]:
    """The valid framework reference ids, kept as data beside the checklists."""
    path = path or paths.framework_catalog()
    raw = safeyaml.load_file(path)
    if not isinstance(raw, dict):
        raise ValidationProblem([Message.of("framework_catalog_shape", path=str(path))])
    return {
        key: Framework(
            key,
            str(entry["title"]),
            frozenset(str(i) for i in entry.get("ids", ())),
            re.compile(str(entry["pattern"])) if "pattern" in entry else None,
            str(entry["title_ja"]) if "title_ja" in entry else None,
        )
        for key, entry in raw.items()
    }


def reference_problems(source: str, checklist: Checklist) -> list[Message]:
    catalog = load_catalog()
    problems = []
    for qi, question in enumerate(checklist.questions):
        for framework, ids in question.references.items():
            known = catalog.get(framework)
            if known is None:
                where = f"questions[{qi}].references.{framework}"
                said = Message.of("unknown_framework", known=", ".join(sorted(catalog)))
                problems.append(Message.of("in_file_at", path=source, where=where, said=said))
                continue
            for ri, ref in enumerate(ids):
                if not known.knows(ref):
                    where = f"questions[{qi}].references.{framework}[{ri}]"
                    said = Message.of("not_framework_id", ref=repr(ref), framework=known.title)
                    problems.append(Message.of("in_file_at", path=source, where=where, said=said))
    return problems


def parse_checklist(data: Any, source: str, stem: str | None = None) -> Checklist:
    """Validate parsed YAML as a checklist; raise ValidationProblem listing every problem."""
    if not isinstance(data, dict):
        raise ValidationProblem([Message.of("top_not_mapping", path=source)])
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(format_errors(source, exc)) from None
    problems = reference_problems(source, checklist)
    if stem is not None and checklist.id != stem:
        said = Message.of("id_not_file_name", id=repr(checklist.id), stem=repr(stem))
        problems.insert(0, Message.of("in_file_at", path=source, where="id", said=said))
    if problems:
        raise ValidationProblem(problems)
    return checklist


def parse_file(path: Path) -> Checklist:
    return parse_checklist(safeyaml.load_file(path), str(path), stem=path.stem)


def load_file(path: Path) -> Checklist:
    """A checklist file, parsed (or from the parse cache when the file is unchanged)."""
    return checklist_cache.load(path, parse_file)


def load_directories(extra: Sequence[Path] = ()) -> dict[str, Checklist]:
    """Shipped checklists, then the user's directories; ids must be unique across all."""
    files = checklist_files(paths.checklists_dir())
    for directory in extra:
        files += checklist_files(directory)
    return _load_files(tuple(files))


def _load_files(files: tuple[Path, ...]) -> dict[str, Checklist]:
    loaded, problems = _collect(files)
    if problems:
        raise ValidationProblem(problems)
    return {c.id: c for c in loaded.values()}


def _collect(files: Sequence[Path]) -> tuple[dict[Path, Checklist], list[Message]]:
    """Load every file; problems in one file do not hide those in others. Checklist and
    question ids must be unique across all the files."""
    loaded: dict[Path, Checklist] = {}
    owner: dict[str, Path] = {}
    problems: list[Message] = []
    for path in files:
        try:
            checklist = load_file(path)
        except ValidationProblem as exc:
            problems.extend(exc.said_lines)
            continue
        if checklist.id in owner:
            where = owner[checklist.id]
            said = Message.of("checklist_defined_twice", id=repr(checklist.id), other=str(where))
            problems.append(Message.of("in_file_at", path=str(path), where="id", said=said))
            continue
        for question in checklist.questions:
            if question.id in owner:
                said = Message.of(
                    "question_defined_twice", id=repr(question.id), other=str(owner[question.id])
                )
                problems.append(Message.of("at", where=str(path), said=said))
            owner[question.id] = path
        owner[checklist.id] = path
        loaded[path] = checklist
    return loaded, problems


def validate_paths(targets: Sequence[Path]) -> tuple[dict[Path, Checklist], list[Message]]:
    """Check user checklist files (or directories of them), also against the shipped ones.
    Returns what loaded, by file, and every problem found."""
    files = [f for t in targets for f in (checklist_files(t) if t.is_dir() else [t])]
    shipped = checklist_files(paths.checklists_dir())
    ordered = list(dict.fromkeys([*shipped, *(f.resolve() for f in files)]))
    loaded, problems = _collect(ordered)
    chosen = {f.resolve() for f in files}
    return {f: c for f, c in loaded.items() if f in chosen}, problems


def get(checklists: dict[str, Checklist], checklist_id: str) -> Checklist:
    try:
        return checklists[checklist_id]
    except KeyError:
        known = ", ".join(sorted(checklists))
        raise catalogue.error(
            NotFound, "no_checklist", checklist=repr(checklist_id), known=known
        ) from None


def all_questions(checklists: dict[str, Checklist]) -> dict[str, Question]:
    return {q.id: q for c in checklists.values() for q in c.questions}


@dataclass(frozen=True)
class Coverage:
    """Which catalogue controls of one framework the questions cite."""

    framework: Framework
    citations: dict[str, list[str]]  # every catalogue control id, in order -> citing question ids

    @property
    def cited(self) -> list[str]:
        return [ref for ref, questions in self.citations.items() if questions]

    @property
    def uncited(self) -> list[str]:
        return [ref for ref, questions in self.citations.items() if not questions]

    @property
    def percent(self) -> float:
        return 100.0 * len(self.cited) / len(self.citations) if self.citations else 0.0


def _natural(ref: str) -> list[tuple[int, int | str]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", ref) if p]


def coverage(checklists: Mapping[str, Checklist]) -> list[Coverage]:
    """For each catalogue framework with a list of controls, the questions citing each.
    (Source-questionnaire ids such as `caiq` are checked by a pattern and have no list.)"""
    result = []
    for framework in load_catalog().values():
        if framework.pattern is not None:
            continue
        citations: dict[str, list[str]] = {ref: [] for ref in sorted(framework.ids, key=_natural)}
        for checklist in checklists.values():
            for question in checklist.questions:
                for ref in question.references.get(framework.key, []):
                    if ref in citations and question.id not in citations[ref]:
                        citations[ref].append(question.id)
        result.append(Coverage(framework, citations))
    return result


CONFIDENCE_FILE = Path("scoring") / "confidence.yaml"


def load_confidence(extra: Sequence[Path] = ()) -> ConfidenceRules:
    """The confidence rules: `scoring/confidence.yaml` of the last `--checklists` directory
    that has one, else the shipped file (parsed again only when the file changes)."""
    path = paths.checklists_dir() / CONFIDENCE_FILE
    for directory in extra:
        if (directory / CONFIDENCE_FILE).is_file():
            path = directory / CONFIDENCE_FILE
    try:
        seen = path.stat()
    except OSError as exc:
        raise catalogue.error(
            NotFound, "cannot_read", path=str(path), detail=str(exc.strerror)
        ) from None
    return _confidence_file(path, seen.st_mtime_ns, seen.st_size)


@cache
def _confidence_file(path: Path, _mtime: int, _size: int) -> ConfidenceRules:
    raw = safeyaml.load_file(path)
    if not isinstance(raw, dict):
        raise ValidationProblem([Message.of("confidence_shape", path=str(path))])
    try:
        return ConfidenceRules.model_validate(raw)
    except ValidationError as exc:
        raise ValidationProblem(format_errors(str(path), exc)) from None
