"""Scoring: pure functions from (checklists, profile facts, answers, day) to results.

No I/O and no globals, so it is deterministic and easy to property-test. Every
number carries its explanation (`notes`, `reasons`) as structured `Message`s (a code and its
parameters); the label catalogue puts them in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from auditkit.knowledge import confidence
from auditkit.models.audit import Answer, Knowledge
from auditkit.models.checklist import NA, AnswerType, Checklist, Question, Severity
from auditkit.models.confidence import NEUTRAL, ConfidenceRules
from auditkit.models.message import Message

Status = Literal["pass", "partial", "fail", "na", "skipped", "unanswered", "info"]
Rating = Literal["low", "medium", "high", "critical"]
Recommendation = Literal["approve", "approve_with_conditions", "reject"]
RATINGS: tuple[Rating, ...] = ("low", "medium", "high", "critical")
EVIDENCE_CAP = 0.5
# Overall score needed for each residual rating, by inherent tier (1 = riskiest vendor).
RATING_THRESHOLDS: dict[int, tuple[float, float, float]] = {
    1: (90.0, 75.0, 55.0),  # >= low, >= medium, >= high, else critical
    2: (80.0, 65.0, 45.0),
    3: (70.0, 50.0, 30.0),
}
REJECT_AT_CRITICAL_FAILURES = 2


class QuestionResult(NamedTuple):
    question: Question
    checklist_id: str
    status: Status
    score: float | None  # 0..1; None when it drops out
    notes: tuple[Message, ...] = ()
    knowledge: Knowledge | None = None  # how the answer is known (None: no answer)
    confidence: float = 1.0  # the share of the score that counts (ConfidenceRules.factors)

    @property
    def points(self) -> float:
        """What the answer adds to its domain, per unit of weight."""
        return (self.score or 0.0) * self.confidence

    @property
    def failed_critical(self) -> bool:
        """A knock-out: a critical question unanswered, or scored below its knockout_score
        (a "partial" answer passes the knock-out only where the question says so)."""
        if not self.question.critical or self.status not in ("fail", "partial", "unanswered"):
            return False
        return self.status == "unanswered" or (self.score or 0.0) < self.question.knockout_score

    def cause(self) -> Message:
        """Why this question falls short: an evidence problem, else how it was answered."""
        for note in self.notes:
            inner = note.get("cause") if note.code == "score_capped" else note
            if isinstance(inner, Message) and inner.code in EVIDENCE_CAUSES:
                return inner
        return Message.of(f"cause_{self.status}")


@dataclass(frozen=True, slots=True)
class DomainResult:
    checklist_id: str
    applicable: bool
    score: float | None  # 0..100; None when nothing scored
    weight: float
    counts: Mapping[str, int]
    questions: tuple[QuestionResult, ...]
    # the share of the domain's score resting on each kind of knowledge (sums to 1 when > 0)
    basis: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditResult:
    domains: tuple[DomainResult, ...]
    overall: float | None
    tier: int
    rating: Rating
    recommendation: Recommendation
    reasons: tuple[Message, ...]
    critical_failures: tuple[QuestionResult, ...]
    findings: tuple[QuestionResult, ...] = field(default=())
    unanswered: int = 0


# Enum members bound once: attribute lookups on an Enum class are slow in a hot loop.
_SINGLE_CHOICE = frozenset({AnswerType.YES_NO, AnswerType.YES_NO_PARTIAL, AnswerType.SINGLE_CHOICE})
_MULTI, _NUMBER, _DATE, _EVIDENCE = (
    AnswerType.MULTI_CHOICE,
    AnswerType.NUMBER,
    AnswerType.DATE,
    AnswerType.EVIDENCE,
)


EVIDENCE_CAUSES = frozenset(
    {"evidence_missing", "evidence_expired", "evidence_wrong_kind", "unsupported_self_attested"}
)


def score_value(question: Question, value: Any, day: dt.date) -> tuple[float, Message | None]:
    """Raw 0..1 score of one non-empty, non-N/A answer value, with an optional note."""
    kind = question.type
    if kind in _SINGLE_CHOICE:
        choice = question.choice(value) if isinstance(value, str) else None
        return (
            (choice.score, None)
            if choice
            else (0.0, Message.of("unknown_choice", value=repr(value)))
        )
    if kind is _MULTI:
        chosen = value if isinstance(value, list) else [value]
        total = sum(c.score for c in question.choices or [] if c.value in chosen)
        return min(1.0, total), None
    if kind is _NUMBER:
        return _band(question, float(value)), None
    if kind is _DATE:
        age = (day - dt.date.fromisoformat(str(value))).days
        return _band(question, float(age)), Message.of("days_old", days=age)
    if kind is _EVIDENCE:
        return 1.0, None  # a reference was given; _evidence_cap checks the files
    return 0.0, None


def _band(question: Question, number: float) -> float:
    for band in question.bands or []:
        if band.matches(number):
            return band.score
    return 0.0


def evidence_gap(question: Question, answer: Answer, day: dt.date) -> Message | None:
    """Why the answer's evidence does not meet the question's requirement, or None when it
    does (or none is required)."""
    requirement = question.evidence
    if requirement is None or not requirement.required:
        return None
    fitting = False
    for item in answer.evidence:
        if item.kind in requirement.kinds:
            if item.valid_on(day):
                return None
            fitting = True
    if fitting:
        return Message.of("evidence_expired")
    if answer.evidence:
        return Message.of("evidence_wrong_kind", kinds=", ".join(requirement.kinds))
    return Message.of("evidence_missing")


def _evidence_cap(
    question: Question, answer: Answer, score: float, day: dt.date
) -> tuple[float, Message | None]:
    if score == 0:
        return score, None
    why = evidence_gap(question, answer, day)
    if why is None:
        return score, None
    if score > EVIDENCE_CAP:
        return EVIDENCE_CAP, Message.of("score_capped", cause=why, cap=f"{EVIDENCE_CAP:g}")
    return score, why


_SKIPPED = (Message.of("does_not_apply"),)
_UNANSWERED = (Message.of("not_answered"),)
_NA = (Message.of("not_applicable"),)


def score_question(
    question: Question,
    checklist_id: str,
    answer: Answer | None,
    applies: bool,
    day: dt.date,
    rules: ConfidenceRules = NEUTRAL,
) -> QuestionResult:
    if not applies:
        return QuestionResult(question, checklist_id, "skipped", None, _SKIPPED)
    value = None if answer is None else answer.value
    if question.type is _EVIDENCE and answer is not None and answer.evidence:
        value = value or answer.evidence[0].name
    if value is None or value == "" or value == []:
        if not question.scored:
            return QuestionResult(question, checklist_id, "info", None)
        return QuestionResult(question, checklist_id, "unanswered", 0.0, _UNANSWERED)
    if value == NA and question.allow_na:
        return QuestionResult(question, checklist_id, "na", None, _NA)
    if not question.scored:
        return QuestionResult(question, checklist_id, "info", None)
    assert answer is not None
    score, note = score_value(question, value, day)
    notes: tuple[Message, ...] = (note,) if note else ()
    if question.evidence is not None:
        score, cap_note = _evidence_cap(question, answer, score, day)
        if cap_note:
            notes += (cap_note,)
    kind, factor, score, support_note = confidence(question, answer, score, day, rules)
    if support_note:
        notes += (support_note,)
    if score >= question.pass_score:
        status: Status = "pass"
    else:
        status = "fail" if score <= 0 else "partial"
    return QuestionResult(question, checklist_id, status, score, notes, kind, factor)


def score_domain(
    checklist: Checklist,
    facts: Mapping[str, Any],
    answers: Mapping[str, Answer],
    day: dt.date,
    values: Mapping[str, Any],
    rules: ConfidenceRules = NEUTRAL,
) -> DomainResult:
    """`values` maps question ids to answer values, for answer-dependent conditions."""
    applicable = checklist.applies_to(facts)
    results = []
    counts: dict[str, int] = {}
    earned: dict[str, float] = {}
    total = weights = 0.0
    for question in checklist.questions:
        applies = applicable and question.applies_to(facts, values)
        answer = answers.get(question.id)
        result = score_question(question, checklist.id, answer, applies, day, rules)
        results.append(result)
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.score is not None:
            weights += question.weight
            points = question.weight * result.points
            total += points
            if points > 0 and result.knowledge is not None:
                earned[result.knowledge.value] = earned.get(result.knowledge.value, 0.0) + points
    score = 100.0 * total / weights if weights else None
    basis = {kind: points / total for kind, points in sorted(earned.items())} if total else {}
    return DomainResult(
        checklist.id, applicable, score, checklist.weight, counts, tuple(results), basis
    )


def residual_rating(tier: int, overall: float | None) -> Rating:
    if overall is None:
        return "critical"
    low, medium, high = RATING_THRESHOLDS[tier]
    if overall >= low:
        return "low"
    if overall >= medium:
        return "medium"
    return "high" if overall >= high else "critical"


def score_audit(
    checklists: Sequence[Checklist],
    facts: Mapping[str, Any],
    answers: Mapping[str, Answer],
    tier: int,
    day: dt.date,
    rules: ConfidenceRules = NEUTRAL,
) -> AuditResult:
    values = {qid: a.value for qid, a in answers.items()}
    domains = tuple(score_domain(c, facts, answers, day, values, rules) for c in checklists)
    scored = [d for d in domains if d.score is not None]
    weight = sum(d.weight for d in scored)
    overall = sum(d.weight * (d.score or 0.0) for d in scored) / weight if weight else None
    questions = [r for d in domains for r in d.questions]
    critical = tuple(r for r in questions if r.failed_critical)
    findings = tuple(r for r in questions if r.status in ("fail", "partial"))
    unanswered = sum(r.status == "unanswered" for r in questions)
    base = residual_rating(tier, overall)
    rating = max(base, "high", key=RATINGS.index) if critical else base
    recommendation, reasons = recommend(tier, overall, base, rating, critical, findings, unanswered)
    return AuditResult(
        domains, overall, tier, rating, recommendation, reasons, critical, findings, unanswered
    )


def recommend(
    tier: int,
    overall: float | None,
    base: Rating,
    rating: Rating,
    critical: Sequence[QuestionResult],
    findings: Sequence[QuestionResult],
    unanswered: int,
) -> tuple[Recommendation, tuple[Message, ...]]:
    """The recommendation and every reason behind it, as messages for the catalogue."""
    shown = "-" if overall is None else f"{overall:.1f}"
    reasons = [Message.of("residual_risk", score=shown, tier=tier, rating=base)]
    for r in critical:
        reasons.append(Message.of("critical_control", question=r.question.text, cause=r.cause()))
    # Findings are failed or partial answers; their severity is the question's severity.
    serious = [f for f in findings if f.question.severity in (Severity.HIGH, Severity.CRITICAL)]
    if serious:
        failed = sum(f.status == "fail" for f in serious)
        reasons.append(
            Message.of(
                "serious_findings", count=len(serious), failed=failed, partial=len(serious) - failed
            )
        )
    if unanswered:
        reasons.append(Message.of("unanswered_questions", count=unanswered))
    if rating == "critical":
        reasons.append(Message.of("reject_critical_risk"))
        return "reject", tuple(reasons)
    if len(critical) >= REJECT_AT_CRITICAL_FAILURES:
        reasons.append(Message.of("reject_knockouts", count=len(critical)))
        return "reject", tuple(reasons)
    if critical or rating == "high" or serious:
        reasons.append(Message.of("approve_with_conditions"))
        return "approve_with_conditions", tuple(reasons)
    reasons.append(Message.of("approve"))
    return "approve", tuple(reasons)
