"""`auditkit log`: the database-wide, hash-chained change log."""

from __future__ import annotations

import click

from auditkit.cli.context import Settings, json_option, pass_settings, print_json, safe
from auditkit.errors import ExitStatus, VerificationFailed


@click.group()
def log() -> None:
    """The change log of the whole database (per audit: 'audit log AUDIT')."""


@log.command()
@json_option
@pass_settings
def verify(settings: Settings, as_json: bool) -> None:
    """Check the change log: every entry links to the one before it, none is missing or
    altered, and the stored answers, audits, vendors, findings and evidence details agree
    with their last logged values. Exit code 7 if anything does not hold.
    """
    from auditkit.services import changelog

    result = changelog.verify(settings.db_url)
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
    if not result.ok:
        raise VerificationFailed("\n".join(safe(p) for p in result.problems))
    noun = "entry" if result.entries == 1 else "entries"
    click.echo(f"{result.entries} {noun}, chain intact")
