"""`auditkit audit ...`: start, list, show, interview, answer, evidence, score, finalize, log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.choices import EVIDENCE_KINDS
from auditkit.cli.choices import SOURCES as SOURCE_VALUES
from auditkit.cli.context import (
    Settings,
    json_option,
    jsonable,
    page_options,
    pass_settings,
    print_json,
    print_json_rows,
    safe,
    style,
    table,
)
from auditkit.models.lang import Lang

if TYPE_CHECKING:
    from auditkit.scoring import AuditResult

SOURCES = click.Choice(SOURCE_VALUES)


@click.group()
def audit() -> None:
    """Assess a vendor: start an audit, collect answers, score, finalize."""


@audit.command()
@click.argument("vendor_ref", metavar="VENDOR")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Day the audit judges dates and evidence expiry on (default today).",
)
@click.option(
    "--from-previous", is_flag=True, help="Start from the answers of the vendor's previous audit."
)
@json_option
@pass_settings
def start(
    settings: Settings,
    vendor_ref: str,
    as_of: dt.datetime | None,
    from_previous: bool,
    as_json: bool,
) -> None:
    """Start a draft audit with the checklists that apply to the vendor's profile."""
    created = settings.workspace.audits.start(
        vendor_ref, as_of.date() if as_of else None, from_previous
    )
    if as_json:
        print_json(created.model_dump(mode="json"))
        return
    click.echo(
        f"audit {created.id} started (draft) with {len(created.checklists)} checklists: "
        f"{', '.join(created.checklists)}"
    )


@audit.command("list")
@click.option("--vendor", "vendor_ref", help="Only this vendor's audits.")
@page_options
@json_option
@pass_settings
def list_(
    settings: Settings, vendor_ref: str | None, limit: int | None, offset: int, as_json: bool
) -> None:
    """List audits; final ones with their score, rating and recommendation."""
    from auditkit.cli.vendor_cmds import final_cells, final_dict

    found = settings.workspace.audits.listing(vendor_ref, limit, offset)
    if as_json:
        print_json_rows({**jsonable(a._asdict()), "final": final_dict(a.final)} for a in found)
        return
    if not found:
        click.echo("no audits yet; start one with 'auditkit audit start VENDOR'")
        return
    rows = [
        [a.id, a.vendor, a.status, a.as_of.isoformat(), len(a.checklists), *final_cells(a.final)]
        for a in found
    ]
    headers = ["id", "vendor", "status", "as of", "checklists", "score", "rating", "recommendation"]
    click.echo(table(rows, headers))


@audit.command()
@click.argument("audit_id", type=int)
@json_option
@pass_settings
def show(settings: Settings, audit_id: int, as_json: bool) -> None:
    """Show an audit's status and answers."""
    from auditkit.answers import display

    state = settings.workspace.audits.get(audit_id, strict=False)
    a = state.audit
    if as_json:
        print_json(
            {
                **a.model_dump(mode="json"),
                "vendor": state.vendor.name,
                "record_sha256": state.record.sha256() if state.record else None,
                "answers": [x.model_dump(mode="json") for x in state.answers.values()],
            }
        )
        return
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
    rows = []
    for answer in state.answers.values():
        question = state.question(answer.question_id)
        shown = display(question, answer.value, settings.lang) if question else str(answer.value)
        rows.append(
            [answer.question_id, shown[:40], answer.source.value, (answer.comment or "")[:40]]
        )
    click.echo(f"{len(rows)} answers")
    if rows:
        click.echo(table(rows, ["question", "answer", "source", "comment"]))


@audit.command()
@click.argument("audit_id", type=int)
@click.option(
    "--source", type=SOURCES, default="vendor", show_default=True, help="Who the answers come from."
)
@pass_settings
def interview(settings: Settings, audit_id: int, source: str) -> None:
    """Ask the audit's questions one by one; saves each answer, resumes where it stopped.

    Works with answers piped on standard input: one line per answer, then one per comment.
    """
    from auditkit.models.audit import Source

    def ask(prompt: str) -> str:
        try:
            return str(click.prompt(prompt, default="", show_default=False, prompt_suffix=": "))
        except click.Abort:
            raise EOFError from None

    import sys

    progress = settings.workspace.audits.interview(
        audit_id,
        ask,
        click.echo,
        settings.lang,
        Source(source),
        interactive=sys.stdin.isatty(),
    )
    resume = f"auditkit audit interview {audit_id}"
    if settings.lang == "ja":
        left = "すべて回答済み" if progress.finished else f"未回答 {progress.remaining} 問"
        click.echo(f"\n{progress.answered_now} 件の回答を保存しました({left})。再開: {resume}")
        return
    left = "complete" if progress.finished else f"{progress.remaining} question(s) still open"
    click.echo(f"\n{progress.answered_now} answer(s) saved; {left}. Resume with '{resume}'.")


@audit.command()
@click.argument("audit_id", type=int)
@click.argument("question_id")
@click.argument("value")
@click.option("--comment", help="Comment stored with the answer.")
@click.option("--source", type=SOURCES, default="auditor", show_default=True)
@pass_settings
def answer(
    settings: Settings,
    audit_id: int,
    question_id: str,
    value: str,
    comment: str | None,
    source: str,
) -> None:
    """Record one answer (validated against the question)."""
    from auditkit.models.audit import Source

    stored = settings.workspace.audits.answer(audit_id, question_id, value, comment, Source(source))
    click.echo(safe(f"{question_id} = {stored.value}"))


@audit.command()
@click.argument("audit_id", type=int)
@click.argument("question_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    default="other",
    show_default=True,
    type=click.Choice(EVIDENCE_KINDS),
)
@click.option("--issued", type=click.DateTime(["%Y-%m-%d"]), help="Day the document was issued.")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), help="Day the document expires.")
@click.option("--note", help="Note on this attachment.")
@pass_settings
def evidence(
    settings: Settings,
    audit_id: int,
    question_id: str,
    file: Path,
    kind: str,
    issued: dt.datetime | None,
    expires: dt.datetime | None,
    note: str | None,
) -> None:
    """Attach an evidence file to an answer: the file is stored once by SHA-256; kind, dates
    and note belong to this link only (attaching the same file elsewhere never changes it)."""
    item = settings.workspace.audits.attach_evidence(
        audit_id,
        question_id,
        file,
        kind,
        expires.date() if expires else None,
        issued.date() if issued else None,
        note,
    )
    click.echo(
        f"evidence {item.sha256[:12]} ({item.name}, {item.size} bytes) linked to {question_id}"
    )


@audit.command()
@click.argument("audit_id", type=int)
@json_option
@pass_settings
def score(settings: Settings, audit_id: int, as_json: bool) -> None:
    """Score an audit: domains, overall, rating, recommendation; refresh its findings."""
    from auditkit.scoring import result_dict

    state, result = settings.workspace.audits.refresh_findings(audit_id)
    if as_json:
        print_json({"audit_id": audit_id, "vendor": state.vendor.name, **result_dict(result)})
        return
    rows = []
    for d in result.domains:
        c = d.counts
        shown = "-" if d.score is None else f"{d.score:.1f}"
        rows.append(
            [
                d.checklist_id,
                shown,
                c.get("pass", 0),
                c.get("partial", 0),
                c.get("fail", 0),
                c.get("na", 0),
                c.get("unanswered", 0),
                c.get("skipped", 0),
            ]
        )
    _print_score(rows, result, settings.lang)


def _print_score(rows: list[list[object]], result: AuditResult, lang: Lang) -> None:
    """The score table and verdict, in the chosen language (report labels for Japanese)."""
    from auditkit.report.labels import load

    words = load(lang)
    headers = ["domain", "score", "pass", "partial", "fail", "n/a", "unanswered", "skipped"]
    if lang == "ja":
        statuses = ["pass", "partial", "fail", "na", "unanswered", "skipped"]
        headers = [words.get("labels", "domain"), words.get("labels", "score")]
        headers += [words.get("statuses", s) for s in statuses]
    click.echo(table(rows, headers))
    overall = "-" if result.overall is None else f"{result.overall:.1f}"
    rating, verdict = words.get("ratings", result.rating), result.recommendation
    if lang == "ja":
        click.echo(f"\n総合スコア {overall}  ティア {result.tier}  残留リスク {rating}")
        click.echo(style(f"推奨判断: {words.get('recommendations', verdict)}", bold=True))
    else:
        click.echo(f"\noverall {overall}  tier {result.tier}  residual risk {result.rating}")
        click.echo(style(f"recommendation: {verdict.replace('_', ' ')}", bold=True))
    for reason in result.reasons:
        click.echo(f"  - {words.phrase(reason)}")


@audit.command()
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
    click.echo(table(rows, ["at", "who", "what", "id", "field", "old", "new"]))


def _short(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:29] + "…"


@audit.command("diff")
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
    span = f"audit {old_id} ({old.audit.as_of}) -> audit {new_id} ({new.audit.as_of})"
    click.echo(f"{safe(new.vendor.name)}: {span}")
    (before, after), (r0, r1), (c0, c1) = change.overall, change.rating, change.recommendation
    click.echo(
        f"overall {_num(before)} -> {_num(after)}  rating {r0} -> {r1}  "
        f"recommendation {c0.replace('_', ' ')} -> {c1.replace('_', ' ')}"
    )
    rows = [
        [d.checklist_id, _num(d.old), _num(d.new), _num(d.change, signed=True)]
        for d in change.domains
    ]
    click.echo(table(rows, ["domain", "old", "new", "change"]))
    sections = [
        ("changed answers", [safe(f"{c.question_id}: {c.old} -> {c.new}") for c in change.changed]),
        ("newly failing", list(change.newly_failing)),
        ("resolved", list(change.resolved)),
        ("only in the old audit's checklists", list(change.only_old)),
        ("only in the new audit's checklists", list(change.only_new)),
    ]
    for title, lines in sections:
        click.echo(f"\n{title} ({len(lines)})")
        for line in lines:
            click.echo(f"  {line}")


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed else f"{value:.1f}"
