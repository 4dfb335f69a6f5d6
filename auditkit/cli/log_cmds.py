"""`auditkit log`: the database-wide, hash-chained change log."""

from __future__ import annotations

import click

from auditkit.cli.settings import Settings, json_option, pass_settings, print_json, safe
from auditkit.errors import ExitStatus


@click.group()
def log() -> None:
    """The change log of the whole database (per audit: 'audit log AUDIT')."""


def _hash(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise click.BadParameter("give the 64-hex-digit head from 'log verify --json'")
    return value


@log.command()
@click.option(
    "--head",
    "anchor",
    metavar="SHA256",
    callback=_hash,
    help="A head hash noted earlier: fail unless that entry is still in the log.",
)
@json_option
@pass_settings
def verify(settings: Settings, anchor: str | None, as_json: bool) -> None:
    """Check the change log: every entry links to the one before it, none is missing or
    altered, and the stored answers, audits, vendors, findings and evidence details agree
    with their last logged values. Exit code 7 if anything does not hold.
    """
    result = settings.workspace.verify_log(anchor)
    if as_json:
        print_json(
            {
                "entries": result.entries,
                "head": result.head,
                "intact": result.ok,
                "problems": result.problems,
            }
        )
        if not result.ok:
            click.get_current_context().exit(int(ExitStatus.VERIFY_FAILED))
        return
    words = settings.words
    if not result.ok:
        for problem in result.said:
            click.echo(words.cli("error", text=safe(words.render(problem))), err=True)
        click.get_current_context().exit(int(ExitStatus.VERIFY_FAILED))
    key = "log_intact_one" if result.entries == 1 else "log_intact"
    click.echo(words.cli(key, count=result.entries))
