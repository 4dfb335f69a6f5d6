"""Small shared types."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from auditkit.models.lang import LANGS, Lang

__all__ = ["LANGS", "Lang", "Strict", "Text"]


class Strict(BaseModel):
    """Base for every model: unknown fields are refused, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A reader-facing text in English and Japanese."""

    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)

    def get(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en
