"""The listing statements: only the columns a listing shows, filtered, ordered and paged in SQL,
each listing one statement however many rows. A statement is built once per `Shape` (see
`auditkit.storage.listing_reads`, which shapes the rows) with its values as named bind
parameters, so the same statement serves every call and can be compiled once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    extract,
    func,
    or_,
    select,
)

from auditkit.models.listing import AUDIT_FIELDS, FINDING_FIELDS, FindingLine
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
from auditkit.storage.listing_reads import JSON_COLUMNS, Shape, no_vendor
from auditkit.storage.schema import audit_scores, audits, evidence_links, findings, vendors

__all__ = ["no_vendor", "statement", "vendor_where"]

FINAL = AuditStatus.FINAL.value
FINDING_LINE_FIELDS = FindingLine._fields[2:]  # after the id and the vendor's name
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


@lru_cache(maxsize=64)
def statement(shape: Shape, dialect: str = "sqlite") -> Select[Any]:
    """The shape's statement; its parameters are bound by name (`:limit`, `:vendor`, ...)."""
    options = frozenset(shape.options)
    query = _BUILDERS[shape.listing](options, dialect)
    if "limit" in options:
        query = query.limit(bindparam("limit", type_=Integer))
    if "offset" in options:
        query = query.offset(bindparam("offset", type_=Integer))
    return query


def _vendor_id(options: frozenset[str], _dialect: str) -> Select[Any]:
    if "id" in options:
        return select(vendors.c.id).where(vendors.c.id == bindparam("id", type_=Integer))
    return select(vendors.c.id).where(vendors.c.name == bindparam("name", type_=Text))


def _vendors(_options: frozenset[str], _dialect: str) -> Select[Any]:
    """Vendors by id, each with the stored result of its newest final audit (services read as
    their JSON text, decoded once per distinct value by `listing_reads`)."""
    latest = (
        select(func.max(audits.c.id))
        .where(audits.c.vendor_id == vendors.c.id, audits.c.status == FINAL)
        .scalar_subquery()
    )
    return (
        select(
            vendors.c.id,
            vendors.c.name,
            _column(vendors, "services"),
            vendors.c.contact_name,
            vendors.c.contact_email,
            *_PROFILE,
            *_SCORE,
        )
        .select_from(vendors.outerjoin(audit_scores, audit_scores.c.audit_id == latest))
        .order_by(vendors.c.id)
    )


def _audits(options: frozenset[str], _dialect: str) -> Select[Any]:
    """Audits by id with their vendor's name and, for final ones, the stored result; JSON
    columns read as their text (decoded once per distinct value by `listing_reads`)."""
    columns = [_column(audits, f) for f in AUDIT_FIELDS]
    return _audits_of(select(*columns, vendors.c.name, *_SCORE), options)


def _audit_lines(options: frozenset[str], _dialect: str) -> Select[Any]:
    """The same audits, only what the text table shows (`AuditLine`)."""
    head = (audits.c.id, vendors.c.name, audits.c.status, audits.c.as_of)
    return _audits_of(select(*head, _column(audits, "checklists"), *_SCORE), options)


def _column(table: Table, field: str) -> ColumnElement[Any]:
    """A column as a listing reads it: a JSON column as its text (`JSON_COLUMNS`)."""
    column = table.c[field]
    return cast(column, Text).label(field) if field in JSON_COLUMNS else column


def _audits_of(query: Select[Any], options: frozenset[str]) -> Select[Any]:
    query = (
        query.join(vendors, vendors.c.id == audits.c.vendor_id)
        .outerjoin(audit_scores, audit_scores.c.audit_id == audits.c.id)
        .order_by(audits.c.id)
    )
    if "vendor" in options:
        query = query.where(audits.c.vendor_id == bindparam("vendor", type_=Integer))
    return query


def _findings(options: frozenset[str], _dialect: str) -> Select[Any]:
    """Findings by id with their vendor's name."""
    return _findings_of(select(*(findings.c[f] for f in FINDING_FIELDS), vendors.c.name), options)


def _finding_lines(options: frozenset[str], _dialect: str) -> Select[Any]:
    """The same findings, only what the text table shows (`FindingLine`)."""
    columns = (findings.c[f] for f in FINDING_LINE_FIELDS)
    return _findings_of(select(findings.c.id, vendors.c.name, *columns), options)


def _findings_of(query: Select[Any], options: frozenset[str]) -> Select[Any]:
    query = query.join(vendors, vendors.c.id == findings.c.vendor_id).order_by(findings.c.id)
    if "vendor" in options:
        query = query.where(findings.c.vendor_id == bindparam("vendor", type_=Integer))
    if "audit" in options:
        query = query.where(findings.c.audit_id == bindparam("audit", type_=Integer))
    if "open" in options:
        query = query.where(findings.c.status == FindingStatus.OPEN.value)
    return query


def _due(_options: frozenset[str], dialect: str) -> Select[Any]:
    """Vendors most urgent first (see `listing_reads.due_rows`). The next review (newest final
    audit's date plus the tier's cycle, day clamped to the month's end) is worked out in SQL,
    so only the page is read; `:today` and `:soon` are days as YYYYMMDD numbers."""
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
        (key < bindparam("today", type_=Integer), 1),
        (key <= bindparam("soon", type_=Integer), 2),
        else_=3,
    )
    name: ColumnElement[Any] = dated.c.name
    if dialect == "postgresql":  # code point order, as Python sorts names
        name = name.collate("C")
    return select(
        dated.c.id,
        dated.c.name,
        *(dated.c[c.name] for c in _PROFILE),
        dated.c["last"],
    ).order_by(state, func.coalesce(key, 0), name)


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


def _lapsing(_options: frozenset[str], _dialect: str) -> Select[Any]:
    """Evidence links of each vendor's latest final audit that expire on or before `:until`."""
    latest = (
        select(audits.c.vendor_id, func.max(audits.c.id).label("audit_id"))
        .where(audits.c.status == FINAL)
        .group_by(audits.c.vendor_id)
        .subquery()
    )
    return (
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
        .where(
            evidence_links.c.expires.is_not(None),
            evidence_links.c.expires <= bindparam("until", type_=Date),
        )
        .order_by(evidence_links.c.expires, evidence_links.c.name, evidence_links.c.question_id)
    )


_BUILDERS: dict[str, Callable[[frozenset[str], str], Select[Any]]] = {
    "vendor_id": _vendor_id,
    "vendors": _vendors,
    "audits": _audits,
    "audit_lines": _audit_lines,
    "findings": _findings,
    "finding_lines": _finding_lines,
    "due": _due,
    "lapsing": _lapsing,
}
