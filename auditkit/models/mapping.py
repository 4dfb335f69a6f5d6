"""A mapping from a standard questionnaire (CAIQ, HECVAT, VSAQ) onto auditkit questions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from auditkit.models.checklist import QUESTION_ID
from auditkit.models.common import Strict
from auditkit.models.refusals import refusal

Standard = Literal["vsaq", "caiq", "hecvat"]
STANDARDS: tuple[Standard, ...] = ("vsaq", "caiq", "hecvat")


def answer_key(text: str) -> str:
    """How a vendor's answer is compared: case, spaces and the N/A spelling do not matter."""
    key = " ".join(text.split()).casefold()
    return "na" if key in {"n/a", "n.a.", "not applicable"} else key


class MappingEntry(Strict):
    """Their question `source` proposes an answer to our question `target`.

    `answers` maps their answer (e.g. "Yes", "No", "NA", or VSAQ's "checked") to one of our
    choice values (or "n/a"); an answer not listed is reported as unmatched and proposes
    nothing. `text: true` copies their answer as it is (for text questions).
    """

    source: str = Field(min_length=1, max_length=100)
    target: str
    answers: dict[str, str] | None = None
    text: bool = False
    note: str | None = None

    @field_validator("target")
    @classmethod
    def _target_shape(cls, value: str) -> str:
        if not QUESTION_ID.match(value):
            raise refusal("mapping_target_shape")
        return value

    @field_validator("answers")
    @classmethod
    def _answer_keys(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        keys = [answer_key(k) for k in value]
        if len(set(keys)) != len(keys):
            raise refusal("mapping_answer_twice")
        return dict(zip(keys, value.values(), strict=True))

    @model_validator(mode="after")
    def _one_kind(self) -> MappingEntry:
        if self.text == bool(self.answers):
            raise refusal("mapping_one_kind")
        return self


class Mapping(Strict):
    standard: Standard
    title: str = Field(min_length=1)
    based_on: str = Field(min_length=1)  # the public question list the entries were built from
    entries: list[MappingEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_pairs(self) -> Mapping:
        seen: set[tuple[str, str]] = set()
        for index, entry in enumerate(self.entries):
            pair = (entry.source, entry.target)
            if pair in seen:
                raise refusal(
                    "mapping_repeated", index=index, source=entry.source, target=entry.target
                )
            seen.add(pair)
        return self

    def by_source(self) -> dict[str, list[MappingEntry]]:
        found: dict[str, list[MappingEntry]] = {}
        for entry in self.entries:
            found.setdefault(entry.source, []).append(entry)
        return found
