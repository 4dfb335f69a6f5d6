"""The stored headline results of final audits, and the listings that show them (one query
each, however many vendors)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import Connection, RowMapping, func, insert, select

from auditkit.models.audit import AuditStatus, FinalScore
from auditkit.models.vendor import Vendor
from auditkit.storage.repository import vendor_from_row
from auditkit.storage.schema import audit_scores, audits, vendors

_COLUMNS = (
    audit_scores.c.audit_id.label("score_audit_id"),
    audit_scores.c.overall,
    audit_scores.c.rating,
    audit_scores.c.recommendation,
)


def _score(m: RowMapping) -> FinalScore | None:
    if m["score_audit_id"] is None:
        return None
    return FinalScore(m["score_audit_id"], m["overall"], m["rating"], m["recommendation"])


def save(conn: Connection, score: FinalScore) -> None:
    """Stored once, in the transaction that makes the audit final."""
    conn.execute(insert(audit_scores).values(**asdict(score)))


def vendors_scored(conn: Connection) -> list[tuple[Vendor, FinalScore | None]]:
    """Every vendor with the stored result of its latest final audit."""
    latest = (
        select(audits.c.vendor_id, func.max(audits.c.id).label("audit_id"))
        .where(audits.c.status == AuditStatus.FINAL.value)
        .group_by(audits.c.vendor_id)
        .subquery()
    )
    query = (
        select(vendors, *_COLUMNS)
        .outerjoin(latest, latest.c.vendor_id == vendors.c.id)
        .outerjoin(audit_scores, audit_scores.c.audit_id == latest.c.audit_id)
        .order_by(vendors.c.id)
    )
    return [(vendor_from_row(r), _score(r._mapping)) for r in conn.execute(query)]


def by_audit(conn: Connection, vendor_id: int | None = None) -> dict[int, FinalScore]:
    """The stored results of final audits (of one vendor), by audit id."""
    query = select(*_COLUMNS)
    if vendor_id is not None:
        query = query.join(audits, audits.c.id == audit_scores.c.audit_id).where(
            audits.c.vendor_id == vendor_id
        )
    return {s.audit_id: s for r in conn.execute(query) if (s := _score(r._mapping))}
