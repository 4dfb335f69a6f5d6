"""`auditkit audit finalize` and `audit upgrade`: sign-off and moving drafts between versions."""

from __future__ import annotations

import click

from auditkit.cli.context import Settings, pass_settings, safe


@click.command()
@click.argument("audit_id", type=int)
@click.option("--reviewer", required=True, help="Name of the reviewer signing the audit off.")
@click.option("--approver", help="Name of the approver (required; not the reviewer).")
@click.option(
    "--decision",
    type=click.Choice(["approve", "approve_with_conditions", "reject"]),
    help="The approver's decision (default: the computed recommendation).",
)
@click.option(
    "--accept-unanswered",
    metavar="REASON",
    help="Sign off although applicable questions are unanswered; the reason is logged and "
    "printed in the report.",
)
@click.option(
    "--single-person",
    is_flag=True,
    help="Sign off without an independent approver (needs AUDITKIT_FOUR_EYES=optional); "
    "the report says 'not independently approved'.",
)
@click.option(
    "--four-eyes",
    type=click.Choice(["required", "optional"]),
    envvar="AUDITKIT_FOUR_EYES",
    default="required",
    show_default=True,
    help="Whether an independent approver is required (env AUDITKIT_FOUR_EYES).",
)
@pass_settings
def finalize(
    settings: Settings,
    audit_id: int,
    reviewer: str,
    approver: str | None,
    decision: str | None,
    accept_unanswered: str | None,
    single_person: bool,
    four_eyes: str,
) -> None:
    """Sign the audit off and freeze its record; later changes are refused.

    Freezes, in one transaction, the checklist content, the vendor profile and tier, each
    evidence link's details, the answers, the findings and the scoring result.
    """
    from auditkit.services import signoff

    request = signoff.SignOffRequest(
        reviewer=reviewer,
        approver=approver,
        decision=decision,
        accept_unanswered=accept_unanswered,
        single_person=single_person,
        four_eyes_optional=four_eyes == "optional",
    )
    done = settings.workspace.audits.finalize(audit_id, request)
    approved = (
        "not independently approved"
        if done.single_person
        else f"approver {done.approver}, decision {(done.decision or '').replace('_', ' ')}"
    )
    click.echo(safe(f"audit {done.id} is final (reviewer {done.reviewer}; {approved})"))


@click.command()
@click.argument("audit_id", type=int)
@pass_settings
def upgrade(settings: Settings, audit_id: int) -> None:
    """Move a draft to the checklists' current versions; keeps answers to unchanged questions.

    Lists added, dropped and changed questions; answers to dropped or changed questions are
    removed (logged) so they are asked again.
    """
    done = settings.workspace.audits.upgrade(audit_id)
    if not done.checklists:
        click.echo(f"audit {audit_id} already uses the current content of its checklists")
        return
    for plan in done.checklists:
        click.echo(f"{plan.describe()}")
    removed = ", ".join(done.removed_answers) or "none"
    click.echo(
        f"audit {audit_id} upgraded; {done.kept_answers} answer(s) kept, "
        f"answers removed (ask again): {removed}"
    )


signoff_commands = (finalize, upgrade)
