"""JSON text with a two-space indent, byte for byte what `json.dumps(value, ensure_ascii=False,
indent=2, default=str)` gives, made faster for the dicts and lists `--json` prints.

With an indent, CPython's `json` encodes through its pure-Python encoder, one generator step
per value. What the commands print is mostly dicts of scalars, a few dicts and lists nested in
them: a dict or list whose members are all scalars (str, int, float, bool, None, exactly those
types) is encoded here in one call of the C encoder, whose item separator carries the newline
and the indent of its depth (strings are escaped, so the only line breaks are those
separators). Other dicts and lists are laid out here around their members; anything else
(tuples, subclasses, keys that are not strings, values `default=str` turns into text) goes
through `json.dumps` itself, re-indented to its depth, so the output never differs. A listing's
rows are written a column at a time by `json_table`, which encodes its odd values here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from json import encoder
from typing import Any

INDENT = "  "
_SCALARS = frozenset({str, int, float, bool, type(None)})
_KEYS = frozenset({str})
_NOT_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
_text: Callable[[str], str] = encoder.encode_basestring  # C when available (ensure_ascii off)
_c_make_encoder: Any = getattr(encoder, "c_make_encoder", None)


def dumps(value: Any, level: int = 0) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=2, default=str)` gives it, with
    every line after the first indented `level` times more (as inside a list or dict at
    depth `level`)."""
    return Encoder().dumps(value, level)


class Encoder:
    """`dumps` for one value (it keeps the containers being encoded: a cycle is an error)."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def dumps(self, value: Any, level: int = 0) -> str:
        """As the module's `dumps`."""
        return self._member(value, level)

    def _member(self, value: Any, level: int) -> str:
        kind = type(value)
        if kind is str:
            return _text(value)
        if kind is dict or kind is list:
            return self._container(value, level, kind is dict)
        if kind in _SCALARS:
            return _scalar(value)
        return _plain(value, level)

    def _container(self, value: Any, level: int, is_dict: bool) -> str:
        if not value:
            return "{}" if is_dict else "[]"
        if is_dict and not _KEYS.issuperset(map(type, value)):
            return _plain(value, level)
        members = value.values() if is_dict else value
        start, end = ("{", "}") if is_dict else ("[", "]")
        if _C is not None and _SCALARS.issuperset(map(type, members)):
            return "".join(_C(level + 1)(value, 0))[1:-1].join(_brackets(start, end, level))
        return self._mixed(value, level, is_dict)

    def _mixed(self, value: Any, level: int, is_dict: bool) -> str:
        """A dict or list with some members that are not scalars: the scalars encoded together
        as above (a placeholder null in each other member's place), the others one by one."""
        marker = id(value)
        if marker in self.seen:
            raise ValueError("Circular reference detected")
        self.seen.add(marker)
        members = list(value.values()) if is_dict else value
        others = [i for i, kind in enumerate(map(type, members)) if kind not in _SCALARS]
        keys = list(value) if is_dict else None
        separator = ",\n" + INDENT * (level + 1)
        if _C is None:  # no C encoder: every member on its own
            parts = [self._member(item, level + 1) for item in members]
            if keys is not None:
                parts = [_text(k) + ": " + p for k, p in zip(keys, parts, strict=True)]
        else:
            flat = value.copy()
            for index in others:
                flat[keys[index] if keys is not None else index] = None
            parts = "".join(_C(level + 1)(flat, 0))[1:-1].split(separator)
            for index in others:
                text = self._member(members[index], level + 1)
                parts[index] = text if keys is None else _text(keys[index]) + ": " + text
        self.seen.discard(marker)
        start, end = _brackets("{", "}", level) if is_dict else _brackets("[", "]", level)
        return start + separator.join(parts) + end


def _scalar(value: int | float | bool | None) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    text = float.__repr__(value)
    return _NOT_FINITE.get(text, text)


def _plain(value: Any, level: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", "\n" + INDENT * level) if level else text


@lru_cache(maxsize=64)
def _brackets(start: str, end: str, level: int) -> tuple[str, str]:
    """The opening bracket and the first member's indent; the last member's line end and the
    closing bracket."""
    return start + "\n" + INDENT * (level + 1), "\n" + INDENT * level + end


def _refuse(value: Any) -> Any:
    raise TypeError(f"not a scalar: {type(value).__name__}")  # only scalars reach the C encoder


@lru_cache(maxsize=64)
def _c_encoder(level: int) -> Callable[[Any, int], Any]:
    """The C encoder for containers of scalars whose members sit at depth `level`."""
    separator = ",\n" + INDENT * level
    encode: Callable[[Any, int], Any] = _c_make_encoder(
        None, _refuse, _text, None, ": ", separator, False, False, True
    )
    return encode


_C: Callable[[int], Callable[[Any, int], Any]] | None = (
    None if _c_make_encoder is None else _c_encoder
)
