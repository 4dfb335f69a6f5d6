"""Click's own words (usage errors, help headings, prompts) in the user's language.

Click looks each of its messages up through gettext (`_` and `ngettext` in its modules) with
the English text as the key; the label catalogue's `click` table holds them, keyed the same
way. `speak` points those look-ups at the table for the run's language; English is Click's own
text, so nothing is looked up then. Messages Click makes while modules are imported (such as
the default help of `--help`) stay as they were made.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence

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
