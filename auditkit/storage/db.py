"""Transactions over the configured database, with storage errors made readable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from auditkit.storage.engine import open_engine
from auditkit.storage.failures import storage_error
from auditkit.storage.locations import display_name, resolve_url, sqlite_file
from auditkit.storage.readonly import open_reader

__all__ = ["Connection", "close", "engine_for", "transaction"]

_engines: dict[str | None, Engine] = {}
_readers: dict[str | None, Engine] = {}


def engine_for(db: str | None) -> Engine:
    """One engine per database for the life of the process (opened and migrated once)."""
    if db not in _engines:
        _engines[db] = open_engine(db)
    return _engines[db]


def reader_for(db: str | None) -> Engine:
    """A read-only engine for a SQLite file (SQLite `mode=ro`); the writing engine otherwise."""
    if db in _readers:
        return _readers[db]
    path = sqlite_file(resolve_url(db))
    reader = open_reader(path) if path is not None else None
    if reader is None:
        return engine_for(db)
    _readers[db] = reader
    return reader


def close(db: str | None) -> None:
    """Close the database's connections (before its file is removed or handed to workers)."""
    for engines in (_engines, _readers):
        engine = engines.pop(db, None)
        if engine is not None:
            engine.dispose()


@contextmanager
def transaction(db: str | None, readonly: bool = False) -> Iterator[Connection]:
    """One unit of work: all of it is stored, or none of it. A writing transaction on SQLite
    holds the write lock from its start (BEGIN IMMEDIATE); `readonly` ones read a snapshot
    through a read-only connection, so they work on a read-only file or mount."""
    engine = reader_for(db) if readonly else engine_for(db)
    try:
        with engine.begin() as conn:
            yield conn
    except (OperationalError, DatabaseError) as exc:
        raise storage_error(display_name(db), exc) from None
