"""Read statements (the listings', an audit's reads to score it) compiled ahead
(`compiled_reads`, cached by `read_cache`) run on a SQLite file through the standard `sqlite3`
module, read-only, in one transaction, after checking the file is at the schema revision they
were compiled for. Anything that stops them (no compiled statement for a shape, a file that
cannot be opened or read, another revision, a damaged cache entry) raises `Miss` before a row
is used: the caller then reads through SQLAlchemy, which migrates and reports errors as it
always does.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from auditkit.storage import sqlite_readonly
from auditkit.storage.failures import storage_error
from auditkit.storage.listing_reads import Convert, Params, Reader, Shape
from auditkit.storage.revision import HEAD

T = TypeVar("T")


def _json(value: Any) -> Any:
    """SQLite's JSON result processing: a column of JSON type has numeric affinity, so a
    stored number comes back as a number, given as it is."""
    return value if isinstance(value, int | float) else json.loads(value)


# the same conversions as SQLAlchemy's SQLite result processors (see compiled_reads)
RESULTS: dict[str, Convert | None] = {
    "raw": None,
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
    "bool": bool,  # int_to_boolean
    "json": _json,
}
BINDS: dict[str, Convert | None] = {"raw": None, "date": lambda day: day.isoformat()}


class Miss(Exception):
    """The compiled statements cannot serve this read: read through SQLAlchemy instead."""


class Compiled:
    """One compiled statement, checked on the way in from the cache file."""

    def __init__(self, entry: Mapping[str, Any]) -> None:
        try:
            self.sql = entry["sql"]
            self.params = [_param(p) for p in entry["params"]]
            self.columns = [(i, RESULTS[c]) for i, c in enumerate(entry["columns"])]
        except (KeyError, TypeError, ValueError) as exc:
            raise Miss("damaged cache entry") from exc
        if not isinstance(self.sql, str):
            raise Miss("damaged cache entry")
        self.convert = [(i, f) for i, f in self.columns if f is not None]

    def values(self, params: Params) -> list[object]:
        out = []
        for name, constant, convert in self.params:
            if name is None:
                out.append(constant)
                continue
            value = params[name]
            out.append(value if convert is None or value is None else convert(value))
        return out

    def stored(self, cursor: sqlite3.Cursor) -> list[Any]:
        """The rows as read."""
        found = cursor.fetchall()
        if cursor.description is None or len(cursor.description) != len(self.columns):
            raise Miss("the statement gives other columns")
        return found

    def rows(self, cursor: sqlite3.Cursor) -> Sequence[Sequence[Any]]:
        """The rows with each column converted."""
        found = self.stored(cursor)
        if not self.convert or not found:
            return found
        columns: list[Sequence[Any]] = list(zip(*found, strict=True))  # a column at a time
        for index, convert in self.convert:
            columns[index] = [None if v is None else convert(v) for v in columns[index]]
        return list(zip(*columns, strict=True))


def _param(item: Sequence[Any]) -> tuple[str | None, object, Convert | None]:
    kind = item[0]
    if kind == "arg" and len(item) == 3 and isinstance(item[1], str):
        return item[1], None, BINDS[item[2]]
    constant = item[1] if kind == "value" and len(item) == 2 else ()
    if constant is None or isinstance(constant, (str, int, float)):
        return None, constant, None
    raise ValueError(f"parameter {item!r}")


class SqliteReader:
    """Runs compiled statements on an open read-only connection (the `Reader` protocol)."""

    def __init__(self, connection: sqlite3.Connection, statements: Mapping[str, Any]) -> None:
        self.connection = connection
        self.statements = statements

    def rows(self, shape: Shape, params: Params) -> Sequence[Sequence[Any]]:
        compiled, cursor = self._run(shape, params)
        return compiled.rows(cursor)

    def stored(
        self, shape: Shape, params: Params
    ) -> tuple[Sequence[Sequence[Any]], Sequence[Convert | None]]:
        compiled, cursor = self._run(shape, params)
        return compiled.stored(cursor), [convert for _, convert in compiled.columns]

    def _run(self, shape: Shape, params: Params) -> tuple[Compiled, sqlite3.Cursor]:
        entry = self.statements.get(shape.key)
        if not isinstance(entry, Mapping):
            raise Miss(shape.key)
        compiled = Compiled(entry)
        try:
            values = compiled.values(params)
            return compiled, self.connection.execute(compiled.sql, values)
        except (KeyError, TypeError, OverflowError, sqlite3.ProgrammingError) as exc:
            raise Miss(shape.key) from exc  # SQLAlchemy reads it, and fails as it does


def read(path: Path, where: str, statements: Mapping[str, Any], work: Callable[[Reader], T]) -> T:
    """`work` done with the compiled statements on the SQLite file at `path`, read-only, in one
    snapshot; `Miss` when they cannot serve it. Database errors while reading the listing are
    reported as the SQLAlchemy path reports them (`where` names the file)."""
    try:
        connection = sqlite_readonly.connect(path)
    except sqlite3.Error as exc:
        raise Miss("cannot open the file") from exc
    try:
        try:
            sqlite_readonly.setup(connection)
            connection.execute("BEGIN")  # deferred: one consistent snapshot, no write lock
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error as exc:
            raise Miss("cannot read the schema revision") from exc
        if revision != [(HEAD,)]:
            raise Miss("another schema revision")
        try:
            return work(SqliteReader(connection, statements))
        except sqlite3.DatabaseError as exc:
            raise storage_error(where, exc) from None
    finally:
        connection.close()
