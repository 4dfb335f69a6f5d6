"""Every explanation scoring can produce has a Japanese rendering in the report labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from auditkit.report.labels import load
from auditkit.scoring import score_audit
from tests.builders import answer, checklist, evidence, question

DAY = dt.date(2026, 11, 1)
FACTS: dict[str, Any] = {
    "handles_card_data": False,
    "personal_data": "low",
    "system_access": "none",
    "criticality": "low",
    "services": [],
}


def _explanations(values: dict[str, Any], tier: int) -> set[str]:
    proof = {"required": True, "kinds": ["policy"]}
    qs = [
        question("d.k1", critical=True, severity="critical"),
        question("d.k2", critical=True, severity="critical"),
        question("d.ev", evidence=proof),
        question("d.old", evidence=proof),
        question("d.na", allow_na=True),
        question("d.when", type="date", bands=[{"max": 365, "score": 1.0}, {"score": 0.0}]),
        question("d.skip", applies_if={"profile": "handles_card_data", "equals": True}),
        question("d.gone"),
    ]
    answers = {k: answer(k, v) for k, v in values.items()}
    answers["d.old"] = answer("d.old", "yes", evidence=[evidence(expires=dt.date(2026, 1, 1))])
    answers["d.ev"] = answer("d.ev", values.get("d.ev"), evidence=[evidence(kind="screenshot")])
    result = score_audit([checklist("d", qs)], FACTS, answers, tier, DAY)
    notes = {n for d in result.domains for r in d.questions for n in r.notes}
    return notes | set(result.reasons)


CASES = [
    ({"d.k1": "no", "d.k2": "no", "d.ev": "yes", "d.na": "n/a", "d.when": "2026-01-01"}, 1),
    ({"d.k1": "yes", "d.k2": "no", "d.ev": "yes", "d.na": "yes", "d.when": "2020-01-01"}, 3),
    (
        {
            "d.k1": "yes",
            "d.k2": "yes",
            "d.ev": "yes",
            "d.na": "yes",
            "d.when": "2026-10-01",
            "d.gone": "yes",
        },
        3,
    ),
    ({}, 2),
]


@pytest.mark.parametrize(("values", "tier"), CASES)
def test_every_reason_and_note_has_a_japanese_phrase(values: dict[str, Any], tier: int) -> None:
    ja = load("ja")
    texts = _explanations(values, tier)
    assert texts
    untranslated = sorted(t for t in texts if ja.phrase(t) == t)
    assert untranslated == []
