"""The label catalogue: both languages complete, every message scoring emits rendered, no prose
in Python."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path
from typing import Any

import pytest

from auditkit import catalogue
from auditkit.catalogue import load
from auditkit.models.message import Message
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


def _explanations(values: dict[str, Any], tier: int) -> list[Message]:
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
    notes = [n for d in result.domains for r in d.questions for n in r.notes]
    return notes + list(result.reasons)


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
def test_every_reason_and_note_has_a_template_in_both_languages(
    values: dict[str, Any], tier: int
) -> None:
    messages = _explanations(values, tier)
    assert messages
    codes = set().union(*(m.codes() for m in messages))
    for lang in ("en", "ja"):
        words = load(lang)
        assert sorted(codes - set(words.tables["messages"])) == [], lang
        for message in messages:
            shown = words.render(message)
            assert "{" not in shown and "Message(" not in shown, shown


def test_tables_have_the_same_keys_and_fields_in_every_language() -> None:
    en, ja = load("en"), load("ja")
    for table in catalogue.TABLES:
        assert set(en.tables[table]) == set(ja.tables[table]), table
        for key, text in en.tables[table].items():
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            other = {f for _, f, _, _ in string.Formatter().parse(ja.tables[table][key]) if f}
            assert fields == other, f"{table}.{key}"


def test_a_critical_reason_names_the_question_and_the_cause() -> None:
    proof = {"required": True, "kinds": ["policy"]}
    qs = [
        question("d.k1", critical=True, severity="critical", evidence=proof),
        question("d.k2", critical=True, severity="critical", type="yes_no_partial"),
        question("d.k3", critical=True, severity="critical"),
    ]
    answers = {"d.k1": answer("d.k1", "yes"), "d.k2": answer("d.k2", "partial")}
    result = score_audit([checklist("d", qs)], FACTS, answers, 2, DAY)
    en, ja = load("en"), load("ja")
    shown = [en.render(r) for r in result.reasons if r.code == "critical_control"]
    title = {q.id: q.text.en for q in qs}
    assert shown == [
        f"critical control \u201c{title['d.k1']}\u201d: required evidence missing; "
        "rating raised to at least high",
        f"critical control \u201c{title['d.k2']}\u201d: answered partially; "
        "rating raised to at least high",
        f"critical control \u201c{title['d.k3']}\u201d: unanswered; rating raised to at least high",
    ]
    japanese = [ja.render(r) for r in result.reasons if r.code == "critical_control"]
    assert "必要な証跡がない" in japanese[0] and "一部のみ適合" in japanese[1]


def test_the_serious_findings_count_says_how_many_are_partial() -> None:
    qs = [
        question("d.a", severity="high", type="yes_no_partial"),
        question("d.b", severity="critical"),
        question("d.c", severity="low"),
    ]
    answers = {k: answer(k, v) for k, v in {"d.a": "partial", "d.b": "no", "d.c": "no"}.items()}
    result = score_audit([checklist("d", qs)], FACTS, answers, 2, DAY)
    [serious] = [r for r in result.reasons if r.code == "serious_findings"]
    assert (
        load("en")
        .render(serious)
        .startswith(
            "2 finding(s) on high- or critical-severity controls (1 failed, 1 partially met)"
        )
    )


CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def test_no_japanese_text_in_python() -> None:
    package = Path(catalogue.__file__).parent
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CJK.search(line)
    ]
    assert found == []


def test_an_organisation_overrides_single_labels(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "en.yaml").write_text("ratings:\n  high: Elevated\n", encoding="utf-8")
    words = load("en", tmp_path)
    assert words.get("ratings", "high") == "Elevated"
    assert words.get("ratings", "low") == "Low"  # the rest still comes from the shipped file


def test_a_stored_result_reads_back_the_same_messages_and_older_plain_text() -> None:
    from auditkit.records import result_from_record, result_record

    proof = {"required": True, "kinds": ["policy"]}
    qs = [question("d.k1", critical=True, severity="critical", evidence=proof)]
    lists = [checklist("d", qs)]
    result = score_audit(lists, FACTS, {"d.k1": answer("d.k1", "yes")}, 2, DAY)
    stored = result_record(result)
    again = result_from_record(stored, lists)
    assert [r.as_dict() for r in again.reasons] == [r.as_dict() for r in result.reasons]
    notes = [q.questions[0].notes for q in (again.domains[0], result.domains[0])]
    assert [[n.as_dict() for n in x] for x in notes] == [[n.as_dict() for n in notes[1]]] * 2
    en, ja = load("en"), load("ja")
    assert [ja.render(r) for r in again.reasons] == [ja.render(r) for r in result.reasons]
    # A record written before reasons were data holds English sentences: shown as written.
    stored["reasons"] = ["overall score 40.0 gives residual risk high"]
    older = result_from_record(stored, lists)
    assert [en.render(r) for r in older.reasons] == [stored["reasons"][0]]
    assert [ja.render(r) for r in older.reasons] == [stored["reasons"][0]]
