"""Read-only connections to a SQLite file through the standard `sqlite3` module, for commands
that only read (they work on a read-only mount).

A WAL database on a read-only directory cannot be opened with `mode=ro` alone (SQLite cannot
create the shared-memory file); there nobody can be writing either, so `immutable=1` is safe.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

BUSY_TIMEOUT_MS = 5000


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection in autocommit mode (transactions are begun explicitly)."""
    base = f"file:{quote(str(path))}?mode=ro"
    connection = sqlite3.connect(base, uri=True, check_same_thread=False)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:  # SQLite opens lazily: the first read tells
        connection.close()
        connection = sqlite3.connect(base + "&immutable=1", uri=True, check_same_thread=False)
    return connection


def setup(connection: sqlite3.Connection) -> None:
    connection.isolation_level = None
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
