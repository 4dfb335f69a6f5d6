"""What a reader hands to the importer: the file's metadata and one row per question."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from auditkit.errors import ValidationProblem
from auditkit.models.common import LANGS, Lang
from auditkit.models.message import Message


@dataclass(frozen=True)
class Meta:
    format: str
    audit_id: int
    checklists: dict[str, str]
    lang: Lang = "en"
    digest: str | None = None  # XLSX only: fingerprint of the exported question ids


@dataclass(frozen=True)
class Row:
    """The cells of one question as read, before validation. `where` locates it in the file."""

    where: Message
    question_id: str | None
    answer: Any = None
    comment: str | None = None
    evidence: str | None = None
    fingerprint: str | None = None  # of the question the row was exported for
    problems: tuple[Message, ...] = field(default=())  # what is wrong, found while reading


@dataclass(frozen=True)
class Content:
    source: str
    meta: Meta
    rows: tuple[Row, ...]


def meta_from_strings(source: str, values: dict[str, str]) -> Meta:
    """Metadata from the hidden _meta sheet; any damage there is one clear problem."""
    try:
        checklists = json.loads(values["checklists"])
        lang = values.get("lang", "en")
        if not isinstance(checklists, dict) or lang not in LANGS:
            raise ValueError("checklists or lang")
        return Meta(
            format=values["format"],
            audit_id=int(values["audit_id"]),
            checklists={str(k): str(v) for k, v in checklists.items()},
            lang="ja" if lang == "ja" else "en",
            digest=values["question_digest"],
        )
    except (KeyError, ValueError, TypeError):
        raise ValidationProblem([Message.of("meta_damaged", path=source)]) from None


def as_text(value: Any) -> str | None:
    """A comment or evidence cell as text, whatever type the spreadsheet gave it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
