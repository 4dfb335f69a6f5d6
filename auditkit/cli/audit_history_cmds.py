"""`auditkit audit log|diff`: an audit's history and what changed from one audit to the next."""

from __future__ import annotations

import click

from auditkit.cli.settings import (
    Settings,
    columns,
    json_option,
    pass_settings,
    print_json,
    safe,
    table,
)


@click.command()
@click.argument("audit_id", type=int)
@json_option
@pass_settings
def log(settings: Settings, audit_id: int, as_json: bool) -> None:
    """Show the append-only change log of an audit."""
    changes = settings.workspace.audits.changes(audit_id)
    if as_json:
        print_json([c.model_dump(mode="json") for c in changes])
        return
    rows = [
        [c.at.isoformat(), c.actor, c.entity, c.entity_id, c.field, _short(c.old), _short(c.new)]
        for c in changes
    ]
    click.echo(table(rows, columns(settings.words, "log")))


def _short(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:29] + "…"


@click.command("diff")
@click.argument("old_id", type=int)
@click.argument("new_id", type=int)
@json_option
@pass_settings
def diff_(settings: Settings, old_id: int, new_id: int, as_json: bool) -> None:
    """What changed between two audits of a vendor: scores, answers, findings.

    Works across checklist versions: questions only one audit had are listed apart.
    """
    import dataclasses

    old, new, change = settings.workspace.audits.diff(old_id, new_id)
    if as_json:
        print_json({"old": old_id, "new": new_id, **dataclasses.asdict(change)})
        return
    words = settings.words
    click.echo(
        words.cli(
            "diff_span",
            vendor=safe(new.vendor.name),
            old=old_id,
            old_day=str(old.audit.as_of),
            new=new_id,
            new_day=str(new.audit.as_of),
        )
    )
    (before, after), (r0, r1), (c0, c1) = change.overall, change.rating, change.recommendation
    click.echo(
        words.cli(
            "diff_totals",
            before=_num(before),
            after=_num(after),
            r0=r0,
            r1=r1,
            c0=c0,
            c1=c1,
        )
    )
    rows = [
        [d.checklist_id, _num(d.old), _num(d.new), _num(d.change, signed=True)]
        for d in change.domains
    ]
    click.echo(table(rows, columns(words, "diff")))
    sections = [
        ("diff_changed", [safe(f"{c.question_id}: {c.old} -> {c.new}") for c in change.changed]),
        ("diff_newly_failing", list(change.newly_failing)),
        ("diff_resolved", list(change.resolved)),
        ("diff_only_old", list(change.only_old)),
        ("diff_only_new", list(change.only_new)),
    ]
    for key, lines in sections:
        click.echo("\n" + words.cli(key, count=len(lines)))
        for line in lines:
            click.echo(f"  {line}")


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


history_commands: list[click.Command] = [log, diff_]
