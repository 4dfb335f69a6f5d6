"""Settings shared by every command, and small output helpers."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from auditkit.models.lang import Lang

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue
    from auditkit.cli.json_table import Layout
    from auditkit.models.checklist import Checklist
    from auditkit.models.listing import Table
    from auditkit.services.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    db_url: str | None = None
    lang: Lang = "en"
    checklist_dirs: Sequence[Path] = field(default_factory=tuple)
    actor: str = "auditkit"

    @cached_property
    def workspace(self) -> Workspace:
        """The one library object every command works through (imported on first use)."""
        from auditkit.services.workspace import Workspace

        return Workspace(self.db_url, self.checklist_dirs, self.actor)

    @property
    def words(self) -> Catalogue:
        """The label catalogue in the chosen language."""
        from auditkit import catalogue

        return catalogue.load(self.lang)

    @cached_property
    def checklists(self) -> dict[str, Checklist]:
        """The same (cached) checklists the workspace uses, without loading the database layer."""
        from auditkit.checklists import load_directories

        return load_directories(tuple(self.checklist_dirs))

    @cached_property
    def checklist_summaries(self) -> list[dict[str, Any]]:
        """What `checklist list` shows of each checklist, without building the models."""
        from auditkit.checklist_summaries import summaries

        return summaries(tuple(self.checklist_dirs))


pass_settings = click.make_pass_decorator(Settings, ensure=True)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def jobs_option(func: F) -> F:
    return click.option(
        "--jobs",
        type=click.IntRange(1, 64),
        default=os.cpu_count() or 1,
        show_default="CPU count",
        help="Worker processes for rendering.",
    )(func)


def columns(words: Catalogue, name: str) -> list[str]:
    """A table's column headers from the catalogue (`cols_<name>`, separated by |)."""
    return words.cli(f"cols_{name}").split("|")


class Labels(dict[str, str]):
    """One catalogue table's labels by key (`words.get(table, key)`), each looked up once, so
    a long table's cells are plain dictionary look-ups."""

    def __init__(self, words: Catalogue, table: str) -> None:
        super().__init__()
        self.words = words
        self.table = table

    def __missing__(self, key: str) -> str:
        label = self[key] = self.words.get(self.table, key)
        return label


def page_options(func: F) -> F:
    """--limit and --offset: one page of a long listing, in the listing's order."""
    func = click.option(
        "--offset", type=click.IntRange(0), default=0, help="Skip this many rows first."
    )(func)
    return click.option(
        "--limit", type=click.IntRange(1), default=None, help="Show at most this many rows."
    )(func)


def print_json(data: Any) -> None:
    """`data` as `json.dumps(data, ensure_ascii=False, indent=2, default=str)` prints it."""
    from auditkit.cli import json_text

    click.echo(json_text.dumps(data))


def print_json_table(rows: Table, layout: Layout) -> None:
    """A listing's rows laid out by `layout` (see `auditkit.cli.json_table`), as `print_json`
    prints the objects they stand for. The whole text is made before any of it is written, so
    a listing that fails (a stored value that cannot be read) prints nothing. JSON text holds
    no escape character (strings escape every control character), so `color=True` only spares
    `click.echo` its scan for colour codes to strip."""
    from auditkit.cli.json_table import chunks

    for chunk in list(chunks(rows, layout)):
        click.echo(chunk, nl=False, color=True)
    click.echo(color=True)


def style(text: str, **kwargs: Any) -> str:
    return text if os.environ.get("NO_COLOR") else click.style(text, **kwargs)


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain aligned text table (east-asian wide characters count double). Built a column at
    a time: a column that is all printable ASCII, as most are, is checked and padded in one go."""
    columns = [_column(list(map(str, column))) for column in zip(headers, *rows, strict=True)]
    widths = [width for _, width in columns]
    lines = list(map(str.rstrip, map("  ".join, zip(*(c for c, _ in columns), strict=True))))
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _column(texts: list[str]) -> tuple[list[str], int]:
    """A column's cells made `safe` and padded to its display width, and that width."""
    joined = "".join(texts)
    if not joined.isprintable():
        texts = [safe(t) for t in texts]
        joined = "".join(texts)
    if joined.isascii():
        width = max(map(len, texts))
        return list(map(str.ljust, texts, repeat(width))), width
    sizes = list(map(display_width, texts))
    width = max(sizes)
    return [t + " " * (width - n) for t, n in zip(texts, sizes, strict=True)], width


def safe(text: str) -> str:
    """Text that may come from a vendor, made safe for a terminal: control characters
    (escape sequences, carriage returns, bells) are shown escaped, never sent raw."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
