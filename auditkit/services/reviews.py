"""Which vendors are due for review: last final audit + the review cycle of their tier."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from auditkit.models.vendor import Vendor
from auditkit.risk import inherent_risk
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction

DueState = Literal["never_reviewed", "overdue", "due_soon", "current"]


@dataclass(frozen=True)
class ReviewDue:
    vendor: Vendor
    tier: int
    last_final: dt.date | None
    due: dt.date | None
    state: DueState


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
) -> list[ReviewDue]:
    """Every vendor with its next review date, most urgent first."""
    with transaction(db, readonly=True) as conn:
        vendors = repo.list_vendors(conn)
        finals = repo.last_final_dates(conn)
    rows = []
    for vendor in vendors:
        risk = inherent_risk(vendor.profile)
        last = finals.get(vendor.id or 0)
        next_due, state = review_state(last, risk.review_months, today, soon_days)
        rows.append(ReviewDue(vendor, risk.tier, last, next_due, state))
    order = {"never_reviewed": 0, "overdue": 1, "due_soon": 2, "current": 3}
    rows.sort(key=lambda r: (order[r.state], r.due or dt.date.min, r.vendor.name))
    return rows[offset : None if limit is None else offset + limit]
