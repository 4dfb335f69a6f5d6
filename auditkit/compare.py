"""Year over year: what changed between two scored audits (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditkit.models.audit import Answer
from auditkit.scoring import AuditResult

FAILING = ("fail", "partial")


@dataclass(frozen=True)
class DomainDelta:
    checklist_id: str
    old: float | None
    new: float | None

    @property
    def change(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditDiff:
    overall: tuple[float | None, float | None]
    rating: tuple[str, str]
    recommendation: tuple[str, str]
    domains: tuple[DomainDelta, ...]
    changed: tuple[AnswerChange, ...]
    newly_failing: tuple[str, ...]
    resolved: tuple[str, ...]
    only_old: tuple[str, ...]  # questions dropped by a newer checklist version
    only_new: tuple[str, ...]  # questions added by a newer checklist version


def _failing(result: AuditResult) -> set[str]:
    return {r.question.id for r in result.findings}


def diff(
    old: AuditResult,
    new: AuditResult,
    old_answers: Mapping[str, Answer],
    new_answers: Mapping[str, Answer],
) -> AuditDiff:
    old_q = {r.question.id for d in old.domains for r in d.questions}
    new_q = {r.question.id for d in new.domains for r in d.questions}
    old_scores = {d.checklist_id: d.score for d in old.domains}
    new_scores = {d.checklist_id: d.score for d in new.domains}
    domains = tuple(
        DomainDelta(cid, old_scores.get(cid), new_scores.get(cid))
        for cid in sorted(old_scores.keys() | new_scores.keys())
    )
    changed = tuple(
        AnswerChange(qid, _value(old_answers.get(qid)), _value(new_answers.get(qid)))
        for qid in sorted(old_q & new_q)
        if _value(old_answers.get(qid)) != _value(new_answers.get(qid))
    )
    was, now = _failing(old), _failing(new)
    return AuditDiff(
        (old.overall, new.overall),
        (old.rating, new.rating),
        (old.recommendation, new.recommendation),
        domains,
        changed,
        tuple(sorted(now - was)),
        tuple(sorted((was - now) & new_q)),
        tuple(sorted(old_q - new_q)),
        tuple(sorted(new_q - old_q)),
    )


def _value(answer: Answer | None) -> Any:
    return None if answer is None else answer.value
