"""What goes into an exchange file: the applicable questions of one audit, in order."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditkit.assessment import AuditState
from auditkit.exchange import wording
from auditkit.models.audit import Answer
from auditkit.models.checklist import Checklist, Question
from auditkit.models.common import Lang
from auditkit.models.conditions import Condition


@dataclass(frozen=True)
class Item:
    """One question as exported: its number within its sheet and its current answer."""

    number: int
    checklist: Checklist
    question: Question
    condition: str | None  # "answer only if ..." in the chosen language
    answer: Answer | None


@dataclass(frozen=True)
class Questionnaire:
    audit_id: int
    vendor: str
    lang: Lang
    as_of_iso: str
    checklists: dict[str, str]  # checklist id -> version, for every exported checklist
    items: tuple[Item, ...]

    @property
    def ids(self) -> list[str]:
        return [item.question.id for item in self.items]

    @property
    def digest(self) -> str:
        return question_digest(self.ids)

    def sheets(self) -> list[tuple[Checklist, list[Item]]]:
        """Items grouped by checklist, in export order."""
        groups: dict[str, tuple[Checklist, list[Item]]] = {}
        for item in self.items:
            groups.setdefault(item.checklist.id, (item.checklist, []))[1].append(item)
        return list(groups.values())


def question_digest(ids: list[str]) -> str:
    """Fingerprint of the exported question ids, so edited or re-ordered ids are detected."""
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


def fingerprint(question: Question) -> str:
    """Which question a row was exported for: its id and a hash of its text (both languages).
    A row whose id was edited or swapped with another row's no longer matches."""
    text = f"{question.id}\n{question.text.en}\n{question.text.ja}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build(state: AuditState, lang: Lang = "en", blank: bool = False) -> Questionnaire:
    """The questions that apply to the audit's profile; answer-dependent follow-ups included."""
    facts = state.audit.profile
    items: list[Item] = []
    versions: dict[str, str] = {}
    for checklist in state.checklists:
        if not checklist.applies_to(facts):
            continue
        numbers: dict[str, int] = {}
        for question in checklist.questions:
            rule = _residual(question.applies_if, facts, numbers, checklist, lang)
            if rule is False:
                continue
            numbers[question.id] = len(numbers) + 1
            note = wording.only_if(rule, lang) if isinstance(rule, str) else None
            answer = None if blank else state.answers.get(question.id)
            items.append(Item(numbers[question.id], checklist, question, note, answer))
        if numbers:
            versions[checklist.id] = checklist.version
    return Questionnaire(
        state.audit.id,
        state.vendor.name,
        lang,
        state.audit.as_of.isoformat(),
        versions,
        tuple(items),
    )


def _residual(
    rule: Condition | None,
    facts: Mapping[str, Any],
    numbers: Mapping[str, int],
    checklist: Checklist,
    lang: Lang,
) -> bool | str:
    """Evaluate profile tests now; what depends on answers stays, described in words."""
    if rule is None:
        return True
    if rule.all is not None or rule.any is not None:
        is_all = rule.all is not None
        parts = [
            _residual(c, facts, numbers, checklist, lang) for c in (rule.all or rule.any or [])
        ]
        if (False in parts) if is_all else (True in parts):
            return not is_all
        words = [p for p in parts if isinstance(p, str)]
        if not words:
            return is_all
        joined = wording.join(words, "and" if is_all else "or", lang)
        return joined if len(words) == 1 else f"({joined})"
    if rule.not_ is not None:
        inner = _residual(rule.not_, facts, numbers, checklist, lang)
        return (not inner) if isinstance(inner, bool) else wording.negate(inner, lang)
    if rule.answer is None:
        return rule.evaluate(facts, {})
    if rule.answer not in numbers:
        return False  # the question it depends on is not in the file, so it is never answered
    source = checklist.question(rule.answer)
    wanted = rule.equals if rule.equals is not None else rule.contains
    options = [wanted] if wanted is not None else list(rule.in_ or [])
    shown = [_label(source, value, lang) for value in options]
    return wording.answer_test(numbers[rule.answer], rule.answer, shown, lang)


def _label(question: Question | None, value: object, lang: Lang) -> str:
    if isinstance(value, bool):
        value = "yes" if value else "no"
    choice = question.choice(str(value)) if question is not None and question.choices else None
    return choice.label.get(lang) if choice is not None else str(value)
