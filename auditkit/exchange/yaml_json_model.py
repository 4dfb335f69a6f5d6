"""The YAML/JSON exchange document: one pydantic model, published as a JSON Schema."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from auditkit.models.checklist import AnswerType
from auditkit.models.common import Lang, Strict

AnswerCell = bool | int | float | dt.date | str | list[str] | None


class ExchangeChoice(Strict):
    value: str = Field(description="What to put in `answer` (the label is also accepted).")
    label: str


class ExchangeQuestion(Strict):
    """One question. Only `answer`, `comment` and `evidence` are read back on import."""

    id: str = Field(description="Stable question id; must not be changed.")
    fingerprint: str | None = Field(
        default=None,
        description="Which question this entry was exported for; must not be changed or moved.",
    )
    checklist: str | None = None
    text: str | None = None
    help: str | None = None
    type: AnswerType | None = None
    choices: list[ExchangeChoice] | None = None
    allow_na: bool = False
    answer: AnswerCell = Field(
        default=None,
        description="Choice value (a list for multi_choice), number, date YYYY-MM-DD, text, "
        "or 'n/a' where allowed. Empty leaves the stored answer unchanged.",
    )
    comment: str | None = Field(default=None, description="Free text, up to 10,000 characters.")
    evidence: str | None = Field(
        default=None, description="Your reference to supporting evidence (document name, URL)."
    )


class ExchangeDocument(Strict):
    """A questionnaire for one audit, as sent to the vendor and returned filled."""

    format: Literal["auditkit-questionnaire/1"] = "auditkit-questionnaire/1"
    audit_id: int
    vendor: str
    lang: Lang = "en"
    checklists: dict[str, str] = Field(description="Checklist id -> version the file was made for.")
    questions: list[ExchangeQuestion]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the exchange document (for vendors' tools and editors)."""
    schema = ExchangeDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "auditkit questionnaire exchange document"
    return schema
