"""A standard questionnaire template as auditkit checklists (one per section) and the
mapping that imports a filled copy of it back onto them.

Japanese: the sources are English. A question's `ja` text is taken from a Japanese column
when the workbook has one (`question_ja`); otherwise the English text is copied with the
Japanese "not translated" marker (catalogue table `standards`) in front, so the checklist stays
valid under the bilingual schema and a Japanese reader sees at once which texts still need
translating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from auditkit import catalogue
from auditkit.exchange.standards.conditions import Inexpressible, Names, translate
from auditkit.exchange.standards.items import Section, SourceQuestion, Template
from auditkit.exchange.standards.vsaq import choice_names
from auditkit.models.checklist import NA
from auditkit.models.message import Message

UNTRANSLATED = catalogue.load("ja").text("standards", "untranslated")
SEVERITIES = ("low", "medium", "high", "critical")
_NOT_ID = re.compile(r"[^a-z0-9]+")
_WORDS = {w: catalogue.load("ja").get("answer_words", w).split("|")[0] for w in ("yes", "no")}


@dataclass(frozen=True)
class Converted:
    checklists: dict[str, dict[str, Any]]  # checklist id -> checklist document
    mapping: dict[str, Any]
    warnings: tuple[Message, ...]


def slug(text: str, fallback: str = "q") -> str:
    word = _NOT_ID.sub("_", text.casefold()).strip("_")
    if not word or not word[0].isalpha():
        word = f"{fallback}_{word}".rstrip("_")
    return word[:60].rstrip("_")


def bilingual(english: str, japanese: str | None = None) -> dict[str, str]:
    return {"en": english, "ja": japanese or UNTRANSLATED + english}


def convert(template: Template, prefix: str) -> Converted:
    builder = _Builder(template.standard, list(template.warnings))
    checklists: dict[str, dict[str, Any]] = {}
    for section in template.sections:
        key = section.key.removeprefix("block_")
        checklist_id = builder.unique(slug(f"{prefix}_{key}", prefix), checklists)
        checklists[checklist_id] = builder.checklist(checklist_id, section)
    mapping = {
        "standard": template.standard,
        "title": f"{template.standard.upper()} template converted by auditkit",
        "based_on": "the template file given to 'auditkit checklist convert'",
        "entries": builder.entries,
    }
    return Converted(checklists, mapping, tuple(builder.warnings))


class _Builder:
    def __init__(self, standard: str, warnings: list[Message]) -> None:
        self.standard = standard
        self.warnings = warnings
        self.entries: list[dict[str, Any]] = []

    @staticmethod
    def unique(name: str, taken: dict[str, Any] | set[str]) -> str:
        candidate, number = name, 2
        while candidate in taken:
            candidate, number = f"{name}_{number}", number + 1
        return candidate

    def checklist(self, checklist_id: str, section: Section) -> dict[str, Any]:
        if section.cond:
            self.warnings.append(
                Message.of(
                    "convert_section_condition",
                    section=repr(section.title),
                    cond=repr(section.cond),
                )
            )
        names: dict[str, tuple[str, str, bool]] = {}
        taken: set[str] = set()
        questions = []
        for source in section.questions:
            qid = f"{checklist_id}.{self.unique(slug(source.source_id), taken)}"
            taken.add(qid.split(".", 1)[1])
            values = self.values(source)
            questions.append(self.question(qid, source, values, names))
            self.map(qid, source, values)
            multi = source.kind == "multi"
            for name, index in choice_names(source).items():
                names[name] = (qid, values[index], multi)
        return {
            "id": checklist_id,
            "version": "1.0.0",
            "title": bilingual(section.title),
            "questions": questions,
        }

    @staticmethod
    def values(source: SourceQuestion) -> list[str]:
        """Our choice values: yes/no, or the source choice ids without their shared start."""
        if source.kind == "yes_no":
            return ["yes", "no"]
        found: list[str] = []
        stem = f"{source.source_id}_"
        for choice in source.choices:
            raw = choice.source_id.removeprefix(stem) if choice.source_id != stem else ""
            value = slug(raw or choice.source_id, "c")
            found.append(_Builder.unique(value, set(found)))
        return found

    def question(
        self, qid: str, source: SourceQuestion, values: list[str], names: Names
    ) -> dict[str, Any]:
        doc: dict[str, Any] = {"id": qid, "text": bilingual(source.text, source.text_ja)}
        warned = [c.warns for c in source.choices if c.warns in SEVERITIES]
        severity = max(warned, key=SEVERITIES.index) if warned else "medium"
        if source.kind in ("yes_no", "single", "multi"):
            doc["type"] = {"yes_no": "yes_no", "single": "single_choice"}.get(
                source.kind, "multi_choice"
            )
            doc["choices"] = [
                {
                    "value": value,
                    "label": bilingual(
                        choice.label, _WORDS.get(value) if value == slug(choice.label) else None
                    ),
                    "score": _score(source, choice.warns, value),
                }
                for value, choice in zip(values, source.choices, strict=True)
            ]
            doc["weight"] = 1
        elif source.kind == "evidence":
            doc.update(type="evidence", weight=1, evidence={"required": True, "kinds": ["other"]})
        else:
            doc.update(type="text", weight=0)
            severity = "low"
        doc["severity"] = severity
        if source.allow_na:
            doc["allow_na"] = True
        if source.cond:
            self.condition(doc, source, names)
        doc["remediation"] = _remediation(source)
        doc["references"] = {self.standard: [source.source_id]}
        return doc

    def condition(self, doc: dict[str, Any], source: SourceQuestion, names: Names) -> None:
        try:
            doc["applies_if"] = translate(source.cond or "", names)
        except Inexpressible as exc:
            self.warnings.append(
                Message.of(
                    "convert_condition_kept_out",
                    id=source.source_id,
                    cond=repr(source.cond),
                    why=exc.said,
                )
            )

    def map(self, qid: str, source: SourceQuestion, values: list[str]) -> None:
        if source.kind == "text":
            self.entries.append({"source": source.source_id, "target": qid, "text": True})
        elif source.kind == "evidence":
            self.warnings.append(Message.of("convert_no_uploads", id=source.source_id))
        elif self.standard == "vsaq" and source.kind in ("single", "multi"):
            for value, choice in zip(values, source.choices, strict=True):
                entry = {"source": choice.source_id, "target": qid, "answers": {"checked": value}}
                self.entries.append(entry)
        else:
            answers = {c.source_id: v for c, v in zip(source.choices, values, strict=True)}
            if self.standard == "vsaq":
                answers = {"yes": "yes", "no": "no", "checked": "yes"}
            if source.allow_na:
                answers["NA"] = NA
            self.entries.append({"source": source.source_id, "target": qid, "answers": answers})


def _remediation(source: SourceQuestion) -> dict[str, str]:
    if source.remediation:
        return bilingual(source.remediation)
    sid = source.source_id
    return bilingual(
        catalogue.load("en").text("standards", "remediation", source=sid),
        catalogue.load("ja").text("standards", "remediation", source=sid),
    )


def _score(source: SourceQuestion, warns: str | None, value: str) -> float:
    """A choice that raises a VSAQ warning scores 0; yes/no questions score yes 1, no 0 (other
    choices beside yes and no: 0.5); otherwise every choice scores 1 (the source says nothing
    about which is better)."""
    if any(c.warns for c in source.choices):
        return 0.0 if warns else 1.0
    if source.kind == "yes_no":
        return 1.0 if value == "yes" else 0.0
    if source.kind == "single" and {"yes", "no"} <= {slug(c.source_id) for c in source.choices}:
        return {"yes": 1.0, "no": 0.0}.get(value, 0.5)  # e.g. a Yes/No/Partial dropdown
    return 1.0
