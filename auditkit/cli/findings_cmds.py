"""`auditkit findings ...`: list and update remediation findings."""

from __future__ import annotations

import datetime as dt

import click

from auditkit.cli.choices import FINDING_STATUSES
from auditkit.cli.settings import (
    Labels,
    Settings,
    columns,
    json_option,
    page_options,
    pass_settings,
    print_json,
    print_json_table,
    table,
)


@click.group()
def findings() -> None:
    """Track findings from failed and partial answers until they are closed."""


@findings.command("list")
@click.option("--vendor", "vendor_ref", help="Only this vendor's findings.")
@click.option("--audit", "audit_id", type=int, help="Only findings last seen in this audit.")
@click.option("--open", "open_only", is_flag=True, help="Only open findings.")
@page_options
@json_option
@pass_settings
def list_(
    settings: Settings,
    vendor_ref: str | None,
    audit_id: int | None,
    open_only: bool,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    """List findings."""
    findings_ = settings.workspace.findings
    if as_json:
        from auditkit.cli.listing_json import FINDINGS

        print_json_table(findings_.table(vendor_ref, open_only, audit_id, limit, offset), FINDINGS)
        return
    found = findings_.lines(vendor_ref, open_only, audit_id, limit, offset)
    words = settings.words
    if not found:
        click.echo(words.cli("no_findings"))
        return
    severities, statuses = Labels(words, "severities"), Labels(words, "finding_statuses")
    rows = [
        [
            f.id,
            f.vendor,
            f.audit_id,
            f.question_id,
            severities[f.severity],
            statuses[f.status],
            f.owner or "-",
            f.due_date or "-",
        ]
        for f in found
    ]
    click.echo(table(rows, columns(words, "findings")))


@findings.command()
@click.argument("finding_id", type=int)
@click.option("--status", type=click.Choice(FINDING_STATUSES))
@click.option("--owner", help="Who remediates it.")
@click.option("--due", "due_date", type=click.DateTime(["%Y-%m-%d"]), help="Due date YYYY-MM-DD.")
@click.option("--notes", help="Notes (replaces the previous notes).")
@json_option
@pass_settings
def update(
    settings: Settings,
    finding_id: int,
    status: str | None,
    owner: str | None,
    due_date: dt.datetime | None,
    notes: str | None,
    as_json: bool,
) -> None:
    """Change a finding's status, owner, due date or notes (recorded in the change log)."""
    from auditkit.models.audit import FindingStatus

    changed = settings.workspace.findings.update(
        finding_id,
        FindingStatus(status) if status else None,
        owner,
        due_date.date() if due_date else None,
        notes,
    )
    if as_json:
        print_json(changed.model_dump(mode="json"))
        return
    click.echo(
        settings.words.cli(
            "finding_updated",
            id=changed.id,
            status=changed.status.value,
            owner=changed.owner or "-",
            due=str(changed.due_date or "-"),
        )
    )
