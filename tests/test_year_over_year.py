"""Year-over-year comparison across checklist versions (pure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditkit.scoring import score_audit
from auditkit.year_over_year import diff
from tests.builders import answer, checklist, question

DAY = dt.date(2026, 11, 1)
FACTS: dict[str, Any] = {"services": []}


def test_questions_added_or_dropped_by_a_new_version_are_listed_apart() -> None:
    v1 = checklist("d", [question("d.a"), question("d.old")])
    v2 = checklist("d", [question("d.a"), question("d.new")], version="2.0.0")
    old_answers = {"d.a": answer("d.a", "no"), "d.old": answer("d.old", "no")}
    new_answers = {"d.a": answer("d.a", "yes"), "d.new": answer("d.new", "no")}
    old = score_audit([v1], FACTS, old_answers, 2, DAY)
    new = score_audit([v2], FACTS, new_answers, 2, DAY)
    change = diff(old, new, old_answers, new_answers)
    assert [(c.question_id, c.old, c.new) for c in change.changed] == [("d.a", "no", "yes")]
    assert (change.only_old, change.only_new) == (("d.old",), ("d.new",))
    assert change.resolved == ("d.a",)  # d.old is gone, not resolved
    assert change.newly_failing == ("d.new",)
    assert [(d.checklist_id, d.old, d.new, d.change) for d in change.domains] == [
        ("d", 0.0, 50.0, 50.0)
    ]
