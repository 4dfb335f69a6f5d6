"""`auditkit audit ...`: start, list, show, interview, answer, evidence, score, finalize."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.choices import EVIDENCE_KINDS
from auditkit.cli.choices import SOURCES as SOURCE_VALUES
from auditkit.cli.settings import (
    Labels,
    Settings,
    columns,
    json_option,
    page_options,
    pass_settings,
    print_json,
    print_json_table,
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
        settings.words.cli(
            "audit_started",
            id=created.id,
            count=len(created.checklists),
            checklists=", ".join(created.checklists),
        )
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
    from auditkit.cli.vendor_cmds import FinalCells

    audits = settings.workspace.audits
    if as_json:
        from auditkit.cli.listing_json import AUDITS

        print_json_table(audits.table(vendor_ref, limit, offset), AUDITS)
        return
    found = audits.lines(vendor_ref, limit, offset)
    words = settings.words
    if not found:
        click.echo(words.cli("no_audits"))
        return
    final_cells, statuses = FinalCells(words), Labels(words, "audit_statuses")
    rows = [
        [
            a.id,
            a.vendor,
            statuses[a.status],
            a.as_of,
            len(a.checklists),
            *final_cells(a.final),
        ]
        for a in found
    ]
    click.echo(table(rows, columns(words, "audits")))


@audit.command()
@click.argument("audit_id", type=int)
@click.option(
    "--source", type=SOURCES, default="vendor", show_default=True, help="Who the answers come from."
)
@pass_settings
def interview(settings: Settings, audit_id: int, source: str) -> None:
    """Ask the audit's questions one by one; saves each answer, resumes where it stopped.

    Works with answers piped on standard input: two lines per question, the answer (empty to
    skip) and the comment (empty for none); a skipped question takes its two lines too.
    Ctrl-C stops with exit code 130; every answer given so far is saved, including one typed
    just before at the comment prompt.
    """
    from auditkit.models.audit import Source

    def ask(prompt: str) -> str:
        try:
            return str(click.prompt(prompt, default="", show_default=False, prompt_suffix=": "))
        except click.Abort as exc:
            if isinstance(exc.__context__, KeyboardInterrupt):
                raise KeyboardInterrupt from None
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
    words = settings.words
    if progress.finished:
        done = words.cli("interview_done", saved=progress.answered_now, resume=resume)
    else:
        done = words.cli(
            "interview_open", saved=progress.answered_now, open=progress.remaining, resume=resume
        )
    click.echo(f"\n{done}")


@audit.command()
@click.argument("audit_id", type=int)
@click.argument("question_id")
@click.argument("value")
@click.option("--comment", help="Comment stored with the answer.")
@click.option("--source", type=SOURCES, default="auditor", show_default=True)
@json_option
@pass_settings
def answer(
    settings: Settings,
    audit_id: int,
    question_id: str,
    value: str,
    comment: str | None,
    source: str,
    as_json: bool,
) -> None:
    """Record one answer (validated against the question)."""
    from auditkit.models.audit import Source

    stored = settings.workspace.audits.answer(audit_id, question_id, value, comment, Source(source))
    if as_json:
        print_json({"audit_id": audit_id, **stored.model_dump(mode="json")})
        return
    click.echo(safe(f"{question_id} = {stored.value}"))


@audit.command()
@click.argument("audit_id", type=int)
@click.argument("question_id")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    default="other",
    show_default=True,
    type=click.Choice(EVIDENCE_KINDS),
)
@click.option("--issued", type=click.DateTime(["%Y-%m-%d"]), help="Day the document was issued.")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), help="Day the document expires.")
@click.option("--note", help="Note on this attachment.")
@json_option
@pass_settings
def evidence(
    settings: Settings,
    audit_id: int,
    question_id: str,
    file: Path,
    kind: str,
    issued: dt.datetime | None,
    expires: dt.datetime | None,
    as_json: bool,
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
    if as_json:
        linked = {"audit_id": audit_id, "question_id": question_id}
        print_json({**linked, **item.model_dump(mode="json")})
        return
    click.echo(
        settings.words.cli(
            "evidence_linked",
            sha=item.sha256[:12],
            name=safe(item.name),
            size=item.size,
            question=question_id,
        )
    )


@audit.command()
@click.argument("audit_id", type=int)
@json_option
@pass_settings
def score(settings: Settings, audit_id: int, as_json: bool) -> None:
    """Score an audit: domains, overall, rating, recommendation; refresh its findings."""
    from auditkit.records import result_dict

    state, result = settings.workspace.audits.refresh_findings(audit_id)
    if as_json:
        view = result_dict(result, settings.words.render)
        print_json({"audit_id": audit_id, "vendor": state.vendor.name, **view})
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
    """The score table, verdict and reasons, in the chosen language."""
    from auditkit import catalogue

    words = catalogue.load(lang)
    click.echo(table(rows, columns(words, "score")))
    overall = "-" if result.overall is None else f"{result.overall:.1f}"
    line = words.cli("overall_line", overall=overall, tier=result.tier, rating=result.rating)
    click.echo(f"\n{line}")
    verdict = words.cli("recommendation_line", recommendation=result.recommendation)
    click.echo(style(verdict, bold=True))
    for reason in result.reasons:
        click.echo(f"  - {words.render(reason)}")
