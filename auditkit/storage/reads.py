"""Read-only work on the database (the listings), done the quickest way that gives the same
result: on a SQLite file whose statements are compiled and cached, through `sqlite3` without
importing SQLAlchemy (`sqlite_reads`); otherwise in a read-only SQLAlchemy transaction, after
which the statements it ran are compiled into the cache for the next time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from auditkit.storage import read_cache
from auditkit.storage.listing_reads import Reader, Shape
from auditkit.storage.locations import display_name, resolve_url, sqlite_file

T = TypeVar("T")


def read(db: str | None, work: Callable[[Reader], T]) -> T:
    """`work` done in one read-only snapshot of the database."""
    path = sqlite_file(resolve_url(db))
    if path is not None and path.is_file() and (statements := read_cache.load()):
        from auditkit.storage import sqlite_reads

        try:
            return sqlite_reads.read(path, display_name(db), statements, work)
        except sqlite_reads.Miss:
            pass
    from auditkit.storage.audit_statements import ConnectionReader
    from auditkit.storage.db import transaction

    shapes: list[Shape] = []
    try:
        with transaction(db, readonly=True) as conn:
            reader = ConnectionReader(conn)
            shapes, dialect = reader.shapes, conn.dialect
            return work(reader)
    finally:  # also after an error the listing reports (no such vendor)
        if shapes and path is not None and read_cache.cache_file() is not None:
            from auditkit.storage.compiled_reads import compile_shapes

            read_cache.store(compile_shapes(shapes, dialect))
