"""Which vendors are due for review: last final audit + the review cycle of their tier."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from auditkit.models.vendor import Vendor
from auditkit.risk import inherent_risk
from auditkit.services.evidence import EvidenceEntry, relied_on
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
    # evidence of the latest final audit that has expired or expires within the "soon" days:
    # a reason to review early (an expired PCI AOC, SOC 2 report, pentest letter ...)
    evidence: tuple[EvidenceEntry, ...] = field(default=())


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
    """Every vendor with its next review date, most urgent first; within a state, vendors
    whose evidence has expired or expires soon come first."""
    with transaction(db, readonly=True) as conn:
        vendors = repo.list_vendors(conn)
        finals = repo.last_final_dates(conn)
        evidence = relied_on(conn)
    rows = []
    for vendor in vendors:
        risk = inherent_risk(vendor.profile)
        last = finals.get(vendor.id or 0)
        next_due, state = review_state(last, risk.review_months, today, soon_days)
        lapsing = tuple(
            sorted(
                (
                    e
                    for e in evidence.get(vendor.id or 0, [])
                    if (left := e.days_left(today)) is not None and left <= soon_days
                ),
                key=lambda e: (e.evidence.expires, e.evidence.name),
            )
        )
        rows.append(ReviewDue(vendor, risk.tier, last, next_due, state, lapsing))
    order = {"never_reviewed": 0, "overdue": 1, "due_soon": 2, "current": 3}
    rows.sort(key=lambda r: (order[r.state], not r.evidence, r.due or dt.date.min, r.vendor.name))
    return rows[offset : None if limit is None else offset + limit]
