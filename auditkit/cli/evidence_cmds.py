"""`auditkit evidence list` (the evidence register) and `auditkit audit verify-answer`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from auditkit.cli.settings import (
    Settings,
    columns,
    json_option,
    page_options,
    pass_settings,
    print_json,
    safe,
    table,
)

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue
    from auditkit.models.audit import Evidence, Knowledge
    from auditkit.services.evidence import EvidenceEntry
    from auditkit.services.verification import Verified

VERIFY_HOW = ("interview", "demo", "onsite")


def evidence_dict(item: Evidence, questions: list[str], today: dt.date) -> dict[str, Any]:
    """One file as `--json` shows it, wherever it is listed."""
    return {
        "name": item.name,
        "kind": item.kind,
        "sha256": item.sha256,
        "size": item.size,
        "issued": item.issued.isoformat() if item.issued else None,
        "expires": item.expires.isoformat() if item.expires else None,
        "expired": not item.valid_on(today),
        "note": item.note,
        "questions": questions,
    }


def evidence_cells(words: Catalogue, item: Evidence, today: dt.date) -> list[str]:
    """File name, kind, short SHA-256, issued and expiry (marked when expired)."""
    expires = item.expires.isoformat() if item.expires else "-"
    if not item.valid_on(today):
        expires = words.cli("expired_mark", day=expires)
    issued = item.issued.isoformat() if item.issued else "-"
    kind = words.get("evidence_kinds", item.kind)
    return [item.name, kind, item.sha256[:16], issued, expires]


def entry_dict(entry: EvidenceEntry, today: dt.date) -> dict[str, Any]:
    return {
        "vendor": entry.vendor,
        "vendor_id": entry.vendor_id,
        "audit_id": entry.audit_id,
        "audit_status": entry.audit_status,
        **evidence_dict(entry.evidence, list(entry.questions), today),
        "days_left": entry.days_left(today),
    }


@click.group()
def evidence() -> None:
    """The evidence register: files, their validity and the questions they support."""


@evidence.command("list")
@click.option("--vendor", "vendor_ref", help="Only this vendor's audits.")
@click.option("--audit", "audit_id", type=int, help="Only this audit.")
@click.option(
    "--expiring",
    "expiring_days",
    type=click.IntRange(0),
    metavar="DAYS",
    help="Only files that expire within DAYS from today.",
)
@click.option("--expired", is_flag=True, help="Only expired files (with --expiring: both).")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="Judge expiry on this day (default today)."
)
@page_options
@json_option
@pass_settings
def list_(
    settings: Settings,
    vendor_ref: str | None,
    audit_id: int | None,
    expiring_days: int | None,
    expired: bool,
    today: dt.datetime | None,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    """List evidence files by expiry, soonest first: vendor, audit, file, kind, SHA-256, issued,
    expiry and the questions each supports (a final audit's as frozen at sign-off)."""
    day = today.date() if today else dt.date.today()
    rows = settings.workspace.audits.evidence(
        vendor_ref, audit_id, expiring_days, expired, day, limit, offset
    )
    if as_json:
        print_json([entry_dict(e, day) for e in rows])
        return
    words = settings.words
    if not rows:
        click.echo(words.cli("no_evidence"))
        return
    body = [
        [e.vendor, e.audit_id, *evidence_cells(words, e.evidence, day), ", ".join(e.questions)]
        for e in rows
    ]
    click.echo(table(body, columns(words, "register")))


def verified_dict(done: Verified) -> dict[str, Any]:
    (k0, k1), (s0, s1), (d0, d1), (o0, o1) = (
        done.knowledge,
        done.score,
        done.domain_score,
        done.overall,
    )
    check = done.answer.verification
    return {
        "question_id": done.answer.question_id,
        "verification": None if check is None else check.model_dump(mode="json"),
        "domain": done.domain,
        "knowledge": {"before": k0, "after": k1},
        "score": {"before": s0, "after": s1},
        "domain_score": {"before": d0, "after": d1},
        "overall": {"before": o0, "after": o1},
    }


def _num(value: float | None, scale: float = 1.0) -> str:
    return "-" if value is None else f"{value * scale:.1f}"


@click.command("verify-answer")
@click.argument("audit_id", type=int)
@click.argument("question_id")
@click.option(
    "--how", type=click.Choice(VERIFY_HOW), required=True, help="How the auditor checked it."
)
@click.option("--note", help="What was seen or heard (stored and logged with the answer).")
@json_option
@pass_settings
def verify_answer(
    settings: Settings, audit_id: int, question_id: str, how: str, note: str | None, as_json: bool
) -> None:
    """Mark an answer verified by the auditor (interview, demo or on-site visit).

    A verified answer counts in full under the confidence rules, and lets a critical control
    pass without evidence. Logged; refused on a final audit. Changing the answer's value later
    drops the verification.
    """
    done = settings.workspace.audits.verify_answer(audit_id, question_id, how, note)
    if as_json:
        print_json({"audit_id": audit_id, **verified_dict(done)})
        return
    words = settings.words
    (k0, k1), (s0, s1), (d0, d1) = done.knowledge, done.score, done.domain_score
    by = settings.actor
    click.echo(
        safe(words.cli("answer_verified", question=question_id, how=words.cli(f"how_{how}"), by=by))
    )
    click.echo(
        words.cli(
            "verified_change",
            before=known_label(words, k0),
            after=known_label(words, k1),
            s0=_num(s0, 100),
            s1=_num(s1, 100),
            domain=done.domain,
            d0=_num(d0),
            d1=_num(d1),
        )
    )


def known_label(words: Catalogue, kind: Knowledge | None) -> str:
    """How an answer is known, in words ("verified by the auditor")."""
    return "-" if kind is None else words.get("labels", f"known_{kind.value}")
