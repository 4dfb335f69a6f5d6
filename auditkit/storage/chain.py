"""The change log's hash chain: every entry carries the SHA-256 of the one before it.

An entry's hash is SHA-256 over a canonical JSON serialisation of its fields and the previous
entry's hash (`GENESIS` for the first). Appends are serialised so that two writers can never
give two entries the same place in the chain: PostgreSQL takes a transaction-scoped advisory
lock, SQLite holds the database's single write lock from the start of the transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from auditkit.storage.schema import changes

GENESIS = "0" * 64
# pg_advisory_xact_lock key: the bytes "akchain\0" as a signed 64-bit integer
PG_LOCK_KEY = int.from_bytes(b"akchain\0", "big", signed=True)


@dataclass(frozen=True)
class Entry:
    """One change-log row as stored, chain columns included."""

    seq: int
    at: dt.datetime
    actor: str
    entity: str
    entity_id: str
    audit_id: int | None
    field: str
    old: Any
    new: Any
    prev_hash: str
    hash: str


def canonical_time(at: dt.datetime) -> str:
    """UTC, without offset: SQLite hands back naive UTC, PostgreSQL aware in its zone."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat()


def as_stored(value: Any) -> Any:
    """A JSON value exactly as the database hands it back (tuples become lists, keys text)."""
    return json.loads(json.dumps(value))


def entry_hash(
    seq: int,
    at: dt.datetime,
    actor: str,
    entity: str,
    entity_id: str,
    audit_id: int | None,
    field: str,
    old: Any,
    new: Any,
    prev_hash: str,
) -> str:
    document = {
        "seq": seq,
        "at": canonical_time(at),
        "actor": actor,
        "entity": entity,
        "entity_id": entity_id,
        "audit_id": audit_id,
        "field": field,
        "old": old,
        "new": new,
        "prev": prev_hash,
    }
    data = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def recompute(entry: Entry) -> str:
    return entry_hash(
        entry.seq,
        entry.at,
        entry.actor,
        entry.entity,
        entry.entity_id,
        entry.audit_id,
        entry.field,
        entry.old,
        entry.new,
        entry.prev_hash,
    )


def lock_head(conn: Connection) -> None:
    """Hold the chain until this transaction ends, so no other writer can append meanwhile."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        if raw is not None and not raw.in_transaction:  # nothing written yet: take the lock now
            conn.exec_driver_sql("BEGIN IMMEDIATE")


# built once: appends are frequent (one per changed answer in an import)
_HEAD = select(changes.c.seq, changes.c.hash).order_by(changes.c.seq.desc()).limit(1)
_APPEND = insert(changes)


def head(conn: Connection) -> tuple[int, str]:
    """The newest entry's place and hash, (0, GENESIS) for an empty log."""
    row = conn.execute(_HEAD).first()
    return (0, GENESIS) if row is None else (row.seq, row.hash)


def append(
    conn: Connection,
    at: dt.datetime,
    actor: str,
    entity: str,
    entity_id: str,
    audit_id: int | None,
    field: str,
    old: Any,
    new: Any,
) -> str:
    """Add one entry at the end of the chain, in the caller's transaction; returns its hash."""
    lock_head(conn)
    last_seq, prev = head(conn)
    seq, old, new = last_seq + 1, as_stored(old), as_stored(new)
    digest = entry_hash(seq, at, actor, entity, entity_id, audit_id, field, old, new, prev)
    conn.execute(
        _APPEND,
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "entity": entity,
            "entity_id": entity_id,
            "audit_id": audit_id,
            "field": field,
            "old": old,
            "new": new,
            "prev_hash": prev,
            "hash": digest,
        },
    )
    return digest


def entries(conn: Connection) -> list[Entry]:
    """The whole log in chain order."""
    rows = conn.execute(select(changes).order_by(changes.c.seq, changes.c.id))
    return [Entry(**{k: v for k, v in row._mapping.items() if k != "id"}) for row in rows]
