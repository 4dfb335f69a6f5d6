"""Which vendors are due for review: last final audit + the review cycle of their tier."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from auditkit.models.listing import DueRow, LapsingFile
from auditkit.services.listings import risk_of
from auditkit.storage import listing_reads
from auditkit.storage.reads import read

DueState = Literal["never_reviewed", "overdue", "due_soon", "current"]


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_state(
    last: dt.date | None, months: int, today: dt.date, soon_days: int
) -> tuple[dt.date | None, DueState]:
    if last is None:
        return None, "never_reviewed"
    due = add_months(last, months)
    if due < today:
        return due, "overdue"
    if (due - today).days <= soon_days:
        return due, "due_soon"
    return due, "current"


def due(
    db: str | None,
    today: dt.date,
    soon_days: int = 60,
    limit: int | None = None,
    offset: int = 0,
) -> list[DueRow]:
    """Every vendor (a page of them with `limit`/`offset`) with its next review date, most
    urgent first: the order and the page come from one query."""
    soon = today + dt.timedelta(days=soon_days)
    found = read(db, lambda reader: listing_reads.due_rows(reader, today, soon, limit, offset))
    rows = []
    for vendor_id, name, card, personal, access, criticality, last in found:
        risk = risk_of(card, personal, access, criticality)
        next_due, state = review_state(last, risk.review_months, today, soon_days)
        rows.append(DueRow(name, vendor_id, risk.tier, last, next_due, state))
    return rows


def lapsing(db: str | None, today: dt.date, soon_days: int) -> dict[int, list[LapsingFile]]:
    """Per vendor, the files of its latest final audit that have expired or expire within
    `soon_days`, soonest first: a reason to review early (one query)."""
    until = today + dt.timedelta(days=soon_days)
    files = read(db, lambda reader: listing_reads.lapsing_files(reader, until))
    out: dict[int, list[LapsingFile]] = {}
    for item in files:
        out.setdefault(item.vendor_id, []).append(item)
    return out
