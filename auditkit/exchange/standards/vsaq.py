"""VSAQ (google/vsaq) questionnaire templates and answer files.

A template is JSON with `//` comment lines and `"a" + "b"` string concatenation (as the
published `questionnaires/*.json` use): a `questionnaire` list of `block` items holding
`radiogroup`, `checkgroup`, `yesno`, `check`, `line`, `box`, `upload`, `tip`, `info` and
`spacer` items, any of them with a `cond` expression. An answer file is the flat JSON object
VSAQ exports: item or choice id -> "checked", "yes"/"no" or the typed text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from auditkit.errors import ValidationProblem
from auditkit.exchange.safety import MAX_TEXT_FILE_BYTES, load_json, read_regular
from auditkit.exchange.standards.items import (
    Kind,
    Section,
    SourceChoice,
    SourceQuestion,
    Template,
    VendorAnswer,
)
from auditkit.models.message import Message

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_PLUS = re.compile(r"\s*\+\s*")
_TAG = re.compile(r"<[^>]*>")
KINDS: dict[str, Kind] = {
    "radiogroup": "single",
    "checkgroup": "multi",
    "yesno": "yes_no",
    "check": "yes_no",
    "line": "text",
    "box": "text",
    "upload": "evidence",
}
SILENT = {"info", "spacer"}


def read_text(path: Path) -> str:
    """A regular UTF-8 text file within the text-file size limit."""
    data = read_regular(path, MAX_TEXT_FILE_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        said = Message.of("not_utf8_at", path=str(path), byte=exc.start)
        raise ValidationProblem([said]) from None


def plain_json(text: str) -> str:
    """VSAQ's JavaScript-flavoured JSON as plain JSON: comment lines dropped, `+` joins done."""
    lines = ["" if line.lstrip().startswith("//") else line for line in text.split("\n")]
    text = "\n".join(lines)
    out: list[str] = []
    last = 0
    joinable = False
    for match in _STRING.finditer(text):
        gap = text[last : match.start()]
        if joinable and _PLUS.fullmatch(gap):
            out[-1] = out[-1][:-1] + match.group()[1:]
        else:
            out += [gap, match.group()]
        last, joinable = match.end(), True
    out.append(text[last:])
    return "".join(out)


def load(path: Path) -> Any:
    return load_json(plain_json(read_text(path)), str(path))


def clean(text: object) -> str:
    """HTML in VSAQ texts reduced to plain text."""
    return " ".join(html.unescape(_TAG.sub("", str(text or ""))).split())


def read_template(path: Path) -> Template:
    data = load(path)
    items = data.get("questionnaire") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValidationProblem([Message.of("vsaq_shape", path=str(path))])
    reader = _TemplateReader(str(path))
    reader.read_top(items)
    if reader.problems:
        raise ValidationProblem(reader.problems)
    sections = tuple(s for s in reader.sections if s.questions)
    if not sections:
        raise ValidationProblem([Message.of("vsaq_no_questions", path=str(path))])
    return Template("vsaq", sections, tuple(reader.warnings))


class _TemplateReader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.sections: list[Section] = []
        self.problems: list[Message] = []
        self.warnings: list[Message] = []
        self.choice_owner: dict[str, tuple[Section, int, int]] = {}

    def read_top(self, items: list[Any]) -> None:
        """The single title block is unwrapped; its child blocks become the sections."""
        where = "questionnaire"
        if len(items) == 1 and _holds_blocks(items[0]):
            items, where = items[0].get("items") or [], "questionnaire[0].items"
        loose = Section("general", "General")
        for index, item in enumerate(items):
            path = f"{where}[{index}]"
            if isinstance(item, dict) and item.get("type") == "block":
                title = clean(item.get("text")) or f"Section {len(self.sections) + 1}"
                key = str(item.get("id") or title)
                section = Section(key, title, cond=_cond(item))
                self.sections.append(section)
                self.walk(section, item.get("items") or [], f"{path}.items", None)
            else:
                self.walk(loose, [item], where, None, start=index)
        if loose.questions:
            self.sections.insert(0, loose)

    def _at(self, where: str, said: Message) -> Message:
        return Message.of("in_file_at", path=self.source, where=where, said=said)

    def walk(
        self, section: Section, items: Any, where: str, cond: str | None, start: int = 0
    ) -> None:
        if not isinstance(items, list):
            self.problems.append(self._at(where, Message.of("vsaq_not_list")))
            return
        for index, item in enumerate(items, start):
            path = f"{where}[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("type"), str):
                self.problems.append(self._at(path, Message.of("vsaq_no_type")))
                continue
            kind = item["type"]
            if kind == "block":
                self.walk(section, item.get("items") or [], f"{path}.items", _both(cond, item))
            elif kind == "tip":
                self.tip(item)
            elif kind in KINDS:
                self.question(section, item, path, KINDS[kind], _both(cond, item))
            elif kind not in SILENT:
                self.warnings.append(self._at(path, Message.of("vsaq_skipped", kind=repr(kind))))

    def question(
        self, section: Section, item: dict[str, Any], path: str, kind: Kind, cond: str | None
    ) -> None:
        choices = self.choices(item, path) if kind in ("single", "multi") else ()
        if kind == "yes_no":
            choices = (
                SourceChoice("yes", clean(item.get("yes")) or "Yes"),
                SourceChoice("no", clean(item.get("no")) or "No"),
            )
        source_id = item.get("id") or _common_prefix([c.source_id for c in choices])
        if not source_id and kind in ("single", "multi") and choices:
            source_id = f"{choices[0].source_id}_group"  # a group without id or shared prefix
        if not isinstance(source_id, str) or not source_id:
            self.problems.append(self._at(path, Message.of("vsaq_no_id")))
            return
        if kind in ("single", "multi") and not choices:
            where = f"{path} ({source_id})"
            self.problems.append(self._at(where, Message.of("vsaq_no_choices")))
            return
        text = clean(item.get("text")) or "; ".join(c.label for c in choices)[:300] or source_id
        section.questions.append(
            SourceQuestion(source_id, section.key, text, kind, choices, cond=cond)
        )
        for name, number in choice_names(section.questions[-1]).items():
            self.choice_owner[name] = (section, len(section.questions) - 1, number)

    def choices(self, item: dict[str, Any], path: str) -> tuple[SourceChoice, ...]:
        found = []
        for index, choice in enumerate(item.get("choices") or []):
            if not (isinstance(choice, dict) and len(choice) == 1):
                where = f"{path}.choices[{index}]"
                self.problems.append(self._at(where, Message.of("vsaq_choice_shape")))
                continue
            ((choice_id, label),) = choice.items()
            found.append(SourceChoice(str(choice_id), clean(label) or str(choice_id)))
        return tuple(found)

    def tip(self, item: dict[str, Any]) -> None:
        """A warning tip shown when one choice is picked makes that choice score 0."""
        target = str(item.get("cond") or "").strip()
        if item.get("warn") != "yes" or target not in self.choice_owner:
            return
        section, number, choice_index = self.choice_owner[target]
        question = section.questions[number]
        severity = str(item.get("severity") or "medium")
        choices = list(question.choices)
        old = choices[choice_index]
        choices[choice_index] = SourceChoice(old.source_id, old.label, severity)
        remediation = clean(item.get("text")) or None
        section.questions[number] = SourceQuestion(
            **{**question.__dict__, "choices": tuple(choices), "remediation": remediation}
        )


def choice_names(question: SourceQuestion) -> dict[str, int]:
    """The names a VSAQ condition uses for each choice: a radio/check box id, or for a
    yes/no item `id/yes` and `id/no` (a bare id means "yes", as for a single check box)."""
    if question.kind == "yes_no":
        sid = question.source_id
        return {sid: 0, f"{sid}/yes": 0, f"{sid}/no": 1}
    return {c.source_id: i for i, c in enumerate(question.choices)}


def _holds_blocks(item: Any) -> bool:
    """A title block: a block whose items include blocks (the sections)."""
    if not (isinstance(item, dict) and item.get("type") == "block"):
        return False
    children = item.get("items")
    return isinstance(children, list) and any(
        isinstance(c, dict) and c.get("type") == "block" for c in children
    )


def _cond(item: dict[str, Any]) -> str | None:
    cond = item.get("cond")
    return cond.strip() if isinstance(cond, str) and cond.strip() else None


def _both(outer: str | None, item: dict[str, Any]) -> str | None:
    inner = _cond(item)
    if outer and inner:
        return f"({outer}) && ({inner})"
    return outer or inner


def _common_prefix(ids: list[str]) -> str:
    """The shared leading `_`-separated words of the choice ids (a group without an id)."""
    if len(ids) < 2:
        return ""
    words = [i.split("_") for i in ids]
    shared = []
    for group in zip(*words, strict=False):
        if len(set(group)) != 1:
            break
        shared.append(group[0])
    prefix = "_".join(shared)
    return prefix if len(prefix) >= 3 else ""


def read_answers(path: Path) -> list[VendorAnswer]:
    """A VSAQ answer export: {"item_or_choice_id": "checked" | "yes" | "no" | text}."""
    data = load(path)
    if not isinstance(data, dict):
        raise ValidationProblem([Message.of("vsaq_answers_shape", path=str(path))])
    answers: list[VendorAnswer] = []
    problems: list[Message] = []
    for key, value in data.items():
        if not isinstance(value, str):
            said = Message.of("vsaq_not_text", type=type(value).__name__)
            where = Message.of("at_key", name=repr(key[:80]))
            problems.append(Message.of("in_file_at", path=str(path), where=where, said=said))
            continue
        if value.strip():  # VSAQ exports every choice not picked as ""
            answers.append(VendorAnswer(key, value, None, Message.of("at_key", name=repr(key))))
    if problems:
        raise ValidationProblem(problems)
    return answers
