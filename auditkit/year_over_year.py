"""Year over year: what changed between two scored audits (pure, no I/O).

One definition, used by `audit diff` and by the report's comparison with the previous audit:

- newly failing: failing (fail or partial) now, not before;
- resolved: failing before, still asked now, not failing now;
- dropped: asked before, no longer asked (a newer checklist version removed it); a dropped
  question that was failing is *not* resolved;
- added: asked now, not before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from auditkit.models.audit import Answer
from auditkit.scoring import AuditResult


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
class FindingChanges:
    """How the failing questions moved between two audits."""

    newly_failing: tuple[str, ...]
    resolved: tuple[str, ...]
    dropped: tuple[str, ...]  # failing before, no longer asked: neither resolved nor failing


@dataclass(frozen=True)
class AuditDiff:
    overall: tuple[float | None, float | None]
    rating: tuple[str, str]
    recommendation: tuple[str, str]
    domains: tuple[DomainDelta, ...]
    changed: tuple[AnswerChange, ...]
    newly_failing: tuple[str, ...]
    resolved: tuple[str, ...]
    only_old: tuple[str, ...]  # dropped: questions a newer checklist version removed
    only_new: tuple[str, ...]  # added: questions a newer checklist version added


def asked(result: AuditResult) -> set[str]:
    """Every question the audit's checklists ask (whatever its status)."""
    return {r.question.id for d in result.domains for r in d.questions}


def failing(result: AuditResult) -> set[str]:
    return {r.question.id for r in result.findings}


def finding_changes(
    was_failing: Iterable[str], now_failing: Iterable[str], now_asked: Iterable[str]
) -> FindingChanges:
    was, now, still = set(was_failing), set(now_failing), set(now_asked)
    return FindingChanges(
        newly_failing=tuple(sorted(now - was)),
        resolved=tuple(sorted((was - now) & still)),
        dropped=tuple(sorted(was - still)),
    )


def domain_deltas(
    old: Mapping[str, float | None], new: Mapping[str, float | None]
) -> tuple[DomainDelta, ...]:
    """One row per checklist in either audit, sorted by checklist id."""
    return tuple(
        DomainDelta(cid, old.get(cid), new.get(cid)) for cid in sorted(old.keys() | new.keys())
    )


def domain_scores(result: AuditResult) -> dict[str, float | None]:
    return {d.checklist_id: d.score for d in result.domains}


def diff(
    old: AuditResult,
    new: AuditResult,
    old_answers: Mapping[str, Answer],
    new_answers: Mapping[str, Answer],
) -> AuditDiff:
    old_q, new_q = asked(old), asked(new)
    changed = tuple(
        AnswerChange(qid, _value(old_answers.get(qid)), _value(new_answers.get(qid)))
        for qid in sorted(old_q & new_q)
        if _value(old_answers.get(qid)) != _value(new_answers.get(qid))
    )
    moved = finding_changes(failing(old), failing(new), new_q)
    return AuditDiff(
        (old.overall, new.overall),
        (old.rating, new.rating),
        (old.recommendation, new.recommendation),
        domain_deltas(domain_scores(old), domain_scores(new)),
        changed,
        moved.newly_failing,
        moved.resolved,
        tuple(sorted(old_q - new_q)),
        tuple(sorted(new_q - old_q)),
    )


def _value(answer: Answer | None) -> Any:
    return None if answer is None else answer.value
