"""How an answer is known (self-attested, evidence, verified, measured) and what that makes
it count for under the confidence rules. Pure: no I/O."""

from __future__ import annotations

import datetime as dt

from auditkit.models.audit import Answer, Knowledge, Source
from auditkit.models.checklist import Question
from auditkit.models.confidence import ConfidenceRules
from auditkit.models.message import Message

_BASE_KNOWLEDGE = {
    Source.VENDOR: Knowledge.SELF_ATTESTED,
    Source.STANDARD: Knowledge.SELF_ATTESTED,
    Source.AUDITOR: Knowledge.VERIFIED,
    Source.PROBE: Knowledge.MEASURED,
}
_SELF = Knowledge.SELF_ATTESTED


def supported_by_evidence(question: Question, answer: Answer, day: dt.date) -> bool:
    """A linked file valid on `day`, of a kind the question accepts (any kind where the
    question names none)."""
    kinds = question.evidence.kinds if question.evidence is not None else None
    return any(
        item.valid_on(day) and (kinds is None or item.kind in kinds) for item in answer.evidence
    )


def knowledge_kinds(question: Question, answer: Answer, day: dt.date) -> set[Knowledge]:
    """Every way the answer is known: its source (vendor: self-attested, auditor: verified,
    probe: measured), valid evidence, and an auditor's verification."""
    kinds = {_BASE_KNOWLEDGE[answer.source]}
    if answer.verification is not None:
        kinds.add(Knowledge.VERIFIED)
    if answer.evidence and supported_by_evidence(question, answer, day):
        kinds.add(Knowledge.EVIDENCE)
    return kinds


_VERIFIED, _EVIDENCE = Knowledge.VERIFIED, Knowledge.EVIDENCE


def counted_as(
    question: Question, answer: Answer, day: dt.date, rules: ConfidenceRules
) -> tuple[Knowledge, float]:
    """The kind of those the answer has (see `knowledge_kinds`) that counts most, with its
    factor. Written for scoring's inner loop: no set is built, evidence checked only when it
    could count."""
    base = _BASE_KNOWLEDGE[answer.source]
    verified = answer.verification is not None
    for kind, factor in rules.ranking:
        if kind is base or (kind is _VERIFIED and verified):
            return kind, factor
        if kind is _EVIDENCE and answer.evidence and supported_by_evidence(question, answer, day):
            return kind, factor
    raise AssertionError("every source's kind is ranked")  # pragma: no cover


UNSUPPORTED = Message.of("unsupported_self_attested")


def confidence(
    question: Question, answer: Answer, score: float, day: dt.date, rules: ConfidenceRules
) -> tuple[Knowledge, float, float, Message | None]:
    """How the answer is known, its factor, and its score after the knock-out support rule."""
    kind, factor = counted_as(question, answer, day, rules)
    cap = rules.unsupported_critical_cap
    if question.critical and kind is _SELF and score > cap:
        return kind, factor, cap, Message.of("score_capped", cause=UNSUPPORTED, cap=f"{cap:g}")
    return kind, factor, score, None
