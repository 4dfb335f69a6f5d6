"""The listing use cases: vendors, audits and findings read as plain rows, a page at a time
(`limit`/`offset`), each one query however many rows there are; or as a `Table` of the values
as read, for output written a column at a time."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import NamedTuple, TypeVar

from auditkit.models.listing import AuditLine, AuditRow, FindingLine, FindingRow, Table, VendorRow
from auditkit.risk import InherentRisk, inherent_risk
from auditkit.storage import listing_reads
from auditkit.storage.listing_reads import Reader
from auditkit.storage.reads import read

T = TypeVar("T")


class _Profile(NamedTuple):
    handles_card_data: bool
    personal_data: str
    system_access: str
    criticality: str


@cache
def risk_of(card: bool, personal: str, access: str, criticality: str) -> InherentRisk:
    """Inherent risk of a profile (a few dozen profiles exist: each worked out once)."""
    return inherent_risk(_Profile(bool(card), personal, access, criticality))


def vendor_risk(row: VendorRow) -> InherentRisk:
    return risk_of(row.handles_card_data, row.personal_data, row.system_access, row.criticality)


def vendors(db: str | None, limit: int | None = None, offset: int = 0) -> list[VendorRow]:
    """Vendors by id, with their newest final audit's stored result."""
    return read(db, lambda reader: listing_reads.vendor_rows(reader, limit, offset))


def vendor_table(db: str | None, limit: int | None = None, offset: int = 0) -> Table:
    """The vendors of `vendors` as read."""
    return read(db, lambda reader: listing_reads.vendor_table(reader, limit, offset))


def audits(
    db: str | None, vendor_ref: str | None = None, limit: int | None = None, offset: int = 0
) -> list[AuditRow]:
    """Audits by id (of one vendor), with the vendor's name and final audits' results."""
    return _of_vendor(db, vendor_ref, lambda r, v: listing_reads.audit_rows(r, v, limit, offset))


def audit_table(
    db: str | None, vendor_ref: str | None = None, limit: int | None = None, offset: int = 0
) -> Table:
    """The audits of `audits` as read."""
    return _of_vendor(db, vendor_ref, lambda r, v: listing_reads.audit_table(r, v, limit, offset))


def audit_lines(
    db: str | None, vendor_ref: str | None = None, limit: int | None = None, offset: int = 0
) -> list[AuditLine]:
    """The audits of `audits`, only what `audit list` shows as text (a lighter read)."""
    return _of_vendor(db, vendor_ref, lambda r, v: listing_reads.audit_lines(r, v, limit, offset))


def findings(
    db: str | None,
    vendor_ref: str | None = None,
    open_only: bool = False,
    audit_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FindingRow]:
    """Findings by id (of one vendor, of one audit, open ones), with the vendor's name."""
    where = (open_only, audit_id, limit, offset)
    return _of_vendor(db, vendor_ref, lambda r, v: listing_reads.finding_rows(r, v, *where))


def finding_table(
    db: str | None,
    vendor_ref: str | None = None,
    open_only: bool = False,
    audit_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Table:
    """The findings of `findings` as read."""
    where = (open_only, audit_id, limit, offset)
    return _of_vendor(db, vendor_ref, lambda r, v: listing_reads.finding_table(r, v, *where))


def finding_lines(
    db: str | None,
    vendor_ref: str | None = None,
    open_only: bool = False,
    audit_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FindingLine]:
    """The findings of `findings`, only what `findings list` shows as text (a lighter read)."""
    where = (open_only, audit_id, limit, offset)
    return _of_vendor(db, vendor_ref, lambda r, v: listing_reads.finding_lines(r, v, *where))


def _of_vendor(
    db: str | None, vendor_ref: str | None, rows: Callable[[Reader, int | None], T]
) -> T:
    """`rows` of the vendor given by id or name (all vendors' without one), in one snapshot."""

    def work(reader: Reader) -> T:
        vendor = listing_reads.vendor_id(reader, vendor_ref) if vendor_ref else None
        return rows(reader, vendor)

    return read(db, work)
