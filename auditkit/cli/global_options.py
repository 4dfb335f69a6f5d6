"""`--db`, `--lang`, `--checklists` and `--as` accepted after the subcommand too.

`auditkit checklist show ssl_tls --lang ja` means the same as
`auditkit --lang ja checklist show ssl_tls`. Every command that has no option of that name
gets a hidden copy of each global option; given there, it overrides the group's value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from auditkit.cli.settings import Settings


def _setter(apply: Callable[[Settings, Any], None]) -> Callable[..., None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is None or value == ():
            return
        settings = ctx.find_object(Settings)
        if settings is not None:
            apply(settings, value)

    return callback


def _set_db(s: Settings, v: str) -> None:
    s.db_url = v


def _set_lang(s: Settings, v: Any) -> None:
    s.lang = v


def _add_dirs(s: Settings, v: tuple[Path, ...]) -> None:
    s.checklist_dirs = (*s.checklist_dirs, *v)


def _set_actor(s: Settings, v: str) -> None:
    s.actor = v


def _options() -> list[click.Option]:
    common: dict[str, Any] = {"hidden": True, "expose_value": False, "is_eager": True}
    return [
        click.Option(["--db"], callback=_setter(_set_db), **common),
        click.Option(
            ["--lang"], type=click.Choice(["en", "ja"]), callback=_setter(_set_lang), **common
        ),
        click.Option(
            ["--checklists"],
            multiple=True,
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            callback=_setter(_add_dirs),
            **common,
        ),
        click.Option(["--as"], callback=_setter(_set_actor), **common),
    ]


def accept_everywhere(group: click.Group) -> None:
    """Give every command under `group` the global options it does not define itself."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            accept_everywhere(command)
            continue
        taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
        command.params.extend(o for o in _options() if not set(o.opts) & taken)
