"""Localised report labels, kept as data in `report_templates/i18n/<lang>.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditkit import paths, safeyaml
from auditkit.errors import ValidationProblem
from auditkit.models.common import Lang

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
)
TRANSLATED_GROUPS = {"rating": "ratings", "status": "statuses"}


@dataclass(frozen=True)
class Phrase:
    pattern: re.Pattern[str]
    text: str


@dataclass(frozen=True)
class Labels:
    """Every table of one language, plus the phrase rules for scoring's explanations."""

    lang: Lang
    tables: dict[str, dict[str, str]]
    phrases: tuple[Phrase, ...]

    def get(self, table: str, key: str) -> str:
        """The label, or the key itself when the table has no entry (never fails on data)."""
        return self.tables[table].get(key, key)

    def phrase(self, text: str) -> str:
        """Scoring's English explanation in this language (unchanged when no rule matches)."""
        for rule in self.phrases:
            match = rule.pattern.match(text)
            if match:
                groups = {
                    name: self.get(TRANSLATED_GROUPS[name], value)
                    if name in TRANSLATED_GROUPS
                    else value
                    for name, value in match.groupdict().items()
                }
                return rule.text.format(**groups)
        return text


def i18n_file(lang: Lang, org_dir: Path | None = None) -> Path:
    """The organisation's label file when it has one, else the shipped one."""
    name = Path("i18n") / f"{lang}.yaml"
    if org_dir is not None and (org_dir / name).is_file():
        return org_dir / name
    return paths.templates_dir() / name


@cache
def load(lang: Lang, org_dir: Path | None = None) -> Labels:
    path = i18n_file(lang, org_dir)
    raw = safeyaml.load_file(path)
    if not isinstance(raw, dict):
        raise ValidationProblem([f"{path}: expected a mapping of label tables"])
    problems = [
        f"{path}: {table}: missing label table"
        for table in TABLES
        if not isinstance(raw.get(table), dict)
    ]
    if problems:
        raise ValidationProblem(problems)
    tables = {t: {str(k): str(v) for k, v in raw[t].items()} for t in TABLES}
    phrases = []
    for index, item in enumerate(raw.get("phrases") or []):
        try:
            phrases.append(Phrase(re.compile(str(item["pattern"])), str(item["text"])))
        except (KeyError, TypeError, re.error) as exc:
            raise ValidationProblem([f"{path}: phrases[{index}]: {exc}"]) from None
    return Labels(lang, tables, tuple(phrases))
