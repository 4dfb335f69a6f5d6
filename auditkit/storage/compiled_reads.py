"""Read statements (the listings', and what scoring an audit reads) compiled for SQLite: the
SQL text, where each `?` gets its value (a named parameter of the call, or a constant of the
statement) and how each column's value is turned into what SQLAlchemy's result processing
gives. `sqlite_reads` runs them with `sqlite3` alone.

A statement whose parameter or column types need a conversion not listed here is not compiled
(it always runs through SQLAlchemy), so a cached statement never gives other values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.engine import processors
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeEngine

from auditkit.storage.audit_statements import statement
from auditkit.storage.listing_reads import Shape

# SQLAlchemy's result processors for SQLite and the converters of `sqlite_reads` that match
_RESULTS: dict[Any, str] = {
    processors.str_to_datetime: "datetime",
    processors.str_to_date: "date",
    processors.int_to_boolean: "bool",
}
_DATE_PROBES = (dt.date(1, 1, 1), dt.date(999, 12, 31), dt.date(2024, 2, 29), dt.date(9999, 12, 31))
_SAMPLES: dict[type[TypeEngine[Any]], object] = {
    sqltypes.Integer: 1,
    sqltypes.String: "x",
    sqltypes.Date: dt.date(2000, 1, 1),
}


class Uncompilable(Exception):
    """The statement needs a conversion the compiled form cannot give."""


def compile_shapes(shapes: Iterable[Shape], dialect: Dialect) -> dict[str, dict[str, Any]]:
    """Each shape's compiled statement by `Shape.key` (shapes that cannot be compiled are left
    out)."""
    out: dict[str, dict[str, Any]] = {}
    for shape in shapes:
        try:
            out[shape.key] = compile_shape(shape, dialect)
        except Uncompilable:
            continue
    return out


def compile_shape(shape: Shape, dialect: Dialect) -> dict[str, Any]:
    """{"sql": text, "params": [["arg", name, converter] | ["value", constant]],
    "columns": [converter per column]} for a SQLite dialect."""
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        raise Uncompilable(dialect.name)
    query = statement(shape, dialect.name)
    compiled = query.compile(dialect=dialect)
    args = {name: bind for name, bind in compiled.binds.items() if bind.required}
    if not set(args) <= set(shape.options):
        raise Uncompilable(f"{shape.key}: parameters {sorted(args)}")
    state = compiled.construct_expanded_state(
        {name: _sample(bind.type) for name, bind in args.items()}, escape_names=False
    )
    params: list[list[Any]] = []
    for name in state.positiontup or ():
        if name in args:
            params.append(["arg", name, _bind_converter(args[name].type, dialect)])
            continue
        bind = compiled.binds.get(name)
        if bind is None:  # one value of an expanded IN list: name_1, name_2, ...
            bind = compiled.binds.get(name.rpartition("_")[0])
        if bind is None:
            raise Uncompilable(f"{shape.key}: parameter {name}")
        value = state.parameters[name]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            value = process(value)
        if value is not None and not isinstance(value, (str, int, float)):
            raise Uncompilable(f"{shape.key}: constant {name}")
        params.append(["value", value])
    columns = [_result_converter(column.type, dialect) for column in query.selected_columns]
    return {"sql": state.statement, "params": params, "columns": columns}


def _sample(type_: TypeEngine[Any]) -> object:
    for kind, value in _SAMPLES.items():
        if isinstance(type_, kind):
            return value
    raise Uncompilable(f"parameter type {type_!r}")


def _bind_converter(type_: TypeEngine[Any], dialect: Dialect) -> str:
    impl = type_.dialect_impl(dialect)
    process = impl.bind_processor(dialect)
    if process is None:
        return "raw"
    is_date = isinstance(impl, sqltypes.Date) and not isinstance(impl, sqltypes.DateTime)
    if is_date and all(process(day) == day.isoformat() for day in _DATE_PROBES):
        return "date"
    raise Uncompilable(f"parameter type {type_!r}")


def _result_converter(type_: TypeEngine[Any], dialect: Dialect) -> str:
    impl = type_.dialect_impl(dialect)
    if isinstance(impl, sqltypes.JSON):
        if getattr(dialect, "_json_deserializer", None) is None:  # json.loads
            return "json"
        raise Uncompilable("a JSON deserializer of its own")
    process = impl.result_processor(dialect, None)
    if process is None:
        return "raw"
    if process in _RESULTS:
        return _RESULTS[process]
    raise Uncompilable(f"column type {type_!r}")
