"""The change log: every write is logged in the same transaction (append-only and
hash-chained: see chain.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select

from auditkit.models.audit import (
    Change,
)
from auditkit.storage import chain
from auditkit.storage.schema import changes


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


_CHAIN_COLUMNS = ("id", "seq", "prev_hash", "hash")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return getattr(value, "value", value)


def log(
    conn: Connection,
    actor: str,
    entity: str,
    entity_id: object,
    field: str,
    old: Any,
    new: Any,
    audit_id: int | None = None,
) -> None:
    chain.append(
        conn, now(), actor, entity, str(entity_id), audit_id, field, _jsonable(old), _jsonable(new)
    )


def list_changes(conn: Connection, audit_id: int | None = None) -> list[Change]:
    query = select(changes).order_by(changes.c.seq)
    if audit_id is not None:
        query = query.where(changes.c.audit_id == audit_id)
    return [
        Change(**{k: v for k, v in row._mapping.items() if k not in _CHAIN_COLUMNS})
        for row in conn.execute(query)
    ]
