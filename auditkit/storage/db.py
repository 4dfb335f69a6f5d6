"""Transactions over the configured database, with storage errors made readable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from auditkit.errors import StorageError
from auditkit.storage.engine import describe, display_name, open_engine

__all__ = ["Connection", "close", "engine_for", "transaction"]

_engines: dict[str | None, Engine] = {}


def engine_for(db: str | None) -> Engine:
    """One engine per database for the life of the process (opened and migrated once)."""
    if db not in _engines:
        _engines[db] = open_engine(db)
    return _engines[db]


def close(db: str | None) -> None:
    """Close the database's connections (before its file is removed or handed to workers)."""
    engine = _engines.pop(db, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def transaction(db: str | None) -> Iterator[Connection]:
    """One unit of work: all of it is stored, or none of it."""
    engine = engine_for(db)
    try:
        with engine.begin() as conn:
            yield conn
    except (OperationalError, DatabaseError) as exc:
        raise StorageError(f"{display_name(db)}: {describe(exc)}") from None
