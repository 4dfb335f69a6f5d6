"""The commands' JSON text is byte for byte `json.dumps(value, ensure_ascii=False, indent=2,
default=str)`, whatever the strings, numbers and nesting (containers met twice and cycles
included); and every listing's `--json` output is that text."""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditkit.cli.json_text import dumps
from tests.test_listing_queries import add_vendors


class Level(enum.IntEnum):
    LOW = 1


class Kind(enum.StrEnum):
    PDF = "pdf"


def reference(value: Any, level: int = 0) -> str:
    """What the listings printed before: `json.dumps` with its pure-Python indenting encoder."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", "\n" + "  " * level)


def outcome(encode: Callable[[], str]) -> tuple[str, str]:
    try:
        return "text", encode()
    except (ValueError, TypeError, RecursionError) as exc:
        return "error", type(exc).__name__


TEXT = st.one_of(
    st.text(),
    st.text(st.characters(codec=None, exclude_categories=())),  # lone surrogates, controls
    st.sampled_from(['"', "\\", "\n", "\x00", "\u2028", "\ufeff", "😀", "é", "{}", "[1]"]),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(),  # nan, infinities, -0.0, subnormals
    TEXT,
)
ODD = st.one_of(  # what the pure encoder handles its own way: subclasses, default=str, tuples
    st.sampled_from([Level.LOW, Kind.PDF, dt.date(2024, 2, 29), dt.datetime(2026, 1, 1, 5)]),
    st.tuples(SCALARS, SCALARS),
)
KEYS = st.one_of(TEXT, st.integers(), st.floats(), st.booleans(), st.none())


def values(leaves: st.SearchStrategy[Any], keys: st.SearchStrategy[Any]) -> Any:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)
        ),
        max_leaves=30,
    )


JSONISH = values(SCALARS, TEXT)
ANYTHING = values(st.one_of(SCALARS, ODD), KEYS)


@settings(max_examples=400)
@given(value=JSONISH, level=st.integers(0, 3))
def test_json_values_print_as_json_dumps_prints_them(value: Any, level: int) -> None:
    assume(isinstance(value, dict | list))
    assert outcome(lambda: dumps(value, level)) == outcome(lambda: reference(value, level))


@settings(max_examples=300)
@given(value=ANYTHING)
def test_odd_keys_subclasses_tuples_and_dates_print_as_json_dumps_prints_them(value: Any) -> None:
    assume(isinstance(value, dict | list) and value)
    assert outcome(lambda: dumps(value)) == outcome(lambda: reference(value))


@settings(max_examples=200)
@given(
    shared=st.lists(st.one_of(st.dictionaries(TEXT, SCALARS), st.lists(SCALARS)), min_size=1),
    rows=st.lists(st.dictionaries(TEXT, SCALARS, min_size=1), min_size=2, max_size=8),
    picks=st.lists(st.integers(0, 100), min_size=8, max_size=8),
)
def test_containers_met_twice_print_as_json_dumps_prints_them(
    shared: list[Any], rows: list[dict[str, Any]], picks: list[int]
) -> None:
    """A value holding the same container objects in several places (no cycle) prints as
    `json.dumps` prints it, at the depth of a listing's elements and one deeper."""
    for index, row in enumerate(rows):
        row["nested"] = shared[picks[index] % len(shared)]
        row["deeper"] = {"again": shared[picks[-index] % len(shared)]}
    assume(any(shared))  # some shared container is not empty
    for level in (1, 2):
        assert dumps(rows, level) == reference(rows, level)


def test_numbers_at_the_edges_print_as_json_dumps_prints_them() -> None:
    numbers = [0.1, 1e16, 1e-7, 5e-324, 1.7976931348623157e308, -0.0, 2**63, -(2**64) - 1]
    numbers += [math.inf, -math.inf, math.nan, 10**4000, True, False]
    for value in ([numbers], {"n": numbers, "m": {str(i): n for i, n in enumerate(numbers)}}):
        assert dumps(value, 2) == reference(value, 2)


def test_too_long_integers_and_cycles_fail_as_json_dumps_fails() -> None:
    huge = 10**5000  # beyond the interpreter's limit for int to str
    looped: dict[str, Any] = {"a": [1]}
    looped["a"].append(looped)
    for value in ({"n": [huge]}, {"n": huge}, [looped], looped):
        assert outcome(lambda v=value: dumps(v)) == outcome(lambda v=value: reference(v))
        assert outcome(lambda v=value: dumps(v))[0] == "error"


def test_naughty_strings_print_as_json_dumps_prints_them(naughty_strings: list[str]) -> None:
    row = {s: s for s in naughty_strings}
    nested = {"id": 1, "all": naughty_strings, "row": row, "rows": [row, {"x": naughty_strings}]}
    for value in (row, nested, naughty_strings, [nested, nested]):
        for level in (0, 1, 2):
            assert dumps(value, level) == reference(value, level)


LISTINGS = [
    ("vendor", "list"),
    ("audit", "list"),
    ("audit", "list", "--vendor", "Vendor 1", "--limit", "1"),
    ("findings", "list"),
    ("findings", "list", "--open", "--offset", "1"),
    ("due", "--today", "2026-11-29"),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=" ".join)
def test_every_json_listing_prints_json_dumps_text(
    db: str, run: Callable[..., Result], listing: tuple[str, ...]
) -> None:
    add_vendors(db, 0, 3)
    run("vendor", "add", 'Ünïcödé "quoted" \\ 株式会社\u2028', "--contact-name", "O'Brien")
    for _ in range(2):  # through SQLAlchemy, then the compiled statements (SQLite)
        result = run(*listing, "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data
        assert result.output == reference(data) + "\n"
