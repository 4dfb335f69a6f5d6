"""A listing's `Table` as the JSON array `--json` prints, written a column at a time.

A layout names each member of a row's object and where its value comes from:
- `Value(key, column)`: the column's value (converted as the table says); a date or a time
  is written in ISO 8601, UTC as "Z";
- `Group(key, fields, unless)`: an object of such members, or null where column `unless` is
  None;
- `Computed(key, columns, make)`: `make(*values)` of some columns, worked out once per
  distinct combination of their values (`make` must give equal results for equal arguments).

The text is byte for byte `json.dumps(objects, ensure_ascii=False, indent=2, default=str)`
of those objects (`tests/test_json_table.py` builds the objects and compares). Nothing builds
them here: each column is encoded at once (the C encoder with a newline for item separator,
which only a separator can hold since strings are escaped; or each distinct text once, where
few values repeat often), and the rows are laid out from the columns' pieces by one join.
Values of other kinds (containers, subclasses) are written one by one by `json_text`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterator
from itertools import chain, compress, repeat
from json import encoder
from operator import is_not
from typing import Any, NamedTuple

from auditkit.cli import json_text
from auditkit.models.listing import Table

INDENT = json_text.INDENT
BATCH = 4096  # rows encoded together
_NONE: frozenset[type] = frozenset({type(None)})
_TEXT = frozenset({str, type(None)})
_SCALARS = frozenset({str, int, float, bool, type(None)})
_text: Callable[[str], str] = encoder.encode_basestring  # C when available (ensure_ascii off)
_c_make_encoder: Any = getattr(encoder, "c_make_encoder", None)
Convert = Callable[[Any], Any] | None


class Value(NamedTuple):
    key: str
    column: str


class Group(NamedTuple):
    key: str
    fields: tuple[Value | Group | Computed, ...]
    unless: str  # the object is null where this column's value is None


class Computed(NamedTuple):
    key: str
    columns: tuple[str, ...]
    make: Callable[..., Any]


Field = Value | Group | Computed
Layout = tuple[Field, ...]


def chunks(table: Table, layout: Layout) -> Iterator[str]:
    """The JSON array of the table's rows laid out by `layout`, in pieces (no final newline)."""
    if not table.rows:
        yield "[]"
        return
    members = _members(layout, table, level=2)
    width, rows = len(table.columns), table.rows
    for start in range(0, len(rows), BATCH):
        yield ",\n" + INDENT if start else "[\n" + INDENT
        flat = list(chain.from_iterable(rows[start : start + BATCH]))
        columns = [flat[index::width] for index in range(width)]
        yield _objects(members, columns, len(flat) // width, 1, ",\n" + INDENT)
    yield "\n]"


def cell(value: Any, level: int) -> str:
    """One value as the layout writes it, at depth `level` (the rule every column follows)."""
    if isinstance(value, dt.date):
        value = value.isoformat()
        if value.endswith("+00:00"):
            value = value[:-6] + "Z"
    return _text(value) if type(value) is str else json_text.dumps(value, level)


class _Member:
    """One member of the objects: its key, the columns it reads, its texts for a batch."""

    def __init__(self, key: str, uses: set[int]) -> None:
        self.key, self.uses = key, uses

    def texts(self, columns: list[list[Any]]) -> list[str]:
        raise NotImplementedError


def _objects(
    members: list[_Member], columns: list[list[Any]], count: int, level: int, between: str
) -> str:
    """The `count` objects of a batch of rows at depth `level`, with `between` between two of
    them: each object's pieces (member keys and texts) laid into one list, joined once."""
    inner = "\n" + INDENT * (level + 1)
    close = "\n" + INDENT * level + "}"
    step, end = 2 * len(members), 2 * len(members) * count
    pieces = [close] * (end + 1)  # the last one closes the last object
    for index, member in enumerate(members):
        if index:
            pieces[2 * index : end : step] = ["," + inner + _text(member.key) + ": "] * count
        pieces[2 * index + 1 : end : step] = member.texts(columns)
    first = "{" + inner + _text(members[0].key) + ": "
    pieces[0:end:step] = [close + between + first] * count
    pieces[0] = first
    return "".join(pieces)


def _members(layout: Layout, table: Table, level: int) -> list[_Member]:
    """How each field of `layout` is encoded from the table's columns at depth `level`."""
    if len({field.key for field in layout}) < len(layout):
        raise ValueError("a layout names each member once")
    index = {name: position for position, name in enumerate(table.columns)}
    convert = table.convert
    members: list[_Member] = []
    for field in layout:
        if isinstance(field, Value):
            position = index[field.column]
            members.append(_Value(field.key, position, convert[position], level))
        elif isinstance(field, Group):
            position = index[field.unless]
            inner = _members(field.fields, table, level + 1)
            members.append(_Group(field.key, inner, position, convert[position], level))
        else:
            positions = [index[name] for name in field.columns]
            makes = [convert[position] for position in positions]
            members.append(_Computed(field.key, positions, makes, field.make, level))
    return members


class _Value(_Member):
    """A column's values: each distinct text encoded once while the column holds text (or
    None) whose values mostly repeat; else the whole column at once by kind."""

    def __init__(self, key: str, column: int, convert: Convert, level: int) -> None:
        super().__init__(key, {column})
        self.column, self.convert, self.level = column, convert, level
        self.known: _Known | None = _Known(_text if convert is None else self._converted)
        # a new text costs some times what encoding the whole column costs per value: new
        # texts in at most 1/share of the values pay off (times as SQLite stores them have
        # a cheap whole-column path, other conversions a dear one)
        self.times = convert == dt.datetime.fromisoformat
        self.share = 16 if self.times else 4 if convert is None else 2

    def texts(self, columns: list[list[Any]]) -> list[str]:
        values = columns[self.column]
        if self.known is not None:
            self.known.room += len(values) // self.share
            try:
                return list(map(self.known.__getitem__, values))
            except (_Unfit, TypeError):  # TypeError: a value that cannot be a key
                self.known = None  # not only text, or too many distinct texts
        kinds = set(map(type, values))
        if kinds <= _NONE:
            return ["null"] * len(values)
        convert = self.convert
        if self.times and kinds <= _TEXT:
            times = _stored_times(values)
            if times is not None:
                return times
        if convert is not None:
            if type(None) in kinds:
                values = [None if v is None else convert(v) for v in values]
            else:
                values = list(map(convert, values))
            kinds = set(map(type, values))
        return _by_kind(values, kinds, self.level)

    def _converted(self, text: str) -> str:
        assert self.convert is not None
        return cell(self.convert(text), self.level)


def _stored_times(values: list[str | None]) -> list[str] | None:
    """The texts of times stored as SQLite stores them ("2026-12-08 01:41:37.000123", naive),
    converted by `datetime.fromisoformat`: each is the stored text with a "T" for the space
    and without a fraction of ".000000", as `isoformat` prints it (parsing validates every
    value, and fails as converting them one by one fails). None when some value is in
    another form."""
    present = list(map(is_not, values, repeat(None)))
    stored: list[str] = list(compress(values, present))  # type: ignore[arg-type]
    lines = "\n".join(stored)
    try:  # each line in the form, so each value is (no value holds a line break then)
        if lines.encode("ascii").translate(_DIGIT_AS_0) != (_TIME_LINE * len(stored))[:-1]:
            return None
    except UnicodeEncodeError:
        return None
    deque(map(dt.datetime.fromisoformat, stored), maxlen=0)  # valid, or ValueError
    text = ('"' + lines.replace("\n", '"\n"') + '"').replace(" ", "T").replace('.000000"', '"')
    if len(stored) == len(values):
        return text.split("\n")
    times = iter(text.split("\n"))
    return [next(times) if here else "null" for here in present]


_TIME_LINE = b"0000-00-00 00:00:00.000000\n"  # 0: an ASCII digit
_DIGIT_AS_0 = bytes.maketrans(b"123456789", b"000000000")


class _Unfit(Exception):
    """A column's value that `_Known` does not take."""


class _Known(dict[str | None, str]):
    """The text of each stored text met in a column (equal texts are the same value), made
    when first met while `room` allows; anything but text, or one new text too many, is
    `_Unfit`."""

    def __init__(self, encode: Callable[[str], str]) -> None:
        super().__init__({None: "null"})
        self.encode, self.room = encode, 0

    def __missing__(self, key: object) -> str:
        if type(key) is not str or self.room <= 0:
            raise _Unfit
        self.room -= 1
        text = self[key] = self.encode(key)
        return text


def _by_kind(values: list[Any], kinds: set[type], level: int) -> list[str]:
    """The texts of values of these (exact) kinds: scalars through the C encoder, dates or
    times in ISO 8601 the same way; anything else one by one."""
    if _ENCODE is not None:
        if kinds == {str}:
            return list(map(_text, values))
        if kinds == {int}:
            return list(map(int.__repr__, values))
        if kinds <= _SCALARS:
            return _lines(values).split("\n")
        times = kinds - _NONE
        if times == {dt.date} or times == {dt.datetime}:
            iso: Callable[[Any], str] = times.pop().isoformat  # type: ignore[attr-defined]
            strings = [None if v is None else iso(v) for v in values]
            return _lines(strings).replace('+00:00"', 'Z"').split("\n")  # only ends of times
    return [cell(value, level) for value in values]


class _Group(_Member):
    """An object of members, or null where a column's value is None."""

    def __init__(
        self, key: str, members: list[_Member], unless: int, convert: Convert, level: int
    ) -> None:
        super().__init__(key, {unless}.union(*(member.uses for member in members)))
        self.members, self.unless, self.convert, self.level = members, unless, convert, level

    def texts(self, columns: list[list[Any]]) -> list[str]:
        test = columns[self.unless]
        if self.convert is not None:
            test = [None if v is None else self.convert(v) for v in test]
        present = list(map(is_not, test, repeat(None)))
        if not any(present):
            return ["null"] * len(test)
        if all(present):
            return self._objects(columns, len(present))
        some = list(columns)
        for index in self.uses:
            some[index] = list(compress(columns[index], present))
        objects = iter(self._objects(some, sum(present)))
        return [next(objects) if here else "null" for here in present]

    def _objects(self, columns: list[list[Any]], count: int) -> list[str]:
        text = _objects(self.members, columns, count, self.level, "\0")
        return text.split("\0")  # JSON text holds no NUL: strings escape it


class _Computed(_Member):
    """A value made from some columns, once per distinct combination of their values."""

    def __init__(
        self,
        key: str,
        columns: list[int],
        convert: list[Convert],
        make: Callable[..., Any],
        level: int,
    ) -> None:
        super().__init__(key, set(columns))
        self.columns, self.convert, self.make, self.level = columns, convert, make, level
        self.known: dict[tuple[Any, ...], str] = {}

    def texts(self, columns: list[list[Any]]) -> list[str]:
        keys = list(zip(*(columns[index] for index in self.columns), strict=True))
        known = self.known
        try:
            missing = set(keys).difference(known)
        except TypeError:  # values that cannot be told apart by equality: each row on its own
            return list(map(self._text, keys))
        for key in missing:
            known[key] = self._text(key)
        return list(map(known.__getitem__, keys))

    def _text(self, key: tuple[Any, ...]) -> str:
        pairs = zip(key, self.convert, strict=True)
        return cell(
            self.make(*(v if f is None or v is None else f(v) for v, f in pairs)), self.level
        )


def _refuse(value: Any) -> Any:
    raise TypeError(f"not a scalar: {type(value).__name__}")  # only scalars reach the encoder


_ENCODE: Callable[[Any, int], Any] | None = (
    None
    if _c_make_encoder is None
    else _c_make_encoder(None, _refuse, _text, None, ": ", "\n", False, False, True)
)


def _lines(values: list[Any]) -> str:
    """Scalars encoded at once by the C encoder, one per line (strings escape line breaks)."""
    assert _ENCODE is not None
    return "".join(_ENCODE(values, 0))[1:-1]
