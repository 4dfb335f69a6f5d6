"""Read a filled exchange file and check it against its audit: the answers it would change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from auditkit import answers as answer_rules
from auditkit.assessment import AuditState
from auditkit.errors import ValidationProblem
from auditkit.exchange.questionnaire import Questionnaire, build, fingerprint
from auditkit.exchange.returned import Content, Meta, Row
from auditkit.models.audit import Answer, AnswerValue, Source
from auditkit.models.checklist import AnswerType, Question
from auditkit.models.common import revise

MAX_COMMENT = answer_rules.MAX_TEXT
MAX_EVIDENCE_REF = 1_000
MISSING = "is missing from the file (rows and questions must not be deleted)"
READERS = {".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}


@dataclass(frozen=True)
class Change:
    question: Question
    old: Answer | None
    new: Answer


@dataclass(frozen=True)
class ImportResult:
    audit_id: int
    changes: tuple[Change, ...]
    unchanged: int
    stored: bool


def read(path: Path) -> Content:
    """Parse an exchange file by its extension, after the safety checks for its format."""
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise ValidationProblem(
            [
                f"{path}: unknown file type {path.suffix or '(none)'!r}; "
                "expected .xlsx, .yaml, .yml or .json"
            ]
        )
    if kind == "xlsx":
        from auditkit.exchange.xlsx_reader import read_workbook

        return read_workbook(path)
    from auditkit.exchange.yaml_json import read_document

    return read_document(path)


def plan(
    state: AuditState, content: Content, actor: str, source: Source
) -> tuple[list[Change], int]:
    """The answers that would change; ValidationProblem listing every problem otherwise."""
    expected = build(state, content.meta.lang)
    check_meta(content.source, content.meta, expected)
    questions = {item.question.id: item.question for item in expected.items}
    problems: list[str] = []
    first_seen: dict[str, str] = {}
    changes: list[Change | None] = []
    for row in content.rows:
        question, row_problems = _identify(row, questions, first_seen)
        label = f"{content.source}: {row.where}"
        label += f" ({row.question_id})" if row.question_id else ""
        try:
            if question is not None and not row_problems:
                changes.append(_change(question, row, state, content.meta, actor, source))
        except answer_rules.AnswerError as exc:
            row_problems.append(str(exc))
        except ValidationProblem as exc:
            row_problems += exc.problems
        problems += [f"{label}: {p}" for p in row_problems]
    problems += [
        f"{content.source}: question {qid} {MISSING}" for qid in questions if qid not in first_seen
    ]
    if problems:
        raise ValidationProblem(problems)
    return [c for c in changes if c is not None], changes.count(None)


def check_meta(source: str, meta: Meta, expected: Questionnaire) -> None:
    """The file must have been made for this audit and these checklist versions."""
    if meta.audit_id != expected.audit_id:
        raise ValidationProblem(
            [
                f"{source}: this file was made for audit {meta.audit_id}, not "
                f"audit {expected.audit_id}; import it into audit {meta.audit_id}"
            ]
        )
    problems = _version_problems(meta.checklists, expected.checklists, expected.audit_id)
    if not problems and meta.digest is not None and meta.digest != expected.digest:
        problems.append(
            f"the questions of audit {expected.audit_id} changed since this file was "
            "exported; export a new questionnaire"
        )
    if problems:
        raise ValidationProblem([f"{source}: {p}" for p in problems])


def _version_problems(made_for: dict[str, str], now: dict[str, str], audit_id: int) -> list[str]:
    problems = []
    for checklist_id, version in sorted(made_for.items()):
        current = now.get(checklist_id)
        if current is None:
            problems.append(
                f"made for checklist {checklist_id}, which audit {audit_id} does not "
                "use; export a new questionnaire"
            )
        elif current != version:
            problems.append(
                f"made for checklist {checklist_id} version {version}; audit "
                f"{audit_id} uses version {current}; export a new questionnaire"
            )
    problems += [
        f"checklist {c} of audit {audit_id} is not in the file; export a new questionnaire"
        for c in now
        if c not in made_for
    ]
    return problems


def _identify(
    row: Row, questions: dict[str, Question], first_seen: dict[str, str]
) -> tuple[Question | None, list[str]]:
    qid = row.question_id
    if qid is None:
        return None, ["no question id in this row (do not add rows or edit the hidden id column)"]
    if qid in first_seen:
        return None, [f"question id appears twice (first at {first_seen[qid]})"]
    first_seen[qid] = row.where
    if qid not in questions:
        return None, [f"unknown question id {qid[:80]!r} (question ids must not be edited)"]
    question = questions[qid]
    if row.fingerprint != fingerprint(question):
        return None, [
            "this row was exported for another question (its id was edited or moved); "
            "export a new questionnaire"
        ]
    return question, list(row.problems) + _text_problems(row)


def _text_problems(row: Row) -> list[str]:
    problems = []
    for name, text, limit in (
        ("comment", row.comment, MAX_COMMENT),
        ("evidence", row.evidence, MAX_EVIDENCE_REF),
    ):
        if text is not None and len(text) > limit:
            problems.append(f"{name}: {len(text)} characters; the limit is {limit}")
    return problems


def _change(
    question: Question, row: Row, state: AuditState, meta: Meta, actor: str, source: Source
) -> Change | None:
    """The new answer, or None when the row changes nothing (blank cells keep what is stored)."""
    try:
        value = parse_cell(question, row.answer, meta, state.audit.as_of)
    except answer_rules.AnswerError as exc:
        raise answer_rules.AnswerError(f"answer: {exc}") from None
    old = state.answers.get(question.id)
    if old is None and value is None and row.comment is None and row.evidence is None:
        return None
    base = old or Answer(question_id=question.id, source=source)
    fields = {
        "value": value if value is not None else base.value,
        "comment": row.comment if row.comment is not None else base.comment,
        "evidence_ref": row.evidence if row.evidence is not None else base.evidence_ref,
    }
    new = revise(base, **fields, answered_by=actor, answered_at=None)  # text normalised here
    if old is not None and all(getattr(old, k) == getattr(new, k) for k in fields):
        return None
    if old is None or new.value != old.value:
        new = new.model_copy(update={"source": source})
    return Change(question, old, new)


def parse_cell(question: Question, raw: object, meta: Meta, today: dt.date) -> AnswerValue:
    """An answer cell to a stored value; choice labels in the file's language map back."""
    if isinstance(raw, str) and question.choices and question.type is not AnswerType.MULTI_CHOICE:
        labels = {c.label.get(meta.lang): c.value for c in question.choices}
        raw = labels.get(raw.strip(), raw)
    if isinstance(raw, dt.datetime) and question.type is not AnswerType.DATE:
        raw = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
    elif isinstance(raw, dt.date) and question.type is not AnswerType.DATE:
        raw = raw.isoformat()
    return answer_rules.parse(question, raw, today)
