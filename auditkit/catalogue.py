"""The label catalogue: every reader-facing word, one YAML file per language.

`report_templates/i18n/<lang>.yaml` holds tables of labels (statuses, ratings, ...) and of
message templates (`messages`, `cli`, `workbook`, `answer_formats`). The report, the
terminal and error messages all render through `Catalogue`; Python holds no prose of its
own in any language but the codes. An organisation's template directory may override single
entries with its own `i18n/<lang>.yaml`.

Templates use `str.format` fields; a field whose format spec names a table
(`{rating:ratings}`) shows the value's label from that table.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from auditkit import errors, parse_cache, paths
from auditkit.errors import AuditkitError, ValidationProblem
from auditkit.models.lang import LANGS, Lang
from auditkit.models.message import Message, Param

E = TypeVar("E", bound=AuditkitError)

TABLES = (
    "labels",
    "ratings",
    "recommendations",
    "statuses",
    "severities",
    "finding_statuses",
    "audit_statuses",
    "sources",
    "risk_levels",
    "services",
    "evidence_kinds",
    "profile_values",
    "due_states",
    "messages",
    "answer_formats",
    "answer_words",
    "workbook",
    "cli",
    "standards",
    "fields",
    "click",
    "help",
)


class _Formatter(string.Formatter):
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in self.catalogue.tables:
            return self.catalogue.get(format_spec, str(value))
        return str(super().format_field(value, format_spec))


@dataclass(frozen=True)
class Catalogue:
    """Every table of one language."""

    lang: Lang
    tables: dict[str, dict[str, str]]

    def get(self, table: str, key: str) -> str:
        """The label, or the key itself when the table has no entry (never fails on data)."""
        return self.tables[table].get(key, key)

    def text(self, table: str, key: str, **params: Param | object) -> str:
        """A template of `table` filled with `params` (messages and localised text rendered)."""
        template = self.tables[table].get(key)
        if template is None:
            return " ".join([key, *(f"{k}={self._param(v)}" for k, v in params.items())])
        shown = {k: self._param(v) for k, v in params.items()}
        return _Formatter(self).vformat(template, (), shown)

    def cli(self, key: str, **params: Param | object) -> str:
        return self.text("cli", key, **params)

    def render(self, message: Message) -> str:
        return self.text("messages", message.code, **dict(message.params))

    def _param(self, value: Param | object) -> Any:
        if isinstance(value, Message):
            return self.render(value)
        if isinstance(value, str | int | float):
            return value
        if hasattr(value, "en") and hasattr(value, "ja"):
            return value.ja if self.lang == "ja" else value.en
        return "-" if value is None else str(value)

    def words(self, key: str) -> list[str]:
        """A `|`-separated list entry of `answer_words`."""
        return [w for w in self.get("answer_words", key).split("|") if w]


def i18n_file(lang: Lang, org_dir: Path | None = None) -> Path:
    """The organisation's label file when it has one, else the shipped one."""
    name = Path("i18n") / f"{lang}.yaml"
    if org_dir is not None and (org_dir / name).is_file():
        return org_dir / name
    return paths.templates_dir() / name


def _read(path: Path, required: bool) -> dict[str, dict[str, str]]:
    """A label file's tables (from the parse cache when the file is unchanged: no YAML)."""
    parse = partial(_parse, required=required)
    return parse_cache.load("labels", path, parse, _tables, Path(__file__), str(required))


def _tables(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(t, dict) and all(isinstance(v, str) for v in t.values()) for t in value.values()
    )


def _parse(path: Path, required: bool) -> dict[str, dict[str, str]]:
    from auditkit import safeyaml

    raw = safeyaml.load_file(path)
    if not isinstance(raw, dict):
        raise ValidationProblem([f"{path}: expected a mapping of label tables"])
    problems = [
        f"{path}: {table}: missing label table"
        for table in TABLES
        if required and not isinstance(raw.get(table), dict)
    ]
    problems += [
        f"{path}: {table}: expected a table of labels"
        for table, entries in raw.items()
        if table in TABLES and not isinstance(entries, dict)
    ]
    if problems:
        raise ValidationProblem(problems)
    return {t: {str(k): str(v) for k, v in raw[t].items()} for t in TABLES if t in raw}


@cache
def load(lang: Lang, org_dir: Path | None = None) -> Catalogue:
    """The shipped catalogue, with an organisation's entries laid over it."""
    tables = _read(i18n_file(lang), required=True)
    override = i18n_file(lang, org_dir)
    if override != i18n_file(lang):
        for table, entries in _read(override, required=False).items():
            tables[table] = {**tables[table], **entries}
    return Catalogue(lang, tables)


def all_words(key: str) -> list[str]:
    """An `answer_words` entry in every language (input is accepted in any of them)."""
    return [w for lang in LANGS for w in load(lang).words(key)]


def error(kind: type[E], code: str, **params: Param) -> E:
    """An error of `kind` saying the message `code`: English in its text (logs, the library),
    and the message itself for the CLI to say in the user's language."""
    said = Message.of(code, **params)
    if issubclass(kind, ValidationProblem):
        return kind([said])
    made = kind(load("en").render(said))
    made.said = said
    return made


def english(message: Message) -> str:
    """The message in English (errors' text, logs, `--json` output)."""
    return load("en").render(message)


errors.ENGLISH[:] = [english]


def said_by(exc: AuditkitError) -> Message:
    """What an error says, as a message (its plain text when it carries none); the lines of
    a validation problem joined into one."""
    if isinstance(exc, ValidationProblem):
        first, *rest = exc.said_lines or (Message.of("plain", text=str(exc)),)
        for line in rest:
            first = Message.of("two_parts", first=first, second=line)
        return first
    return exc.said if isinstance(exc.said, Message) else Message.of("plain", text=str(exc))
