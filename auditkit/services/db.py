"""Transactions over the configured database, with storage errors made readable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from auditkit.errors import StorageError
from auditkit.storage.engine import describe, open_engine, resolve_url


@cache
def engine_for(db: str | None) -> Engine:
    return open_engine(db)


@contextmanager
def transaction(db: str | None) -> Iterator[Connection]:
    """One unit of work: all of it is stored, or none of it."""
    engine = engine_for(db)
    try:
        with engine.begin() as conn:
            yield conn
    except (OperationalError, DatabaseError) as exc:
        where = resolve_url(db).removeprefix("sqlite:///")
        raise StorageError(f"{where}: {describe(exc)}") from None
