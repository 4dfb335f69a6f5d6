"""Every shipped question's example answers: the good ones pass, the bad ones fail, and the
knock-out of a critical question triggers exactly below its knockout score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from auditkit.checklists import load_directories
from auditkit.models.audit import Answer, Evidence
from auditkit.models.checklist import AnswerType, Question
from auditkit.scoring import score_question

# Date examples are written for this day (the demo data set's audit date).
DAY = dt.date(2026, 11, 1)
QUESTIONS = [q for c in load_directories().values() for q in c.questions]
CASES = [
    pytest.param(q, kind, value, id=f"{q.id}-{kind}{n}")
    for q in QUESTIONS
    for kind in ("pass", "fail")
    for n, value in enumerate(getattr(q.examples, "pass_" if kind == "pass" else "fail", []))
]


def _answer(question: Question, kind: str, value: Any) -> Answer:
    """The example as stored: dates as ISO text, with the evidence the question requires
    (except for a failing evidence example, which names a document it does not provide)."""
    stored = value.isoformat() if isinstance(value, dt.date) else value
    requirement = question.evidence
    attach = requirement is not None and not (
        question.type is AnswerType.EVIDENCE and kind == "fail"
    )
    evidence = (
        [Evidence(sha256="e" * 64, name="evidence.pdf", kind=requirement.kinds[0])]
        if attach and requirement
        else []
    )
    return Answer(question_id=question.id, value=stored, evidence=evidence)


@pytest.mark.parametrize(("question", "kind", "value"), CASES)
def test_example_answer_scores_as_labelled(question: Question, kind: str, value: Any) -> None:
    result = score_question(question, "x", _answer(question, kind, value), True, DAY)
    if not question.scored:
        assert result.status == "info"
    elif kind == "pass":
        assert result.status == "pass", result
        assert not result.failed_critical
    else:
        assert result.status in ("fail", "partial"), result
        assert result.score is not None
        if question.critical:
            assert result.failed_critical == (result.score < question.knockout_score), result


def test_every_question_has_good_and_bad_examples() -> None:
    assert len(QUESTIONS) >= 200
    for question in QUESTIONS:
        assert question.examples is not None, question.id
        assert question.examples.pass_, question.id
        assert question.examples.fail or not question.scored, question.id


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.critical], ids=lambda q: q.id)
def test_a_bad_answer_to_a_critical_question_is_a_knockout(question: Question) -> None:
    assert question.examples is not None
    results = [
        score_question(question, "x", _answer(question, "fail", v), True, DAY)
        for v in question.examples.fail
    ]
    assert any(r.failed_critical for r in results), question.id
    assert question.help is not None and "ノックアウト" in question.help.ja, question.id
    assert "Knock-out" in question.help.en, question.id


def test_partial_on_a_critical_question_passes_the_knockout_only_where_it_says_so() -> None:
    lenient = {q.id for q in QUESTIONS if q.critical and q.knockout_pass is not None}
    assert lenient >= {
        "access_control.mfa_admin",
        "access_control.leaver_hours",
        "nda.subcontracting",
        "redundancy.backups",
        "ec_security.admin_access_restriction",
    }
    strict = next(q for q in QUESTIONS if q.id == "nda.return_and_deletion")
    result = score_question(strict, "nda", _answer(strict, "fail", "partial"), True, DAY)
    assert result.status == "partial" and result.failed_critical
