"""Report and question languages (kept free of pydantic so the CLI can import it cheaply)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = ("en", "ja")
