"""A listing's JSON written a column at a time (`auditkit.cli.json_table`) is byte for byte
`json.dumps(objects, ensure_ascii=False, indent=2, default=str)` of the objects its layout
describes, whatever the values (hostile text, numbers at the edges, dates and times in any
zone, values stored as text and converted, containers, repeats across batches); and every
listing's `--json` prints what it printed when it built those objects row by row, through
SQLAlchemy and through the compiled statements."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

import pytest
from click.testing import Result
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditkit import Workspace
from auditkit.cli import json_table
from auditkit.cli.json_table import Computed, Group, Layout, Value
from auditkit.cli.listing_json import AUDITS
from auditkit.models.audit import AuditStatus, FinalScore, Finding, FindingStatus, Severity
from auditkit.models.listing import SCORE_FIELDS, Table
from auditkit.models.meti import meti_level
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.risk import inherent_risk
from auditkit.storage import findings as finding_store
from auditkit.storage import repository as repo
from auditkit.storage import scores
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import transaction
from auditkit.textnorm import NAME_MAX, normalize
from tests.test_fast_listings import _link

Convert = Callable[[Any], Any] | None


class Level(enum.IntEnum):
    LOW = 1


class Kind(enum.StrEnum):
    PDF = "pdf"


# --- the reference: the objects, then json.dumps ----------------------------------------------


def _shown(value: Any) -> Any:
    """A member's value as the layout shows it: dates and times in ISO 8601, UTC as "Z"."""
    if isinstance(value, dt.date):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value


def objects(table: Table, layout: Layout) -> list[dict[str, Any]]:
    """The objects the rows stand for, built one by one."""
    where = {name: index for index, name in enumerate(table.columns)}

    def value(row: Sequence[Any], name: str) -> Any:
        stored, convert = row[where[name]], table.convert[where[name]]
        return stored if stored is None or convert is None else convert(stored)

    def build(row: Sequence[Any], fields: Layout) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in fields:
            if isinstance(field, Value):
                out[field.key] = _shown(value(row, field.column))
            elif isinstance(field, Group):
                present = value(row, field.unless) is not None
                out[field.key] = build(row, field.fields) if present else None
            else:
                out[field.key] = _shown(field.make(*(value(row, c) for c in field.columns)))
        return out

    return [build(row, layout) for row in table.rows]


def reference(table: Table, layout: Layout) -> str:
    return json.dumps(objects(table, layout), ensure_ascii=False, indent=2, default=str)


def written(table: Table, layout: Layout) -> str:
    return "".join(json_table.chunks(table, layout))


def outcome(encode: Callable[[], str]) -> tuple[str, str]:
    try:
        return "text", encode()
    except (ValueError, TypeError, RecursionError) as exc:
        return "error", type(exc).__name__


# --- columns of every kind ---------------------------------------------------------------------

TEXT = st.one_of(
    st.text(),
    st.text(st.characters(codec=None, exclude_categories=())),  # lone surrogates, controls
    st.sampled_from(['"', "\\", "\n", "\x00", "\x1b[31m", "\u2028", "\ufeff", "😀", "%s", "{}"]),
)
FEW_TEXTS = st.lists(TEXT, min_size=1, max_size=3)  # drawn from often: each text repeats
ZONES = st.sampled_from(
    [None, dt.UTC, dt.timezone(dt.timedelta(hours=9)), dt.timezone(-dt.timedelta(minutes=30))]
)
TIMES = st.datetimes(dt.datetime(1, 1, 2), timezones=ZONES)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(),  # nan, infinities, -0.0
    TEXT,
)
ODD = st.one_of(
    st.sampled_from([Level.LOW, Kind.PDF]),
    st.dates(),
    TIMES,
    st.tuples(SCALARS, SCALARS),
    st.lists(SCALARS, max_size=3),
    st.dictionaries(TEXT, SCALARS, max_size=3),
)


def _iso_date(day: dt.date) -> str:
    return day.isoformat()


def _sqlite_time(moment: dt.datetime) -> str:
    """A time as SQLite stores it (SQLAlchemy's DATETIME storage format)."""
    day = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    return (
        f"{day} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}"
    )


SQLITE_TIMES = st.one_of(
    st.datetimes().map(_sqlite_time),
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 2)).map(  # whole seconds
        lambda moment: _sqlite_time(moment.replace(microsecond=0))
    ),
    st.from_regex(r"\A\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\Z"),  # not all valid, not all ASCII
    st.sampled_from(["2024-02-30 10:00:00.000000", "2024-01-01T10:00:00", "2024-01-01 10:00"]),
)


# what a column holds: the conversion of a stored value, and the stored values
COLUMNS: list[tuple[Convert, st.SearchStrategy[Any]]] = [
    (None, SCALARS),
    (None, st.one_of(st.none(), TEXT)),
    (None, st.one_of(st.none(), st.integers(-5, 5))),
    (None, st.one_of(st.none(), st.floats())),
    (None, st.one_of(st.none(), st.dates())),
    (None, st.one_of(st.none(), TIMES)),
    (None, st.one_of(SCALARS, ODD)),
    (dt.date.fromisoformat, st.one_of(st.none(), st.dates().map(_iso_date))),
    (dt.datetime.fromisoformat, st.one_of(st.none(), TIMES.map(dt.datetime.isoformat))),
    (dt.datetime.fromisoformat, st.one_of(st.none(), SQLITE_TIMES)),
    (dt.datetime.fromisoformat, st.one_of(st.none(), st.datetimes().map(_sqlite_time))),
    (bool, st.one_of(st.none(), st.integers(0, 2))),
    (
        json.loads,
        st.one_of(st.none(), st.recursive(SCALARS, st.lists, max_leaves=4).map(json.dumps)),
    ),
]


@st.composite
def tables(draw: st.DrawFn) -> tuple[Table, Layout]:
    """A table of 1-6 columns, some drawing from a few values only (as statuses and dates
    repeat), and a layout of its columns, a group and a computed member."""
    kinds = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6))
    count = draw(st.integers(0, 40))
    columns = []
    for _, values in kinds:
        if draw(st.booleans()):  # few distinct values, each repeated
            values = st.sampled_from(draw(st.lists(values, min_size=1, max_size=3)))
        columns.append(draw(st.lists(values, min_size=count, max_size=count)))
    names = tuple(f"c{index}" for index in range(len(kinds)))
    table = Table(names, list(zip(*columns, strict=True)), tuple(c for c, _ in kinds))
    keys = iter(draw(st.lists(TEXT, min_size=len(names) + 5, max_size=len(names) + 5, unique=True)))
    layout: list[Any] = [Value(next(keys), name) for name in names]
    inner = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
    nested = tuple(Value(next(keys), name) for name in inner)
    group = Group(next(keys), nested, draw(st.sampled_from(names)))
    layout.insert(draw(st.integers(0, len(layout))), group)
    texts = [n for n, (convert, _) in zip(names, kinds, strict=True) if convert is None]
    if texts:  # made from text and None only: equal arguments give equal results
        layout.append(Computed(next(keys), tuple(texts[:2]), _joined))
    return table, tuple(layout)


def _joined(*values: Any) -> Any:
    if not all(isinstance(v, str | None) for v in values):
        return None
    return {"joined": [v for v in values if v is not None], "first": values[0]}


@settings(max_examples=400, deadline=None)
@given(tables())
def test_a_table_is_written_as_json_dumps_writes_its_objects(drawn: tuple[Table, Layout]) -> None:
    table, layout = drawn
    assert outcome(lambda: written(table, layout)) == outcome(lambda: reference(table, layout))


@settings(max_examples=100, deadline=None)
@given(texts=FEW_TEXTS, data=st.data())
def test_repeated_texts_are_written_as_json_dumps_writes_them(
    texts: list[str], data: st.DataObject
) -> None:
    """Columns where each text repeats (encoded once per distinct text) and a group that is
    null on some rows."""
    count = data.draw(st.integers(8, 60))
    picks = st.sampled_from([*texts, None])
    rows = [tuple(data.draw(picks) for _ in range(3)) for _ in range(count)]
    assume(any(r[2] is not None for r in rows))  # the group shows somewhere
    table = Table(("a", "b", "c"), rows, (None, None, None))
    layout = (Value("a", "a"), Group("g", (Value("b", "b"), Value("c", "c")), "c"))
    assert written(table, layout) == reference(table, layout)


def test_many_rows_in_several_batches() -> None:
    """Past a batch: texts first met in a later batch, groups present in some batches only,
    a column all null in one batch and dense in the next."""
    count = 3 * json_table.BATCH + 17
    day = dt.date(2024, 2, 29)
    rows = [
        (
            n,
            f'name «{n}» "{n % 7}"',
            ("draft", "final", "in_review\u2028")[n % 3],
            (day + dt.timedelta(days=n % 500)).isoformat(),
            f"2026-01-{1 + n % 28:02d} 10:{n % 60:02d}:00.{n % 3 * n:06d}" if n % 5 else None,
            None if n < json_table.BATCH else n * 0.5,
            json.dumps({"nda": f"1.{n % 4}.0"}),
            1 if n % 2 else 0,
        )
        for n in range(count)
    ]
    names = ("id", "name", "status", "as_of", "at", "score", "checklists", "flag")
    convert: tuple[Convert, ...] = (
        None,
        None,
        None,
        dt.date.fromisoformat,
        dt.datetime.fromisoformat,
        None,
        json.loads,
        bool,
    )
    table = Table(names, rows, convert)
    layout = (
        *(Value(name, name) for name in names[:5]),
        Group("result", (Value("score", "score"), Value("flag", "flag")), "score"),
        Value("checklists", "checklists"),
        Computed("both", ("status", "flag"), lambda status, flag: [status, flag]),
    )
    assert written(table, layout) == reference(table, layout)
    assert (
        written(table._replace(rows=[]), layout)
        == "[]"
        == reference(table._replace(rows=[]), layout)
    )


def test_naughty_strings_are_written_as_json_dumps_writes_them(naughty_strings: list[str]) -> None:
    rows = [(n, text, text if n % 2 else None) for n, text in enumerate(naughty_strings)]
    rows += [(n, naughty_strings[n % 3], None) for n in range(100)]  # repeated texts
    table = Table(("id", "text", "maybe"), rows, (None, None, None))
    layout = (
        Value("id", "id"),
        Value("text", "text"),
        Group("nested", (Value("again", "text"), Value("maybe", "maybe")), "maybe"),
    )
    assert written(table, layout) == reference(table, layout)


@given(
    st.builds(
        FinalScore,
        st.integers(1),
        st.one_of(st.none(), st.floats(allow_nan=False)),
        st.text(max_size=8),
        st.text(max_size=8),
    )
)
def test_a_final_result_in_json_has_its_fields_in_order(score: FinalScore) -> None:
    (final,) = [field for field in AUDITS if field.key == "final"]
    assert isinstance(final, Group)
    table = Table(
        tuple(f"final.{name}" for name in SCORE_FIELDS),
        [tuple(asdict(score).values())],
        (None,) * 4,
    )
    assert json.loads(written(table, (final,))) == [{"final": asdict(score)}]
    assert list(json.loads(written(table, (final,)))[0]["final"]) == list(asdict(score))


# --- every listing prints what it printed row by row -------------------------------------------

HOSTILE = ['Ünïcödé "quoted" \\ 株式会社\u2028', "tab\there", "bell\x07\x1b[31m", "%s %d {}", "😀"]


def _texts(naughty: list[str]) -> list[str]:
    return HOSTILE + [s for s in naughty if s.strip()][:120]


def build(db: str, texts: list[str]) -> None:
    """Vendors named by hostile texts, each with two audits (the first final, signed off by
    hostile names at a time in UTC, with its stored result) and a finding per audit whose
    summary, owner and notes are hostile too."""
    stamp = dt.datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=dt.UTC)
    with transaction(db) as conn:
        for index, text in enumerate(texts):
            profile = VendorProfile(handles_card_data=index % 4 == 0, personal_data="medium")
            name = _short(text)
            vendor = Vendor(name=f"{index} {name}", contact_name=name, profile=profile)
            vendor_id = vendor_store.add_vendor(conn, vendor, "tester").id or 0
            for year in (2024, 2025):
                as_of = dt.date(year, 1 + index % 12, 1 + index % 28)
                audit = repo.create_audit(conn, vendor_id, {"nda": text[:30]}, {}, as_of, "t")
                if year == 2024:
                    fields = {"reviewer": name, "approver": "A", "approved_at": stamp}
                    fields |= {"decision": "approve", "accepted_unanswered": text}
                    repo.set_audit_status(conn, audit, AuditStatus.FINAL, "t", **fields)
                    overall = None if index % 3 == 0 else 50.0 + index / 7
                    scores.save(conn, FinalScore(audit.id, overall, "low", "approve"))
                    for position in range(index % 3):  # evidence that lapses around mid-2025
                        _link(conn, audit.id, position, dt.date(2025, 1 + index % 12, 10))
                finding = Finding(
                    vendor_id=vendor_id,
                    audit_id=audit.id,
                    question_id=f"nda.q{year}",
                    severity=list(Severity)[index % len(Severity)],
                    status=FindingStatus.OPEN if year == 2025 else FindingStatus.REMEDIATED,
                    summary=text,
                    owner=name if index % 2 else None,
                    due_date=as_of if index % 3 else None,
                    notes=text if index % 2 == 0 else None,
                )
                finding_store.add_finding(conn, finding, "t")


def _short(text: str) -> str:
    """The text cut to fit a name's length limit once normalized (see `auditkit.textnorm`)."""
    while len(normalize(text)) > NAME_MAX - 10:
        text = text[: len(text) // 2]
    return text


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _shown(value) for key, value in row.items()}


def expected(db: str, listing: tuple[str, ...], options: dict[str, Any]) -> Any:
    """What the listing printed when it built each row's object from the library's rows."""
    with Workspace(db=db) as ws:
        if listing[0] == "vendor":
            return [_vendor(v) for v in ws.vendors.listing(**options)]
        if listing[0] == "audit":
            found = ws.audits.listing(**options)
            return [{**_iso(a._asdict()), "final": a.final and asdict(a.final)} for a in found]
        found = ws.findings.listing(**options)
        return [{k: v for k, v in _iso(f._asdict()).items() if k != "vendor"} for f in found]


def _vendor(row: Any) -> dict[str, Any]:
    facts = dict(
        zip(
            ("handles_card_data", "personal_data", "system_access", "criticality"),
            row[5:9],
            strict=True,
        )
    )
    risk = inherent_risk(VendorProfile(**facts))
    return {
        **{k: getattr(row, k) for k in ("id", "name", "services", "contact_name", "contact_email")},
        "profile": facts,
        "inherent_risk": {
            "tier": risk.tier,
            "level": risk.level,
            "points": risk.points,
            "review_months": risk.review_months,
        },
        "meti_level": meti_level(*row[5:7], row.criticality, row.system_access),
        "latest_final": row.latest_final and asdict(row.latest_final),
    }


LISTINGS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("vendor", "list"), {}),
    (("vendor", "list", "--limit", "7", "--offset", "3"), {"limit": 7, "offset": 3}),
    (("audit", "list"), {}),
    (("audit", "list", "--vendor", "2", "--limit", "1"), {"vendor": 2, "limit": 1}),
    (("audit", "list", "--offset", "5"), {"offset": 5}),
    (("findings", "list"), {}),
    (("findings", "list", "--open", "--offset", "2"), {"open_only": True, "offset": 2}),
    (("findings", "list", "--audit", "3"), {"audit": 3}),
    (("findings", "list", "--vendor", "3", "--limit", "1"), {"vendor": 3, "limit": 1}),
]


@pytest.mark.parametrize(("listing", "options"), LISTINGS, ids=[" ".join(a) for a, _ in LISTINGS])
def test_every_listing_prints_the_objects_it_printed_row_by_row(
    db: str,
    run: Callable[..., Result],
    naughty_strings: list[str],
    listing: tuple[str, ...],
    options: dict[str, Any],
) -> None:
    build(db, _texts(naughty_strings))
    want = json.dumps(expected(db, listing, options), ensure_ascii=False, indent=2) + "\n"
    assert want != "[]\n"
    for _ in range(2):  # through SQLAlchemy, then (SQLite) the compiled statements
        result = run(*listing, "--json")
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == want.encode("utf-8")


def test_due_prints_the_objects_it_printed_row_by_row(
    db: str, run: Callable[..., Result], naughty_strings: list[str]
) -> None:
    build(db, _texts(naughty_strings)[:40])
    today = dt.date(2025, 6, 1)
    with Workspace(db=db) as ws:
        lapse = ws.lapsing_evidence(today, 400)
        rows = ws.due(today, 400)
    want = [
        {
            **_iso(r._asdict()),
            "review_early": bool(lapse.get(r.vendor_id)),
            "evidence": [
                {**_iso(f._asdict()), "expired": f.expired(today)}
                for f in lapse.get(r.vendor_id, ())
            ],
        }
        for r in rows
    ]
    text = json.dumps(want, ensure_ascii=False, indent=2, default=str) + "\n"
    for _ in range(2):
        result = run("due", "--today", today.isoformat(), "--soon", "400", "--json")
        assert result.exit_code == 0, result.output
        assert result.output == text


@pytest.mark.sqlite_only
def test_a_listing_that_cannot_read_a_stored_value_prints_nothing(
    db: str, run: Callable[..., Result]
) -> None:
    """More audits than one batch, the last with a start time no calendar has: the listing
    fails as it did when it converted every row before printing, with nothing on stdout."""
    build(db, [f"v{n}" for n in range(json_table.BATCH // 2 + 1)])
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE audits SET started_at = '2024-02-30 10:00:00.000000'"
            " WHERE id = (SELECT max(id) FROM audits)"
        )
    for _ in range(2):  # through SQLAlchemy, then the compiled statements
        result = run("audit", "list", "--json")
        assert isinstance(result.exception, ValueError)
        assert result.stdout_bytes == b""
