"""What the standard readers produce: template questions, and a vendor's answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from auditkit.models.message import Message

Kind = Literal["yes_no", "single", "multi", "text", "evidence"]


@dataclass(frozen=True)
class SourceChoice:
    source_id: str  # VSAQ choice id, or the answer text for workbook lists ("Yes")
    label: str
    warns: str | None = None  # severity of a VSAQ warning tip raised by this choice


@dataclass(frozen=True)
class SourceQuestion:
    source_id: str
    section: str  # key of the section (becomes a checklist)
    text: str
    kind: Kind
    choices: tuple[SourceChoice, ...] = ()
    allow_na: bool = False
    text_ja: str | None = None
    cond: str | None = None  # VSAQ condition expression, if any
    remediation: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    questions: list[SourceQuestion] = field(default_factory=list)
    cond: str | None = None


@dataclass(frozen=True)
class Template:
    standard: str
    sections: tuple[Section, ...]
    warnings: tuple[Message, ...] = ()


@dataclass(frozen=True)
class VendorAnswer:
    source_id: str
    answer: str | None
    notes: str | None
    where: Message  # sheet 'CAIQ' row 12, or key 'x'
