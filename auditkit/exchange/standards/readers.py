"""One entry point per use: a standard's template (to convert) or a vendor's filled file."""

from __future__ import annotations

from pathlib import Path

from auditkit.errors import ValidationProblem
from auditkit.exchange.standards import vsaq, workbook
from auditkit.exchange.standards.items import (
    Kind,
    Section,
    SourceChoice,
    SourceQuestion,
    Template,
    VendorAnswer,
)
from auditkit.models.mapping import answer_key
from auditkit.models.message import Message

YES_NO = {"yes", "no"}


def read_template(path: Path, standard: str, columns: str | None = None) -> Template:
    if standard == "vsaq":
        _no_columns(columns)
        return vsaq.read_template(path)
    return workbook_template(path, standard, _columns(columns))


def read_answers(path: Path, standard: str, columns: str | None = None) -> list[VendorAnswer]:
    if standard == "vsaq":
        _no_columns(columns)
        return vsaq.read_answers(path)
    return workbook_answers(path, _columns(columns))


def _columns(spec: str | None) -> dict[str, int] | None:
    return workbook.parse_columns(spec) if spec else None


def _label(path: Path, where: Message, qid: str) -> Message:
    return Message.of("row_at_question", path=str(path), where=where, question=qid)


def _no_columns(spec: str | None) -> None:
    if spec:
        raise ValidationProblem([Message.of("columns_not_vsaq")])


def workbook_template(path: Path, standard: str, columns: dict[str, int] | None) -> Template:
    sections: dict[str, Section] = {}
    problems: list[Message] = []
    seen: dict[str, Message] = {}
    for sheet in workbook.read(path, columns, ("id", "question")):
        kind, choices, allow_na = _answer_kind(sheet.answer_list)
        for row in sheet.rows:
            qid = str(row.values["id"])
            label = _label(path, row.where, qid)
            problems += [Message.of("at", where=label, said=p) for p in row.problems]
            text = row.text("question")
            if qid in seen:
                said = Message.of("row_id_twice", first=seen[qid])
                problems.append(Message.of("at", where=label, said=said))
                continue
            seen[qid] = row.where
            if text is None:
                problems.append(Message.of("at", where=label, said=Message.of("question_empty")))
                continue
            code = qid.split("-", 1)[0].split(".", 1)[0]
            title = row.text("section") or f"{standard.upper()} {code}"
            section = sections.setdefault(code, Section(code, title))
            section.questions.append(
                SourceQuestion(
                    qid, code, text, kind, choices, allow_na, text_ja=row.text("question_ja")
                )
            )
    if problems:
        raise ValidationProblem(problems)
    if not sections:
        raise ValidationProblem([Message.of("no_question_rows", path=str(path))])
    return Template(standard, tuple(sections.values()))


def _answer_kind(
    listed: tuple[str, ...] | None,
) -> tuple[Kind, tuple[SourceChoice, ...], bool]:
    """Yes/No(/NA) unless the answer column's dropdown offers other choices."""
    if not listed or {answer_key(v) for v in listed} <= YES_NO | {"na"}:
        keys = {answer_key(v) for v in listed or ("Yes", "No", "NA")}
        return "yes_no", (SourceChoice("Yes", "Yes"), SourceChoice("No", "No")), "na" in keys
    choices = tuple(SourceChoice(v, v) for v in listed if answer_key(v) != "na")
    return "single", choices, any(answer_key(v) == "na" for v in listed)


def workbook_answers(path: Path, columns: dict[str, int] | None) -> list[VendorAnswer]:
    answers: list[VendorAnswer] = []
    problems: list[Message] = []
    seen: dict[str, Message] = {}
    for sheet in workbook.read(path, columns, ("id", "answer")):
        for row in sheet.rows:
            qid = str(row.values["id"])
            label = _label(path, row.where, qid)
            problems += [Message.of("at", where=label, said=p) for p in row.problems]
            if qid in seen:
                said = Message.of("row_id_twice", first=seen[qid])
                problems.append(Message.of("at", where=label, said=said))
                continue
            seen[qid] = row.where
            answers.append(VendorAnswer(qid, row.text("answer"), row.text("notes"), row.where))
    if problems:
        raise ValidationProblem(problems)
    return answers
