"""`auditkit audit show`: an audit's status, answers and how each is known, its evidence and
its pending questions (a final audit's as frozen at sign-off)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from auditkit.cli.context import Settings, json_option, pass_settings, print_json, safe, table
from auditkit.cli.evidence_cmds import EVIDENCE_HEADERS, evidence_cells, evidence_dict

if TYPE_CHECKING:
    from auditkit.assessment import AuditState


@click.command()
@click.argument("audit_id", type=int)
@json_option
@pass_settings
def show(settings: Settings, audit_id: int, as_json: bool) -> None:
    """Show an audit's status, answers (and how each is known), evidence and pending questions."""
    from auditkit.answers import display
    from auditkit.records import unanswered
    from auditkit.services.evidence import entries

    state = settings.workspace.audits.get(audit_id, strict=False)
    a, result = state.audit, state.score()
    known = {r.question.id: r.knowledge for d in result.domains for r in d.questions}
    files = entries(a, state.vendor.name, state.answers)
    pending = unanswered(result)
    if as_json:
        print_json(
            {
                **a.model_dump(mode="json"),
                "vendor": state.vendor.name,
                "record_sha256": state.record.sha256() if state.record else None,
                "answers": [x.model_dump(mode="json") for x in state.answers.values()],
                "knowledge": {q: k.value for q, k in known.items() if k is not None},
                "evidence": [evidence_dict(e.evidence, list(e.questions), a.as_of) for e in files],
                "pending": pending,
            }
        )
        return
    _show_header(state)
    rows = []
    for answer in state.answers.values():
        question = state.question(answer.question_id)
        shown = display(question, answer.value, settings.lang) if question else str(answer.value)
        kind = known.get(answer.question_id)
        rows.append(
            [
                answer.question_id,
                shown[:40],
                answer.source.value,
                kind.value if kind else "-",
                (answer.comment or "")[:40],
            ]
        )
    click.echo(f"{len(rows)} answers")
    if rows:
        click.echo(table(rows, ["question", "answer", "source", "known as", "comment"]))
    click.echo(f"\n{len(files)} evidence files (expiry judged on {a.as_of})")
    if files:
        body = [[*evidence_cells(e.evidence, a.as_of), ", ".join(e.questions)] for e in files]
        click.echo(table(body, [*EVIDENCE_HEADERS, "questions"]))
    click.echo(f"\n{len(pending)} pending questions (applicable, unanswered)")
    for question_id in pending:
        question = state.question(question_id)
        text = question.text.get(settings.lang) if question else ""
        click.echo(safe(f"  {question_id}  {text}"))


def _show_header(state: AuditState) -> None:
    a = state.audit
    click.echo(f"audit {a.id}: {safe(state.vendor.name)} — {a.status.value}, as of {a.as_of}")
    click.echo(f"checklists: {', '.join(f'{k} v{v}' for k, v in a.checklists.items())}")
    if a.reviewer:
        approver = "not independently approved" if a.single_person else (a.approver or "-")
        click.echo(
            safe(
                f"reviewer: {a.reviewer}  approver: {approver}  decision: {a.decision or '-'}  "
                f"finalized: {a.finalized_at} by {a.finalized_by or '-'}"
            )
        )
    if a.accepted_unanswered:
        click.echo(safe(f"signed off with unanswered questions: {a.accepted_unanswered}"))
    if state.record is not None:
        click.echo(f"frozen record sha256 {state.record.sha256()}")
    for warning in state.warnings:
        click.echo(f"warning: {warning}", err=True)
