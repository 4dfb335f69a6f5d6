"""Open the database: URL resolution, SQLite pragmas, automatic migration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from auditkit import catalogue
from auditkit.errors import StorageError
from auditkit.models.message import Message

HEAD = "0006_listing_indexes"  # the newest migration in migrations/versions; a test checks it
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url() -> str:
    from platformdirs import user_data_dir

    return sqlite_url(Path(user_data_dir("auditkit")) / "auditkit.db")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"


def resolve_url(db: str | None) -> str:
    """A URL as given, a plain path as a SQLite file, nothing as the user default."""
    if not db:
        return default_url()
    if "://" in db:
        return db
    return sqlite_url(Path(db))


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


def describe_said(exc: Exception) -> Message:
    """What a database error means, as a catalogue message."""
    message = str(getattr(exc, "orig", exc)).splitlines()[0]
    if "file is not a database" in message or "malformed" in message:
        return Message.of("db_corrupt")
    if "readonly" in message or "read-only" in message:
        return Message.of("db_read_only")
    if "unable to open" in message:
        return Message.of("db_cannot_open")
    return Message.of("plain", text=message)


def storage_error(where: str, exc: Exception) -> StorageError:
    """`WHERE: what went wrong`, said in the user's language by the CLI."""
    return catalogue.error(StorageError, "in_file", path=where, said=describe_said(exc))


def display_name(db: str | None) -> str:
    """The database as messages name it: a file path, or host/database without credentials."""
    return _where(resolve_url(db))


def _where(url: str) -> str:
    """The database named for messages, never with its credentials."""
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.split("@")[-1]


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
