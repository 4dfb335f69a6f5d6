"""`auditkit audit show`: an audit's status, answers and how each is known, its evidence and
its pending questions (a final audit's as frozen at sign-off)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from auditkit.cli.evidence_cmds import evidence_cells, evidence_dict, known_label
from auditkit.cli.settings import (
    Settings,
    columns,
    json_option,
    pass_settings,
    print_json,
    safe,
    table,
)

if TYPE_CHECKING:
    from auditkit.assessment import AuditState
    from auditkit.catalogue import Catalogue


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
    words = settings.words
    _header(settings, words, state)
    rows = []
    for answer in state.answers.values():
        question = state.question(answer.question_id)
        shown = display(question, answer.value, settings.lang) if question else str(answer.value)
        source = words.get("sources", answer.source.value)
        kind = known_label(words, known.get(answer.question_id))
        rows.append([answer.question_id, shown[:40], source, kind, (answer.comment or "")[:40]])
    click.echo(words.cli("answer_count", count=len(rows)))
    if rows:
        click.echo(table(rows, columns(words, "answers")))
    click.echo("\n" + words.cli("evidence_count", count=len(files), day=a.as_of))
    if files:
        body = [
            [*evidence_cells(words, e.evidence, a.as_of), ", ".join(e.questions)] for e in files
        ]
        click.echo(table(body, columns(words, "evidence")))
    click.echo("\n" + words.cli("pending_count", count=len(pending)))
    for question_id in pending:
        question = state.question(question_id)
        text = question.text.get(settings.lang) if question else ""
        click.echo(safe(f"  {question_id}  {text}"))


def _header(settings: Settings, words: Catalogue, state: AuditState) -> None:
    a = state.audit
    status = words.get("audit_statuses", a.status.value)
    click.echo(
        words.cli(
            "audit_title", id=a.id, vendor=safe(state.vendor.name), status=status, day=a.as_of
        )
    )
    pinned = ", ".join(f"{k} v{v}" for k, v in a.checklists.items())
    click.echo(words.cli("audit_checklists", checklists=pinned))
    if a.reviewer:
        approver = words.cli("not_independent") if a.single_person else (a.approver or "-")
        click.echo(
            safe(
                words.cli(
                    "audit_signoff",
                    reviewer=a.reviewer,
                    approver=approver,
                    decision=words.get("recommendations", a.decision) if a.decision else "-",
                    finalized=str(a.finalized_at),
                    by=a.finalized_by or "-",
                )
            )
        )
    if a.accepted_unanswered:
        click.echo(safe(words.cli("accepted_unanswered", reason=a.accepted_unanswered)))
    if state.record is not None:
        click.echo(words.cli("frozen_sha", sha=state.record.sha256()))
    for warning in state.warnings:
        click.echo(words.cli("warning", text=words.render(warning)), err=True)
