"""`auditkit due`: which vendors need their (re-)review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from auditkit.cli.settings import (
    Labels,
    Settings,
    columns,
    json_option,
    page_options,
    pass_settings,
    print_json_table,
    table,
)

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue
    from auditkit.models.listing import LapsingFile


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
    Evidence of the latest final audit that has expired or expires within --soon days (an
    expired PCI AOC, SOC 2 report, pentest letter, insurance certificate) is listed as a reason
    to review early.
    """
    day = today.date() if today else dt.date.today()
    rows = settings.workspace.due(day, soon_days, limit, offset)
    lapse = settings.workspace.lapsing_evidence(day, soon_days)
    if as_json:
        from auditkit.cli.listing_json import due_table

        print_json_table(*due_table(rows, lapse, day))
        return
    words = settings.words
    if not rows:
        click.echo(words.cli("no_vendors"))
        return
    states = Labels(words, "due_states")
    body = [
        [
            r.vendor,
            r.tier,
            r.last_final or "-",
            r.due or "-",
            states[r.state],
            lapsing(words, lapse.get(r.vendor_id, ()), day),
        ]
        for r in rows
    ]
    click.echo(table(body, columns(words, "due")))


def lapsing(words: Catalogue, entries: Sequence[LapsingFile], day: dt.date) -> str:
    """The first two lapsing files ("PCI DSS AOC expired 2026-05-20"), then a count."""
    parts = [
        words.cli(
            "evidence_expired_on" if e.expired(day) else "evidence_expires_on",
            kind=e.kind,
            day=e.expires,
        )
        for e in entries[:2]
    ]
    if len(entries) > 2:
        parts.append(words.cli("more_count", count=len(entries) - 2))
    return "; ".join(parts) or "-"
