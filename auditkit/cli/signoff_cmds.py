"""`auditkit audit finalize` and `audit upgrade`: sign-off and moving drafts between versions."""

from __future__ import annotations

import click

from auditkit.cli.settings import Settings, json_option, pass_settings, print_json, safe


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
@json_option
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
    as_json: bool,
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
    if as_json:
        print_json(done.model_dump(mode="json"))
        return
    words = settings.words
    if done.single_person:
        said = words.cli("audit_final_single", id=done.id, reviewer=done.reviewer)
    else:
        said = words.cli(
            "audit_final_people",
            id=done.id,
            reviewer=done.reviewer,
            approver=done.approver,
            decision=done.decision or "-",
        )
    click.echo(safe(said))


@click.command()
@click.argument("audit_id", type=int)
@json_option
@pass_settings
def upgrade(settings: Settings, audit_id: int, as_json: bool) -> None:
    """Move a draft to the checklists' current versions; keeps answers to unchanged questions.

    Lists added, dropped and changed questions; answers to dropped or changed questions are
    removed (logged) so they are asked again.
    """
    done = settings.workspace.audits.upgrade(audit_id)
    if as_json:
        import dataclasses

        print_json(dataclasses.asdict(done))
        return
    words = settings.words
    if not done.checklists:
        click.echo(words.cli("upgrade_none", audit=audit_id))
        return
    for plan in done.checklists:
        click.echo(words.render(plan.describe()))
    removed = ", ".join(done.removed_answers) or words.cli("none_word")
    click.echo(words.cli("upgraded", audit=audit_id, kept=done.kept_answers, removed=removed))


signoff_commands = (finalize, upgrade)
