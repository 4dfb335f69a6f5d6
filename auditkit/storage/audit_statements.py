"""The statements `auditkit.storage.audit_reads` reads an audit with, one per `Shape`,
values bound by name; and `statement`, which gives any compiled-read shape's statement (these
or the listings')."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Integer, Select, String, bindparam, select

from auditkit.storage import audit_shapes as reads
from auditkit.storage import listings
from auditkit.storage.listing_reads import Convert, Params, Shape
from auditkit.storage.schema import (
    answers,
    audit_records,
    audits,
    checklist_contents,
    evidence,
    evidence_links,
    findings,
    vendors,
)


class ConnectionReader:
    """Runs compiled-read statements on a SQLAlchemy connection; remembers the shapes it ran."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.shapes: list[Shape] = []

    def rows(self, shape: Shape, params: Params) -> Sequence[Sequence[Any]]:
        self.shapes.append(shape)
        return self.conn.execute(statement(shape, self.conn.dialect.name), dict(params)).all()

    def stored(
        self, shape: Shape, params: Params
    ) -> tuple[Sequence[Sequence[Any]], Sequence[Convert | None]]:
        """The rows as SQLAlchemy gives them: nothing left to convert."""
        found = self.rows(shape, params)
        return found, [None] * len(statement(shape, self.conn.dialect.name).selected_columns)


def statement(shape: Shape, dialect: str = "sqlite") -> Select[Any]:
    """The shape's statement, an audit read's or a listing's."""
    build = _BUILDERS.get(shape)
    return listings.statement(shape, dialect) if build is None else _built(shape)


@lru_cache(maxsize=16)
def _built(shape: Shape) -> Select[Any]:
    return _BUILDERS[shape]()


def _audit() -> Select[Any]:
    query = select(*(audits.c[n] for n in reads.AUDIT_COLUMNS))
    return query.where(audits.c.id == bindparam("id", type_=Integer))


def _vendor() -> Select[Any]:
    query = select(*(vendors.c[n] for n in reads.VENDOR_COLUMNS))
    return query.where(vendors.c.id == bindparam("id", type_=Integer))


def _answers() -> Select[Any]:
    """An audit's answers in the order given."""
    return (
        select(*(answers.c[n] for n in reads.ANSWER_COLUMNS))
        .where(answers.c.audit_id == bindparam("audit", type_=Integer))
        .order_by(answers.c.id)
    )


def _links() -> Select[Any]:
    """An audit's evidence links, each question's in the order attached, with the file size."""
    columns = (evidence.c.size if n == "size" else evidence_links.c[n] for n in reads.LINK_COLUMNS)
    return (
        select(*columns)
        .join(evidence, evidence.c.sha256 == evidence_links.c.sha256)
        .where(evidence_links.c.audit_id == bindparam("audit", type_=Integer))
        .order_by(evidence_links.c.question_id, evidence_links.c.position)
    )


def _record() -> Select[Any]:
    return select(audit_records.c.content, audit_records.c.content_sha256).where(
        audit_records.c.audit_id == bindparam("audit", type_=Integer)
    )


def _checklist() -> Select[Any]:
    return select(checklist_contents.c.content).where(
        checklist_contents.c.sha256 == bindparam("sha", type_=String)
    )


def _latest_audit() -> Select[Any]:
    """The id of the vendor's newest audit."""
    return (
        select(audits.c.id)
        .where(audits.c.vendor_id == bindparam("vendor", type_=Integer))
        .order_by(audits.c.id.desc())
        .limit(1)
    )


def _findings() -> Select[Any]:
    return (
        select(*(findings.c[n] for n in reads.FINDING_COLUMNS))
        .where(findings.c.vendor_id == bindparam("vendor", type_=Integer))
        .order_by(findings.c.id)
    )


_BUILDERS: dict[Shape, Callable[[], Select[Any]]] = {
    reads.AUDIT: _audit,
    reads.VENDOR: _vendor,
    reads.ANSWERS: _answers,
    reads.LINKS: _links,
    reads.RECORD: _record,
    reads.CHECKLIST: _checklist,
    reads.LATEST_AUDIT: _latest_audit,
    reads.FINDINGS: _findings,
}
