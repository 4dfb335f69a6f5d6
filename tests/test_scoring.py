"""Scoring rules, table-driven, plus property tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditkit import catalogue
from auditkit.models.message import Message
from auditkit.scoring import RATINGS, residual_rating, score_audit, score_question
from tests.builders import answer, checklist, evidence, question

DAY = dt.date(2026, 11, 1)
FACTS: dict[str, Any] = {
    "handles_card_data": False,
    "personal_data": "medium",
    "system_access": "none",
    "criticality": "high",
    "services": [],
}


def one(q: Any, value: Any, **fields: Any) -> Any:
    return score_question(q, "d", answer(q.id, value, **fields), True, DAY)


@pytest.mark.parametrize(
    ("value", "status", "score"),
    [
        ("yes", "pass", 1.0),
        ("partial", "partial", 0.5),
        ("no", "fail", 0.0),
        (None, "unanswered", 0.0),
    ],
)
def test_choice_answers_score_from_their_choice(value: Any, status: str, score: float) -> None:
    result = one(question("d.q", type="yes_no_partial"), value)
    assert (result.status, result.score) == (status, score)


def test_na_drops_out_only_where_allowed() -> None:
    assert one(question("d.q", allow_na=True), "n/a").status == "na"
    assert one(question("d.q", allow_na=True), "n/a").score is None


def test_pass_score_lets_a_good_choice_pass() -> None:
    q = question(
        "d.q",
        type="single_choice",
        pass_score=0.8,
        choices=[
            {"value": "best", "label": {"en": "Best", "ja": "最良"}, "score": 1.0},
            {"value": "good", "label": {"en": "Good", "ja": "良"}, "score": 0.8},
            {"value": "weak", "label": {"en": "Weak", "ja": "弱"}, "score": 0.3},
        ],
    )
    assert [one(q, v).status for v in ("best", "good", "weak")] == ["pass", "pass", "partial"]


def test_multi_choice_sums_and_caps_at_one() -> None:
    q = question(
        "d.q",
        type="multi_choice",
        choices=[
            {"value": "a", "label": {"en": "A", "ja": "A"}, "score": 0.6},
            {"value": "b", "label": {"en": "B", "ja": "B"}, "score": 0.6},
            {"value": "c", "label": {"en": "C", "ja": "C"}, "score": 0.2},
        ],
    )
    assert one(q, ["a", "b"]).score == 1.0
    assert one(q, ["c"]).score == pytest.approx(0.2)


@pytest.mark.parametrize(("hours", "score"), [(4, 1.0), (24, 1.0), (48, 0.5), (200, 0.0)])
def test_number_bands_first_match_wins(hours: float, score: float) -> None:
    q = question(
        "d.q",
        type="number",
        bands=[{"max": 24, "score": 1.0}, {"max": 72, "score": 0.5}, {"score": 0.0}],
    )
    assert one(q, float(hours)).score == score


@pytest.mark.parametrize(
    ("tested", "score"), [("2026-06-01", 1.0), ("2025-06-01", 0.5), ("2020-01-01", 0.0)]
)
def test_date_bands_use_age_in_days(tested: str, score: float) -> None:
    q = question(
        "d.q",
        type="date",
        bands=[{"max": 365, "score": 1.0}, {"max": 730, "score": 0.5}, {"score": 0.0}],
    )
    assert one(q, tested).score == score


def said(messages: Sequence[Message]) -> list[str]:
    """Messages in English words."""
    return [catalogue.load("en").render(m) for m in messages]


def test_missing_or_expired_evidence_caps_a_claim_at_half() -> None:
    q = question("d.q", evidence={"required": True, "kinds": ["policy"]})
    assert one(q, "yes").score == 0.5
    assert said(one(q, "yes").notes) == ["required evidence missing: capped at 0.5"]
    expired = one(q, "yes", evidence=[evidence(expires=dt.date(2026, 1, 1))])
    assert (expired.score, said(expired.notes)) == (0.5, ["evidence expired: capped at 0.5"])
    assert one(q, "yes", evidence=[evidence(expires=dt.date(2027, 1, 1))]).score == 1.0
    wrong = one(q, "yes", evidence=[evidence(kind="screenshot", expires=dt.date(2027, 1, 1))])
    assert (wrong.score, said(wrong.notes)) == (
        0.5,
        ["evidence of the wrong kind (expected policy): capped at 0.5"],
    )


def test_non_applicable_questions_drop_out() -> None:
    q = question("d.q")
    result = score_question(q, "d", None, False, DAY)
    assert (result.status, result.score) == ("skipped", None)


def _audit(values: dict[str, Any], tier: int = 2) -> Any:
    qs = [
        question("d.a", weight=3),
        question("d.b", weight=1),
        question("d.k", critical=True, severity="critical"),
    ]
    answers = {k: answer(k, v) for k, v in values.items()}
    return score_audit([checklist("d", qs)], FACTS, answers, tier, DAY)


def test_domain_score_is_the_weighted_mean() -> None:
    result = _audit({"d.a": "yes", "d.b": "no", "d.k": "yes"})
    assert result.domains[0].score == pytest.approx(100 * 4 / 5)
    assert result.overall == pytest.approx(80.0)


def test_failed_critical_control_forces_high_and_conditions() -> None:
    result = _audit({"d.a": "yes", "d.b": "yes", "d.k": "no"}, tier=3)
    assert result.overall == pytest.approx(80.0)
    assert residual_rating(3, result.overall) == "low"
    assert result.rating == "high"
    assert result.recommendation == "approve_with_conditions"
    title = result.critical_failures[0].question.text.en
    assert (
        f"critical control \u201c{title}\u201d: the answer fails the control; rating raised to at least high"
        in said(result.reasons)
    )


def test_two_failed_knockouts_reject() -> None:
    qs = [
        question("d.k1", critical=True, severity="critical"),
        question("d.k2", critical=True, severity="critical"),
        question("d.a", weight=10),
    ]
    answers = {
        "d.k1": answer("d.k1", "no"),
        "d.k2": answer("d.k2", "no"),
        "d.a": answer("d.a", "yes"),
    }
    result = score_audit([checklist("d", qs)], FACTS, answers, 3, DAY)
    assert result.recommendation == "reject"


def test_clean_audit_is_approved() -> None:
    result = _audit({"d.a": "yes", "d.b": "yes", "d.k": "yes"}, tier=1)
    assert (result.rating, result.recommendation) == ("low", "approve")
    assert result.findings == ()


def test_unanswered_are_flagged_and_score_zero() -> None:
    result = _audit({"d.a": "yes"})
    assert result.unanswered == 2
    assert "2 applicable question(s) unanswered (scored 0)" in said(result.reasons)


def test_conditional_checklist_drops_out_of_overall() -> None:
    pci = checklist(
        "pci", [question("pci.a")], applies_if={"profile": "handles_card_data", "equals": True}
    )
    base = checklist("d", [question("d.a")])
    result = score_audit([base, pci], FACTS, {"d.a": answer("d.a", "yes")}, 2, DAY)
    assert result.overall == 100.0
    assert result.domains[1].applicable is False


def test_follow_up_question_applies_by_earlier_answer() -> None:
    qs = [question("d.subs"), question("d.flow", applies_if={"answer": "d.subs", "equals": "yes"})]
    no = score_audit([checklist("d", qs)], FACTS, {"d.subs": answer("d.subs", "no")}, 2, DAY)
    assert no.domains[0].questions[1].status == "skipped"
    yes = score_audit([checklist("d", qs)], FACTS, {"d.subs": answer("d.subs", "yes")}, 2, DAY)
    assert yes.domains[0].questions[1].status == "unanswered"


# --- properties ---------------------------------------------------------------------------

CHOICES = ["yes", "partial", "no", None, "n/a"]
QS = [
    question(
        f"d.q{i}",
        type="yes_no_partial",
        weight=w,
        allow_na=True,
        critical=i == 0,
        severity="critical" if i == 0 else "medium",
    )
    for i, w in enumerate([1, 2, 3, 5])
]
ORDER = {"yes": 3, "partial": 2, "no": 1, None: 0}


def _score(values: list[Any], tier: int) -> Any:
    answers = {q.id: answer(q.id, v) for q, v in zip(QS, values, strict=True)}
    return score_audit([checklist("d", QS)], FACTS, answers, tier, DAY)


values_st = st.lists(st.sampled_from(CHOICES), min_size=4, max_size=4)


@settings(max_examples=200, deadline=None)
@given(values_st, st.sampled_from([1, 2, 3]))
def test_scores_stay_in_range_and_are_deterministic(values: list[Any], tier: int) -> None:
    first, second = _score(values, tier), _score(values, tier)
    assert first == second
    for domain in first.domains:
        assert domain.score is None or 0.0 <= domain.score <= 100.0
    assert first.overall is None or 0.0 <= first.overall <= 100.0


def _index_where(data: st.DataObject, values: list[Any], wanted: tuple[Any, ...]) -> int:
    """An index whose value is one of `wanted` (examples without one are discarded)."""
    candidates = [i for i, v in enumerate(values) if v in wanted]
    assume(candidates)
    return data.draw(st.sampled_from(candidates), label="index")


@settings(max_examples=200, deadline=None)
@given(values_st, st.sampled_from([1, 2, 3]), st.data())
def test_a_worse_answer_never_raises_the_score(
    values: list[Any], tier: int, data: st.DataObject
) -> None:
    index = _index_where(data, values, ("yes", "partial"))
    worse = list(values)
    worse[index] = "partial" if values[index] == "yes" else "no"
    before, after = _score(values, tier), _score(worse, tier)
    assert (after.overall or 0.0) <= (before.overall or 0.0) + 1e-9
    assert RATINGS.index(after.rating) >= RATINGS.index(before.rating)


@settings(max_examples=200, deadline=None)
@given(values_st, st.sampled_from([1, 2, 3]), st.data())
def test_na_never_lowers_a_score(values: list[Any], tier: int, data: st.DataObject) -> None:
    """Turning an unanswered or failed answer into N/A cannot make things look worse."""
    index = _index_where(data, values, ("no", None))
    na = list(values)
    na[index] = "n/a"
    before, after = _score(values, tier), _score(na, tier)
    assume(before.overall is not None and after.overall is not None)  # all N/A: nothing to score
    assert after.overall >= before.overall - 1e-9


@pytest.mark.parametrize(
    ("knockout_pass", "value", "status", "knockout"),
    [
        (None, "partial", "partial", True),  # without knockout_pass, partial fails the knock-out
        (0.5, "partial", "partial", False),  # a finding, but the knock-out passes
        (0.5, "no", "fail", True),
        (0.5, "yes", "pass", False),
    ],
)
def test_knockout_pass_decides_whether_partial_is_a_knockout(
    knockout_pass: float | None, value: str, status: str, knockout: bool
) -> None:
    fields: dict[str, Any] = {"type": "yes_no_partial", "severity": "critical", "critical": True}
    if knockout_pass is not None:
        fields["knockout_pass"] = knockout_pass
    q = question("c.q", **fields)
    result = score_audit([checklist("c", [q])], {}, {"c.q": answer("c.q", value)}, 2, DAY)
    [scored] = result.domains[0].questions
    assert scored.status == status
    assert bool(result.critical_failures) is knockout
