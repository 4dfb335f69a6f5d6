"""Click's words and our commands' help in the user's language.

Click looks each of its messages up through gettext (`_` and `ngettext` in its modules) with
the English text as the key; the label catalogue's `click` table holds them, keyed the same
way. `speak` points those look-ups at the table for the run's language; English is Click's own
text, so nothing is looked up then.

The help of every command and option (docstrings and `help=`) is English in the source; the
catalogue's `help` table, keyed by that English text, gives it in another language, and
`speak_help` sets it on the command tree for the run (and back to English for the next).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence

import click

MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)


def speak(table: Mapping[str, str]) -> None:
    """Click's messages from `table` (English key → text); an empty table is Click's own."""

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        message = singular if count == 1 else plural
        return table.get(message, message)

    for name in MODULES:
        module = importlib.import_module(name)
        if "_" in vars(module):
            module._ = gettext  # type: ignore[attr-defined]
        if "ngettext" in vars(module):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def language(args: Sequence[str], default: str) -> str:
    """The `--lang` a command line gives (anywhere, as global options may follow the
    subcommand), else `default`: known before Click parses, so its errors speak it too."""
    chosen = default
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            chosen = args[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return chosen


_ENGLISH: dict[tuple[int, str], str | None] = {}  # (object, attribute) -> its English help


def help_texts(root: click.Command) -> Iterator[tuple[object, str]]:
    """Every help text of the command tree below `root`: (command or option, attribute)."""
    for attr in ("help", "short_help", "epilog"):
        yield root, attr
    for param in root.params:
        if isinstance(param, click.Option):
            yield param, "help"
    if isinstance(root, click.Group):
        for command in root.commands.values():
            yield from help_texts(command)


def speak_help(root: click.Command, table: Mapping[str, str]) -> None:
    """The help of every command and option from `table` (English text -> text); an empty
    table puts back the English."""
    if not table and not _ENGLISH:
        return  # English throughout, and nothing was changed
    for owner, attr in help_texts(root):
        english = _ENGLISH.setdefault((id(owner), attr), getattr(owner, attr, None))
        if english is not None:
            setattr(owner, attr, table.get(english, english))
        if isinstance(owner, click.Command) and attr == "help":
            # Click keeps each command's --help option once made, with its help text in the
            # language of that run: made again, it takes this run's (through `speak`)
            owner._help_option = None
