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
from auditkit.models.message import Message

MAX_COMMENT = answer_rules.MAX_TEXT
MAX_EVIDENCE_REF = 1_000
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
        suffix = repr(path.suffix or "(none)")
        raise ValidationProblem([Message.of("unknown_file_type", path=str(path), suffix=suffix)])
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
    problems: list[Message] = []
    first_seen: dict[str, Message] = {}
    changes: list[Change | None] = []
    for row in content.rows:
        question, row_problems = _identify(row, questions, first_seen)
        label = (
            Message.of("row_at_question", path=content.source, where=row.where, question=qid)
            if (qid := row.question_id)
            else Message.of("row_at", path=content.source, where=row.where)
        )
        try:
            if question is not None and not row_problems:
                changes.append(_change(question, row, state, content.meta, actor, source))
        except answer_rules.AnswerError as exc:
            row_problems.append(exc.message)
        except ValidationProblem as exc:
            row_problems += exc.said_lines
        problems += [Message.of("at", where=label, said=p) for p in row_problems]
    problems += [
        Message.of("question_missing_row", path=content.source, question=qid)
        for qid in questions
        if qid not in first_seen
    ]
    if problems:
        raise ValidationProblem(problems)
    return [c for c in changes if c is not None], changes.count(None)


def check_meta(source: str, meta: Meta, expected: Questionnaire) -> None:
    """The file must have been made for this audit and these checklist versions."""
    if meta.audit_id != expected.audit_id:
        said = Message.of(
            "file_other_audit", path=source, made=meta.audit_id, audit=expected.audit_id
        )
        raise ValidationProblem([said])
    problems = _version_problems(meta.checklists, expected.checklists, expected.audit_id)
    if not problems and meta.digest is not None and meta.digest != expected.digest:
        problems.append(Message.of("questions_changed", audit=expected.audit_id))
    if problems:
        raise ValidationProblem([Message.of("at", where=source, said=p) for p in problems])


def _version_problems(
    made_for: dict[str, str], now: dict[str, str], audit_id: int
) -> list[Message]:
    problems = []
    for checklist_id, version in sorted(made_for.items()):
        current = now.get(checklist_id)
        if current is None:
            problems.append(Message.of("made_for_unused", checklist=checklist_id, audit=audit_id))
        elif current != version:
            problems.append(
                Message.of(
                    "made_for_version",
                    checklist=checklist_id,
                    version=version,
                    audit=audit_id,
                    current=current,
                )
            )
    problems += [
        Message.of("checklist_not_in_file", checklist=c, audit=audit_id)
        for c in now
        if c not in made_for
    ]
    return problems


def _identify(
    row: Row, questions: dict[str, Question], first_seen: dict[str, Message]
) -> tuple[Question | None, list[Message]]:
    qid = row.question_id
    if qid is None:
        return None, [Message.of("row_no_id")]
    if qid in first_seen:
        return None, [Message.of("row_id_twice", first=first_seen[qid])]
    first_seen[qid] = row.where
    if qid not in questions:
        return None, [Message.of("row_unknown_id", id=repr(qid[:80]))]
    question = questions[qid]
    if row.fingerprint != fingerprint(question):
        return None, [Message.of("row_other_question")]
    return question, list(row.problems) + _text_problems(row)


def _text_problems(row: Row) -> list[Message]:
    problems = []
    for name, text, limit in (
        ("comment", row.comment, MAX_COMMENT),
        ("evidence", row.evidence, MAX_EVIDENCE_REF),
    ):
        if text is not None and len(text) > limit:
            over = Message.of("text_over_limit", length=len(text), limit=limit)
            problems.append(Message.of("field_said", field=name, said=over))
    return problems


def _change(
    question: Question, row: Row, state: AuditState, meta: Meta, actor: str, source: Source
) -> Change | None:
    """The new answer, or None when the row changes nothing (blank cells keep what is stored)."""
    try:
        value = parse_cell(question, row.answer, meta, state.audit.as_of)
    except answer_rules.AnswerError as exc:
        raise answer_rules.AnswerError(
            Message.of("field_said", field="answer", said=exc.message)
        ) from None
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
