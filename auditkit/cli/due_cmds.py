"""`auditkit due`: which vendors need their (re-)review."""

from __future__ import annotations

import datetime as dt

import click

from auditkit.cli.settings import (
    Settings,
    columns,
    json_option,
    jsonable,
    page_options,
    pass_settings,
    print_json_rows,
    table,
)


@click.command()
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="Judge as of this day (default today)."
)
@click.option(
    "--soon",
    "soon_days",
    type=int,
    default=60,
    show_default=True,
    help="Days ahead that count as due soon.",
)
@page_options
@json_option
@pass_settings
def due(
    settings: Settings,
    today: dt.datetime | None,
    soon_days: int,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    """List vendors by review urgency: never reviewed, overdue, due soon, current.

    The next review is the last final audit's date plus the tier's cycle (12/24/36 months).
    """
    rows = settings.workspace.due(
        today.date() if today else dt.date.today(), soon_days, limit, offset
    )
    if as_json:
        print_json_rows(jsonable(r._asdict()) for r in rows)
        return
    words = settings.words
    if not rows:
        click.echo(words.cli("no_vendors"))
        return
    body = [
        [r.vendor, r.tier, r.last_final or "-", r.due or "-", words.get("due_states", r.state)]
        for r in rows
    ]
    click.echo(table(body, columns(words, "due")))
