"""How an answer is known (self-attested, evidence, verified, measured) and what that makes
it count for under the confidence rules. Pure: no I/O."""

from __future__ import annotations

import datetime as dt

from auditkit.models.audit import Answer, Knowledge, Source
from auditkit.models.checklist import Question
from auditkit.models.confidence import ConfidenceRules, best_kind

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


def confidence(
    question: Question, answer: Answer, score: float, day: dt.date, rules: ConfidenceRules
) -> tuple[Knowledge, float, float, str | None]:
    """How the answer is known, its factor, and its score after the knock-out support rule."""
    kind = best_kind(knowledge_kinds(question, answer, day), rules)
    cap = rules.unsupported_critical_cap
    if question.critical and kind is _SELF and score > cap:
        note = f"self-attested critical control without evidence or verification: capped at {cap:g}"
        return kind, rules.factors.of(kind), cap, note
    return kind, rules.factors.of(kind), score, None
