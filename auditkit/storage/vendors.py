"""Vendors: reads and writes, each write logged."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from auditkit import catalogue
from auditkit.errors import Conflict
from auditkit.models.vendor import Vendor
from auditkit.storage import audit_reads, listings
from auditkit.storage.change_log import log, now
from auditkit.storage.schema import vendors


def _vendor(row: Row[Any]) -> Vendor:
    return audit_reads.vendor_from(row._mapping)


def _vendor_columns(vendor: Vendor) -> dict[str, Any]:
    return {
        "name": vendor.name,
        "services": [s.value for s in vendor.services],
        "contact_name": vendor.contact_name,
        "contact_email": vendor.contact_email,
        **vendor.profile.model_dump(),
    }


def add_vendor(conn: Connection, vendor: Vendor, actor: str) -> Vendor:
    if conn.execute(select(vendors.c.id).where(vendors.c.name == vendor.name)).first():
        raise catalogue.error(Conflict, "vendor_exists", name=repr(vendor.name))
    new_id = conn.execute(
        insert(vendors).values(**_vendor_columns(vendor), created_at=now())
    ).inserted_primary_key[0]  # type: ignore[index]
    log(conn, actor, "vendor", new_id, "created", None, _vendor_columns(vendor))
    return vendor.model_copy(update={"id": new_id})


def get_vendor(conn: Connection, ref: str | int) -> Vendor:
    """By numeric id or exact name."""
    text = str(ref).strip()
    row = conn.execute(select(vendors).where(listings.vendor_where(text))).first()
    if row is None:
        raise listings.no_vendor(text)
    return _vendor(row)


def list_vendors(
    conn: Connection,
    limit: int | None = None,
    offset: int = 0,
    ids: Iterable[int] | None = None,
) -> list[Vendor]:
    """Vendors by id; a page of them with `limit`/`offset`, or just those in `ids`."""
    query = select(vendors).order_by(vendors.c.id).limit(limit).offset(offset or None)
    if ids is not None:
        query = query.where(vendors.c.id.in_(sorted(set(ids))))
    return [_vendor(r) for r in conn.execute(query)]


def update_vendor(conn: Connection, old: Vendor, new: Vendor, actor: str) -> Vendor:
    before, after = _vendor_columns(old), _vendor_columns(new)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if (
        "name" in changed
        and conn.execute(
            select(vendors.c.id).where(vendors.c.name == new.name, vendors.c.id != old.id)
        ).first()
    ):
        raise catalogue.error(Conflict, "vendor_exists", name=repr(new.name))
    if changed:
        conn.execute(update(vendors).where(vendors.c.id == old.id).values(**changed))
        for key, value in changed.items():
            log(conn, actor, "vendor", old.id, key, before[key], value)
    return new.model_copy(update={"id": old.id})
