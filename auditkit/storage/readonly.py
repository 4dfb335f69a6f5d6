"""Read-only SQLite connections, for commands that only read (they work on a read-only mount).

A WAL database on a read-only directory cannot be opened with `mode=ro` alone (SQLite cannot
create the shared-memory file); there nobody can be writing either, so `immutable=1` is safe.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from auditkit.storage.engine import HEAD, _current_revision


def _connector(path: Path) -> Any:
    base = f"file:{quote(str(path))}?mode=ro"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(base, uri=True, check_same_thread=False)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:  # SQLite opens lazily: the first read tells
            connection.close()
            return sqlite3.connect(base + "&immutable=1", uri=True, check_same_thread=False)
        return connection

    return connect


def _setup(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA busy_timeout=5000")


def _begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")  # deferred: one consistent snapshot, no write lock


def open_reader(path: Path) -> Engine | None:
    """A read-only engine on an existing, up-to-date database file; None when the file is
    missing or needs migrating (the caller then opens it for writing as usual)."""
    if not path.is_file():
        return None
    engine = create_engine("sqlite://", creator=_connector(path), poolclass=NullPool)
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
