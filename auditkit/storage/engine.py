"""Open the database: URL resolution, SQLite pragmas, automatic migration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from auditkit import catalogue
from auditkit.errors import StorageError
from auditkit.storage.failures import describe_said, storage_error
from auditkit.storage.locations import (
    default_url,
    display_name,
    resolve_url,
    sqlite_url,
)
from auditkit.storage.locations import where as _where
from auditkit.storage.revision import HEAD, MIGRATIONS

__all__ = [
    "HEAD",
    "MIGRATIONS",
    "default_url",
    "describe_said",
    "display_name",
    "open_engine",
    "resolve_url",
    "sqlite_url",
    "storage_error",
]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Every transaction of a writing engine takes the write lock when it starts, so what it
    reads (an audit's status) cannot change before it writes."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(db: str | None) -> Engine:
    """Connect and bring the schema to the newest version."""
    url = resolve_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url)
    except Exception as exc:  # bad URL, missing driver
        raise catalogue.error(
            StorageError, "db_unusable", where=_where(url), detail=str(exc)
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        _migrate(engine)
    except (DatabaseError, OperationalError) as exc:
        raise storage_error(_where(url), exc) from None
    return engine


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(engine: Engine) -> None:
    current = _current_revision(engine)
    if current == HEAD:
        return
    if current is None:
        with engine.connect() as conn:
            foreign = inspect(conn).get_table_names()
        if foreign:
            raise catalogue.error(
                StorageError,
                "db_foreign",
                where=_where(engine.url.render_as_string(hide_password=True)),
                tables=", ".join(sorted(foreign)[:3]),
            )
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
