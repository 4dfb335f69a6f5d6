"""Read-only work on the database (the listings, scoring an audit), done the quickest way that
gives the same result: on a SQLite file whose statements are compiled and cached, through
`sqlite3` without importing SQLAlchemy (`sqlite_reads`); otherwise in a read-only SQLAlchemy
transaction, after which the statements it ran are compiled into the cache for the next time.
Work that may have to write (`compiled`) runs on the compiled statements only, and stops with
`Miss` when it finds it must write: the caller then does it in a writing transaction and
`remember`s the statements for the next time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from auditkit.storage import read_cache
from auditkit.storage.listing_reads import Reader, Shape
from auditkit.storage.locations import display_name, resolve_url, sqlite_file
from auditkit.storage.sqlite_reads import Miss

__all__ = ["Miss", "compiled", "read", "remember"]

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


def compiled(db: str | None, work: Callable[[Reader], T]) -> T:
    """`work` done in one read-only snapshot through the compiled statements alone; `Miss`
    when they cannot serve it (not a SQLite file, nothing cached, another schema revision, a
    statement not cached) or when `work` raises it."""
    path = sqlite_file(resolve_url(db))
    if path is None or not path.is_file() or not (statements := read_cache.load()):
        raise Miss("no compiled statements for this database")
    from auditkit.storage import sqlite_reads

    return sqlite_reads.read(path, display_name(db), statements, work)


def remember(db: str | None, shapes: Iterable[Shape]) -> None:
    """Compile the shapes not cached yet, for the next `compiled` read of this SQLite file."""
    path = sqlite_file(resolve_url(db))
    if path is None or read_cache.cache_file() is None:
        return
    known = read_cache.load()
    missing = [shape for shape in shapes if shape.key not in known]
    if not missing:
        return
    from auditkit.storage.compiled_reads import compile_shapes
    from auditkit.storage.db import engine_for

    read_cache.store(compile_shapes(missing, engine_for(db).dialect))
