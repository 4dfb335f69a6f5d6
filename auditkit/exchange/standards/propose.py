"""From a vendor's answers to a standard questionnaire to proposed auditkit answers. Pure.

Each of their answers goes through the mapping: matched (a proposal for our question),
unmatched (no mapping for their question, a blank answer, an answer the mapping does not
translate, or a target outside this audit) or conflicting (two of their answers disagree about
one of our questions; or our question is already answered differently: kept unless replace).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field

from auditkit import answers as answer_rules
from auditkit.errors import ValidationProblem
from auditkit.exchange.standards.items import VendorAnswer
from auditkit.models.audit import Answer, AnswerValue
from auditkit.models.checklist import AnswerType, Question
from auditkit.models.mapping import Mapping, answer_key
from auditkit.models.message import Message


@dataclass(frozen=True)
class Proposal:
    question: Question
    value: AnswerValue
    sources: tuple[str, ...]  # their question ids
    comment: str | None
    old: Answer | None = None


@dataclass
class Plan:
    store: list[Proposal] = field(default_factory=list)  # new answers, or replacing (replace)
    same: list[Proposal] = field(default_factory=list)  # already answered this way
    kept: list[Proposal] = field(default_factory=list)  # answered otherwise; not replaced
    clashes: list[Message] = field(default_factory=list)  # their answers disagree: left pending
    unmatched: list[Message] = field(default_factory=list)
    pending: int = 0  # questions of the audit still unanswered afterwards


@dataclass
class _Candidate:
    values: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan(
    mapping: Mapping,
    vendor: list[VendorAnswer],
    questions: MappingOf[str, Question],
    current: MappingOf[str, Answer],
    today: dt.date,
    replace: bool = False,
) -> Plan:
    result = Plan()
    candidates = _candidates(mapping, vendor, questions, result.unmatched)
    problems: list[Message] = []
    for qid, found in candidates.items():
        question = questions[qid]
        value = _agreed(question, found, result.clashes)
        if value is None:
            continue
        try:
            parsed = answer_rules.parse(question, value, today)
        except answer_rules.AnswerError as exc:
            problems.append(_from(qid, found, exc.message))
            continue
        comment = "\n".join(dict.fromkeys(found.notes)) or None
        if comment and len(comment) > answer_rules.MAX_TEXT:
            over = Message.of("text_over_limit", length=len(comment), limit=answer_rules.MAX_TEXT)
            problems.append(_from(qid, found, Message.of("at", where="notes", said=over)))
            continue
        old = current.get(qid)
        proposal = Proposal(question, parsed, tuple(found.sources), comment, old)
        if old is None or old.value is None:
            result.store.append(proposal)
        elif old.value == parsed:
            result.same.append(proposal)
        else:
            (result.store if replace else result.kept).append(proposal)
    if problems:
        raise ValidationProblem(problems)
    stored = {p.question.id for p in result.store}
    result.pending = sum(
        1
        for qid in questions
        if qid not in stored and (current.get(qid) is None or current[qid].value is None)
    )
    return result


def _candidates(
    mapping: Mapping,
    vendor: list[VendorAnswer],
    questions: MappingOf[str, Question],
    unmatched: list[Message],
) -> dict[str, _Candidate]:
    entries = mapping.by_source()
    found: dict[str, _Candidate] = {}
    for row in vendor:
        label = Message.of("where_id", where=row.where, id=row.source_id)
        targets = entries.get(row.source_id)
        if not targets:
            if row.answer is not None:
                unmatched.append(Message.of("std_no_mapping", row=label))
            continue
        if row.answer is None:
            unmatched.append(Message.of("std_no_answer", row=label))
            continue
        for entry in targets:
            if entry.target not in questions:
                unmatched.append(Message.of("std_not_asked", row=label, question=entry.target))
                continue
            ours = row.answer if entry.text else (entry.answers or {}).get(answer_key(row.answer))
            if ours is None:
                unmatched.append(
                    Message.of(
                        "std_untranslatable",
                        row=label,
                        answer=repr(row.answer[:40]),
                        question=entry.target,
                    )
                )
                continue
            candidate = found.setdefault(entry.target, _Candidate())
            candidate.values.append(ours)
            candidate.sources.append(row.source_id)
            if row.notes:
                candidate.notes.append(f"{row.source_id}: {row.notes}")
    return found


def _from(qid: str, found: _Candidate, said: Message) -> Message:
    return Message.of("from_sources", question=qid, sources=", ".join(found.sources), said=said)


def _agreed(
    question: Question, found: _Candidate, clashes: list[Message]
) -> str | list[str] | None:
    """One value for our question: multi-choice answers add up; others must agree."""
    distinct = list(dict.fromkeys(found.values))
    if question.type is AnswerType.MULTI_CHOICE:
        return distinct
    if len(distinct) == 1:
        return distinct[0]
    said = ", ".join(f"{s} -> {v}" for s, v in zip(found.sources, found.values, strict=True))
    clashes.append(Message.of("std_disagree", question=question.id, answers=said))
    return None
