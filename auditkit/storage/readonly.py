"""Read-only SQLAlchemy engines on SQLite files (connections from `sqlite_readonly`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from auditkit.storage import sqlite_readonly
from auditkit.storage.engine import HEAD, _current_revision


def _setup(dbapi_connection: Any, _record: Any) -> None:
    sqlite_readonly.setup(dbapi_connection)


def _begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")  # deferred: one consistent snapshot, no write lock


def open_reader(path: Path) -> Engine | None:
    """A read-only engine on an existing, up-to-date database file; None when the file is
    missing or needs migrating (the caller then opens it for writing as usual)."""
    if not path.is_file():
        return None
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite_readonly.connect(path), poolclass=NullPool
    )
    event.listen(engine, "connect", _setup)
    event.listen(engine, "begin", _begin)
    try:
        current = _current_revision(engine)
    except Exception:
        engine.dispose()
        return None
    if current != HEAD:
        engine.dispose()
        return None
    return engine
