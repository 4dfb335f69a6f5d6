"""The universal checklist schema: one security domain per YAML file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from auditkit.models.common import Strict, Text
from auditkit.models.conditions import Condition
from auditkit.models.message import Message
from auditkit.models.refusals import refusal

ID_PART = r"[a-z][a-z0-9_]*"
CHECKLIST_ID = re.compile(rf"^{ID_PART}$")
QUESTION_ID = re.compile(rf"^{ID_PART}\.{ID_PART}$")
NA = "n/a"


class AnswerType(StrEnum):
    YES_NO = "yes_no"
    YES_NO_PARTIAL = "yes_no_partial"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    EVIDENCE = "evidence"


CHOICE_TYPES = {
    AnswerType.YES_NO,
    AnswerType.YES_NO_PARTIAL,
    AnswerType.SINGLE_CHOICE,
    AnswerType.MULTI_CHOICE,
}
BAND_TYPES = {AnswerType.NUMBER, AnswerType.DATE}
FIXED_CHOICES = {
    AnswerType.YES_NO: ["yes", "no"],
    AnswerType.YES_NO_PARTIAL: ["yes", "partial", "no"],
}


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


EvidenceKind = Literal[
    "soc2_report",
    "iso27001_certificate",
    "pci_aoc",
    "pentest_report",
    "insurance_certificate",
    "policy",
    "contract",
    "probe_result",
    "screenshot",
    "other",
]


class Choice(Strict):
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    label: Text
    score: float = Field(ge=0.0, le=1.0)


class Band(Strict):
    """A scoring band for numbers and dates (dates: bounds are the age in days)."""

    min: float | None = None
    max: float | None = None
    score: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _one_bound(self) -> Band:
        if self.min is not None and self.max is not None:
            raise refusal("band_two_bounds")
        return self

    def matches(self, value: float) -> bool:
        if self.max is not None:
            return value <= self.max
        if self.min is not None:
            return value >= self.min
        return True


class EvidenceRequirement(Strict):
    required: bool = True
    kinds: list[EvidenceKind] = Field(min_length=1)


class Examples(Strict):
    """Known-good (`pass`) and known-bad (`fail`) answers, checked by the test suite.

    Pass examples, and fail examples of non-evidence questions, are scored with the evidence
    the question requires attached; a fail example of an evidence question is scored without
    it (a document named but not provided). Unscored text questions take no fail example.
    """

    pass_: list[Any] = Field(alias="pass", min_length=1)
    fail: list[Any] = Field(default_factory=list)


class Question(Strict):
    id: str
    text: Text
    help: Text | None = None
    type: AnswerType
    choices: list[Choice] | None = None
    bands: list[Band] | None = None
    unit: Text | None = None
    pass_score: float = Field(default=1.0, gt=0.0, le=1.0)
    knockout_pass: float | None = Field(default=None, gt=0.0, le=1.0)
    weight: float = Field(ge=0.0, le=100.0)
    severity: Severity
    critical: bool = False
    allow_na: bool = False
    applies_if: Condition | None = None
    evidence: EvidenceRequirement | None = None
    remediation: Text
    references: dict[str, list[str]] = Field(min_length=1)
    examples: Examples | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not QUESTION_ID.match(value):
            raise refusal("question_id_shape")
        return value

    @model_validator(mode="after")
    def _type_rules(self) -> Question:
        if self.type in CHOICE_TYPES:
            self._check_choices()
        elif self.choices is not None:
            raise refusal("choices_not_allowed", type=self.type.value)
        if self.type in BAND_TYPES:
            self._check_bands()
        elif self.bands is not None:
            raise refusal("bands_not_allowed", type=self.type.value)
        if self.weight == 0 and self.type is not AnswerType.TEXT:
            raise refusal("weight_zero")
        if self.type is AnswerType.EVIDENCE and not (self.evidence and self.evidence.required):
            raise refusal("evidence_question_needs_evidence")
        if self.critical and self.severity is not Severity.CRITICAL:
            raise refusal("critical_needs_severity")
        if any(not ids for ids in self.references.values()):
            raise refusal("reference_needs_id")
        if self.knockout_pass is not None:
            if not self.critical:
                raise refusal("knockout_pass_not_critical")
            if self.knockout_pass > self.pass_score:
                raise refusal("knockout_pass_above")
        if self.examples is not None:
            self._check_examples(self.examples)
        return self

    @property
    def asks_future_date(self) -> bool:
        """A date question about an expiry: a band for negative ages (dates still ahead)."""
        return any(b.max is not None and b.max < 0 for b in self.bands or [])

    @property
    def knockout_score(self) -> float:
        """The lowest score that passes the knock-out of a critical question."""
        return self.pass_score if self.knockout_pass is None else self.knockout_pass

    def _check_examples(self, examples: Examples) -> None:
        if self.scored and not examples.fail:
            raise refusal("examples_need_fail")
        if not self.scored and examples.fail:
            raise refusal("examples_no_fail")
        for kind, values in (("pass", examples.pass_), ("fail", examples.fail)):
            for index, value in enumerate(values):
                problem = self.example_problem(value)
                if problem:
                    where = f"examples.{kind}[{index}]"
                    raise refusal("at", where=where, said=problem)

    def example_problem(self, value: Any) -> Message | None:
        """Why `value` is not a valid answer to this question, or None."""
        if self.type is AnswerType.MULTI_CHOICE:
            if not isinstance(value, list) or not value:
                return Message.of("example_not_list")
            unknown = [v for v in value if not isinstance(v, str) or self.choice(v) is None]
            return Message.of("unknown_choice", value=repr(unknown[0])) if unknown else None
        if self.type in CHOICE_TYPES:
            if isinstance(value, str) and self.choice(value):
                return None
            return Message.of("example_unknown_choice", value=repr(value))
        if self.type is AnswerType.NUMBER:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return None if ok else Message.of("example_not_number", value=repr(value))
        if self.type is AnswerType.DATE:
            ok = isinstance(value, dt.date)
            return None if ok else Message.of("example_not_date", value=repr(value))
        ok = isinstance(value, str) and bool(value.strip()) and value != NA
        return None if ok else Message.of("example_not_text", value=repr(value))

    def _check_choices(self) -> None:
        if not self.choices:
            raise refusal("type_needs_choices", type=self.type.value)
        values = [c.value for c in self.choices]
        if len(set(values)) != len(values):
            raise refusal("choices_not_unique")
        fixed = FIXED_CHOICES.get(self.type)
        if fixed is not None and sorted(values) != sorted(fixed):
            raise refusal("fixed_choices", type=self.type.value, choices=", ".join(fixed))

    def _check_bands(self) -> None:
        if not self.bands:
            raise refusal("type_needs_bands", type=self.type.value)
        last = self.bands[-1]
        if last.min is not None or last.max is not None:
            raise refusal("last_band_catch_all")
        if any(b.min is None and b.max is None for b in self.bands[:-1]):
            raise refusal("only_last_catch_all")
        if self.type is AnswerType.NUMBER and self.unit is None:
            raise refusal("number_needs_unit")

    @cached_property
    def scored(self) -> bool:  # cached: read for every answer while scoring
        return self.weight > 0 and self.type is not AnswerType.TEXT

    def applies_to(self, facts: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
        """Whether the question is asked, given the vendor profile and earlier answers."""
        return self.applies_if is None or self.applies_if.compiled(facts, answers)

    @cached_property
    def _choices_by_value(self) -> dict[str, Choice]:
        return {c.value: c for c in self.choices or []}

    def choice(self, value: str) -> Choice | None:
        return self._choices_by_value.get(value)

    def reference_list(self) -> list[str]:
        """References as 'framework:id' strings."""
        return [f"{fw}:{ref}" for fw, ids in self.references.items() for ref in ids]


class Checklist(Strict):
    id: str
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: Text
    description: Text | None = None
    applies_if: Condition | None = None
    weight: float = Field(default=1.0, gt=0.0, le=100.0)
    questions: list[Question] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not CHECKLIST_ID.match(value):
            raise refusal("checklist_id_shape")
        return value

    @model_validator(mode="after")
    def _questions_belong(self) -> Checklist:
        seen: set[str] = set()
        for index, question in enumerate(self.questions):
            prefix = question.id.split(".", 1)[0]
            if prefix != self.id:
                raise refusal(
                    "question_id_prefix", index=index, id=repr(question.id), prefix=self.id
                )
            if question.id in seen:
                raise refusal("question_id_duplicate", index=index, id=repr(question.id))
            if question.applies_if:
                self._check_answer_tests(index, question.applies_if, seen)
            seen.add(question.id)
        return self

    def _check_answer_tests(self, index: int, condition: Condition, seen: set[str]) -> None:
        for test in condition.answer_tests():
            if test.answer not in seen:
                raise refusal("applies_if_not_earlier", index=index, id=repr(test.answer))
            target = self.question(test.answer or "")
            values = [c.value for c in (target.choices if target else None) or []]
            for value in test.tested_values() if values else []:
                if value not in values:
                    raise refusal(
                        "applies_if_no_choice",
                        index=index,
                        id=str(test.answer),
                        value=repr(value),
                        expected=", ".join(values),
                    )

    def applies_to(self, facts: Mapping[str, Any]) -> bool:
        """Whether this checklist applies to a vendor with these profile facts."""
        return self.applies_if is None or self.applies_if.compiled(facts, {})

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)
