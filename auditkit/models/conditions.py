"""`applies_if` conditions on the vendor profile or on earlier answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, get_args

from pydantic import Field, model_validator

from auditkit.models.common import Strict
from auditkit.models.meti import METI_LEVELS
from auditkit.models.refusals import refusal
from auditkit.models.vendor import Level, PersonalData, Service, SystemAccess

Scalar = str | int | float | bool

PROFILE_VALUES: dict[str, tuple[Scalar, ...]] = {
    "handles_card_data": (True, False),
    "personal_data": get_args(PersonalData),
    "system_access": get_args(SystemAccess),
    "criticality": get_args(Level),
    "services": tuple(s.value for s in Service),
    "meti_level": METI_LEVELS,  # derived: VendorProfile.meti_level
}
PROFILE_FIELDS = tuple(PROFILE_VALUES)


class Condition(Strict):
    """Exactly one of: a profile test, an answer test, or all/any/not of conditions."""

    profile: str | None = None
    answer: str | None = None
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    contains: Scalar | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [
            name
            for name in ("profile", "answer", "all", "any", "not_")
            if getattr(self, name) is not None
        ]
        if len(forms) != 1:
            raise refusal("condition_one_form")
        tests = [n for n in ("equals", "in_", "contains") if getattr(self, n) is not None]
        if forms[0] in ("profile", "answer"):
            if len(tests) != 1:
                raise refusal("condition_one_test")
            if self.profile is not None:
                self._check_values(self.profile, PROFILE_VALUES.get(self.profile))
        elif tests:
            raise refusal("condition_test_alone")
        return self

    def tested_values(self) -> list[Scalar]:
        """The values this test compares with (equals, in or contains)."""
        if self.equals is not None:
            return [self.equals]
        if self.contains is not None:
            return [self.contains]
        return list(self.in_ or [])

    def _check_values(self, name: str, allowed: tuple[Scalar, ...] | None) -> None:
        if allowed is None:
            raise refusal("unknown_profile_field", name=repr(name), known=", ".join(PROFILE_VALUES))
        for value in self.tested_values():
            if value not in allowed or type(value) is not type(allowed[0]):
                shown = ", ".join(
                    str(a).lower() if isinstance(a, bool) else str(a) for a in allowed
                )
                raise refusal("profile_never", name=name, value=repr(value), expected=shown)

    def answer_tests(self) -> list[Condition]:
        """Every `answer:` test inside this condition."""
        found = [self] if self.answer else []
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found.extend(sub.answer_tests())
        return found

    def answer_ids(self) -> list[str]:
        """Question ids this condition reads."""
        ids = [self.answer] if self.answer else []
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            ids.extend(sub.answer_ids())
        return ids

    def evaluate(self, profile: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
        """True when the condition holds. An unanswered question satisfies no test."""
        return self.compiled(profile, answers)

    @cached_property
    def compiled(self) -> Callable[[Mapping[str, Any], Mapping[str, Any]], bool]:
        """The condition as one closure, built once: scoring evaluates it for every audit."""
        if self.all is not None:
            parts = [c.compiled for c in self.all]
            return lambda p, a: all(f(p, a) for f in parts)
        if self.any is not None:
            parts = [c.compiled for c in self.any]
            return lambda p, a: any(f(p, a) for f in parts)
        if self.not_ is not None:
            inner = self.not_.compiled
            return lambda p, a: not inner(p, a)
        test = self._test
        if self.profile is not None:
            key = self.profile
            return lambda p, a: (v := p.get(key)) is not None and test(v)
        key = self.answer or ""
        return lambda p, a: (v := a.get(key)) is not None and test(v)

    def _test(self, value: Any) -> bool:
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        if self.contains is not None:
            return self.contains in values
        if self.equals is not None:
            return value == self.equals or (isinstance(value, list) and self.equals in value)
        return any(v in (self.in_ or []) for v in values)
