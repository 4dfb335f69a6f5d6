"""Small shared types."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditkit.errors import ValidationProblem
from auditkit.models.lang import LANGS, Lang
from auditkit.models.message import Message
from auditkit.models.refusals import dotted, said

__all__ = ["LANGS", "Lang", "Strict", "Text", "problems", "revise"]


class Strict(BaseModel):
    """Base for every model: unknown fields are refused, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A reader-facing text in English and Japanese."""

    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)

    def get(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


M = TypeVar("M", bound=BaseModel)


def revise(model: M, **update: Any) -> M:
    """A copy with some fields changed, validated like a new instance (`model_copy` is not);
    a ValidationProblem names each field that is wrong."""
    try:
        return type(model).model_validate({**dict(model), **update})
    except ValidationError as exc:
        raise ValidationProblem(problems(exc)) from None


def problems(exc: ValidationError) -> list[Message]:
    """One line per field: "comment: contains a NUL character (\\x00); remove it"."""
    return [Message.of("at", where=dotted(e["loc"]), said=said(e)) for e in exc.errors()]
