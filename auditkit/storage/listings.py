"""The listing queries: only the columns a listing shows, filtered, ordered and paged in SQL,
read as plain rows (no model object per row), each listing one query however many rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    Text,
    and_,
    case,
    cast,
    extract,
    func,
    or_,
    select,
)

from auditkit import catalogue
from auditkit.errors import NotFound
from auditkit.models.listing import (
    AUDIT_FIELDS,
    FINDING_FIELDS,
    AuditRow,
    FinalScore,
    FindingRow,
    LapsingFile,
    VendorRow,
)
from auditkit.models.states import AuditStatus, FindingStatus
from auditkit.risk import (
    ACCESS_POINTS,
    CARD_DATA_POINTS,
    CRITICALITY_POINTS,
    PERSONAL_DATA_POINTS,
    REVIEW_MONTHS,
    TIER_1_MIN,
    TIER_2_MIN,
)
from auditkit.storage.schema import audit_scores, audits, findings, vendors

FINAL = AuditStatus.FINAL.value
_SCORE = (
    audit_scores.c.audit_id,
    audit_scores.c.overall,
    audit_scores.c.rating,
    audit_scores.c.recommendation,
)
_PROFILE = (
    vendors.c.handles_card_data,
    vendors.c.personal_data,
    vendors.c.system_access,
    vendors.c.criticality,
)


def vendor_where(text: str) -> ColumnElement[bool]:
    """A vendor given by numeric id or exact name."""
    return vendors.c.id == int(text) if text.isdigit() else vendors.c.name == text


def no_vendor(text: str) -> NotFound:
    return catalogue.error(NotFound, "no_vendor", vendor=repr(text))


def vendor_id(conn: Connection, ref: str | int) -> int:
    """The id of the vendor given by id or exact name."""
    text = str(ref).strip()
    found = conn.execute(select(vendors.c.id).where(vendor_where(text))).scalar()
    if found is None:
        raise no_vendor(text)
    return int(found)


def _score(values: tuple[Any, ...]) -> FinalScore | None:
    return None if values[0] is None else FinalScore(*values)


def _page(query: Select[Any], limit: int | None, offset: int) -> Select[Any]:
    return query.limit(limit).offset(offset or None)


_JSON_COLUMNS = frozenset({"checklists", "profile", "checklist_hashes"})


@lru_cache(maxsize=1024)
def _json(text: str | None) -> Any:
    """A JSON column's value, decoded once per distinct text: audits mostly share their
    checklist versions, hashes and profile, so 30,000 rows hold a few hundred distinct values
    (rows share the decoded value: treat it as read-only)."""
    return None if text is None else json.loads(text)


def _audit_columns() -> list[ColumnElement[Any]]:
    """The audit's columns, JSON ones read as their text (decoded by `_json`)."""
    return [cast(audits.c[f], Text) if f in _JSON_COLUMNS else audits.c[f] for f in AUDIT_FIELDS]


_AUDIT_JSON = tuple(i for i, f in enumerate(AUDIT_FIELDS) if f in _JSON_COLUMNS)


def _audit_row(values: tuple[Any, ...]) -> AuditRow:
    fields = list(values[: len(AUDIT_FIELDS) + 1])
    for index in _AUDIT_JSON:
        fields[index] = _json(fields[index])
    return AuditRow._make((*fields, _score(values[len(AUDIT_FIELDS) + 1 :])))


def vendor_rows(conn: Connection, limit: int | None = None, offset: int = 0) -> list[VendorRow]:
    """Vendors by id, each with the stored result of its newest final audit."""
    latest = (
        select(func.max(audits.c.id))
        .where(audits.c.vendor_id == vendors.c.id, audits.c.status == FINAL)
        .scalar_subquery()
    )
    query = (
        select(
            vendors.c.id,
            vendors.c.name,
            vendors.c.services,
            vendors.c.contact_name,
            vendors.c.contact_email,
            *_PROFILE,
            *_SCORE,
        )
        .select_from(vendors.outerjoin(audit_scores, audit_scores.c.audit_id == latest))
        .order_by(vendors.c.id)
    )
    rows = conn.execute(_page(query, limit, offset)).all()
    return [VendorRow._make((*r[:9], _score(r[9:]))) for r in rows]


def audit_rows(
    conn: Connection, vendor: int | None = None, limit: int | None = None, offset: int = 0
) -> list[AuditRow]:
    """Audits by id with their vendor's name and, for final ones, the stored result."""
    query = (
        select(*_audit_columns(), vendors.c.name, *_SCORE)
        .join(vendors, vendors.c.id == audits.c.vendor_id)
        .outerjoin(audit_scores, audit_scores.c.audit_id == audits.c.id)
        .order_by(audits.c.id)
    )
    if vendor is not None:
        query = query.where(audits.c.vendor_id == vendor)
    return [_audit_row(r) for r in conn.execute(_page(query, limit, offset)).all()]


def finding_rows(
    conn: Connection,
    vendor: int | None = None,
    open_only: bool = False,
    audit: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FindingRow]:
    """Findings by id with their vendor's name."""
    query = (
        select(*(findings.c[f] for f in FINDING_FIELDS), vendors.c.name)
        .join(vendors, vendors.c.id == findings.c.vendor_id)
        .order_by(findings.c.id)
    )
    if vendor is not None:
        query = query.where(findings.c.vendor_id == vendor)
    if audit is not None:
        query = query.where(findings.c.audit_id == audit)
    if open_only:
        query = query.where(findings.c.status == FindingStatus.OPEN.value)
    return [FindingRow._make(r) for r in conn.execute(_page(query, limit, offset)).all()]


def due_rows(
    conn: Connection, today: dt.date, soon: dt.date, limit: int | None = None, offset: int = 0
) -> list[tuple[int, str, bool, str, str, str, dt.date | None]]:
    """Vendors most urgent first: never reviewed, overdue (next review before `today`), due
    soon (on or before `soon`), current; then by next review date and name. The next review
    (newest final audit's date plus the tier's cycle, day clamped to the month's end) is
    worked out in SQL, so only the page is read. Rows: id, name, the four profile facts,
    the newest final audit's date."""
    finals = (
        select(audits.c.vendor_id, func.max(audits.c.as_of).label("last"))
        .where(audits.c.status == FINAL)
        .group_by(audits.c.vendor_id)
        .subquery()
    )
    base = (
        select(vendors.c.id, vendors.c.name, *_PROFILE, finals.c["last"], _tier().label("tier"))
        .outerjoin(finals, finals.c.vendor_id == vendors.c.id)
        .offset(0)  # OFFSET 0: computed once per row, not copied into every use below
        .subquery()
    )
    months = _lookup(base.c.tier, REVIEW_MONTHS)
    parts = (cast(extract(p, base.c["last"]), Integer) for p in ("year", "month", "day"))
    year, month, day = parts
    total = year * 12 + (month - 1) + months
    dated = (
        select(base, (total // 12).label("y"), (total % 12 + 1).label("m"), day.label("d"))
        .offset(0)
        .subquery()
    )
    y, m, d = dated.c.y, dated.c.m, dated.c.d
    leap = case((or_(and_(y % 4 == 0, y % 100 != 0), y % 400 == 0), 1), else_=0)
    month_days = case((m == 2, 28 + leap), (m.in_([4, 6, 9, 11]), 30), else_=31)
    key = y * 10000 + m * 100 + case((d > month_days, month_days), else_=d)
    state = case(
        (dated.c["last"].is_(None), 0),
        (key < _day_key(today), 1),
        (key <= _day_key(soon), 2),
        else_=3,
    )
    name: ColumnElement[Any] = dated.c.name
    if conn.dialect.name == "postgresql":  # code point order, as Python sorts names
        name = name.collate("C")
    query = select(
        dated.c.id,
        dated.c.name,
        *(dated.c[c.name] for c in _PROFILE),
        dated.c["last"],
    ).order_by(state, func.coalesce(key, 0), name)
    return [(*r[:6], _date(r[6])) for r in conn.execute(_page(query, limit, offset)).all()]


def _tier() -> ColumnElement[int]:
    """`auditkit.risk.inherent_risk`'s tier, from the same point tables."""
    card = vendors.c.handles_card_data
    points = (
        case((card, CARD_DATA_POINTS), else_=0)
        + _lookup(vendors.c.personal_data, PERSONAL_DATA_POINTS)
        + _lookup(vendors.c.system_access, ACCESS_POINTS)
        + _lookup(vendors.c.criticality, CRITICALITY_POINTS)
    )
    return case((or_(card, points >= TIER_1_MIN), 1), (points >= TIER_2_MIN, 2), else_=3)


def _lookup(column: ColumnElement[Any], table: Mapping[Any, int]) -> ColumnElement[int]:
    return case(*((column == k, v) for k, v in table.items()), else_=0)


def _day_key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _date(value: Any) -> dt.date | None:
    """A date read back (SQLite's max() gives the stored text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def lapsing_files(conn: Connection, until: dt.date) -> list[LapsingFile]:
    """Evidence of each vendor's latest final audit that expires on or before `until` (one
    query, whatever the number of vendors). A final audit's links cannot change after
    sign-off, so they say what its frozen record says."""
    from auditkit.storage.schema import audits, evidence_links

    latest = (
        select(audits.c.vendor_id, func.max(audits.c.id).label("audit_id"))
        .where(audits.c.status == "final")
        .group_by(audits.c.vendor_id)
        .subquery()
    )
    query = (
        select(
            latest.c.vendor_id,
            evidence_links.c.audit_id,
            evidence_links.c.name,
            evidence_links.c.kind,
            evidence_links.c.sha256,
            evidence_links.c.expires,
            evidence_links.c.question_id,
        )
        .join(latest, latest.c.audit_id == evidence_links.c.audit_id)
        .where(evidence_links.c.expires.is_not(None), evidence_links.c.expires <= until)
        .order_by(evidence_links.c.expires, evidence_links.c.name, evidence_links.c.question_id)
    )
    found: dict[tuple[int, str], LapsingFile] = {}
    for vendor_id, audit_id, name, kind, sha, expires, question in conn.execute(query):
        day = expires if isinstance(expires, dt.date) else dt.date.fromisoformat(str(expires))
        key = (vendor_id, sha)
        known = found.get(key)
        questions = (*known.questions, question) if known else (question,)
        found[key] = LapsingFile(vendor_id, audit_id, name, kind, sha, day, questions)
    return list(found.values())
