"""Where the database is: URL resolution and the name messages give it (no SQLAlchemy, so a
read that needs none can find its file)."""

from __future__ import annotations

from pathlib import Path


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


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (no query options, not in memory); None for others."""
    if url.startswith("sqlite:///") and "?" not in url and ":memory:" not in url:
        return Path(url.removeprefix("sqlite:///"))
    return None


def display_name(db: str | None) -> str:
    """The database as messages name it: a file path, or host/database without credentials."""
    return where(resolve_url(db))


def where(url: str) -> str:
    """The database named for messages, never with its credentials."""
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.split("@")[-1]
