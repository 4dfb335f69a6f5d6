"""What each listing reads and how its rows are shaped, whichever way the statements run.

A listing names its statement by a `Shape` (which listing, which filters and paging options)
and passes the values as named parameters; a `Reader` runs it and gives the columns as
SQLAlchemy's result processing gives them (dates, datetimes, booleans, decoded JSON), or as
stored with the conversions still to do (`Reader.stored`, what a listing's `Table` holds). The
statements themselves are built from the schema in `auditkit.storage.listings`; this module
imports no SQLAlchemy, so a cached, compiled statement can be read through `sqlite3` alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from auditkit import catalogue
from auditkit.errors import NotFound
from auditkit.models.listing import (
    AUDIT_FIELDS,
    SCORE_FIELDS,
    AuditLine,
    AuditRow,
    FinalScore,
    FindingLine,
    FindingRow,
    LapsingFile,
    Table,
    VendorRow,
)

Params = Mapping[str, object]
Convert = Callable[[Any], Any]
JSON_COLUMNS = frozenset({"checklists", "profile", "checklist_hashes", "services"})  # as text


class Shape(NamedTuple):
    """One listing statement: the listing and the options that change its SQL."""

    listing: str  # vendors, audits, findings, due, lapsing, vendor_id
    options: tuple[str, ...] = ()  # sorted names of the filters and paging used

    @property
    def key(self) -> str:
        return "/".join((self.listing, *self.options))


class Reader(Protocol):
    def rows(self, shape: Shape, params: Params) -> Sequence[Sequence[Any]]:
        """The rows of the shape's statement with these parameter values."""
        ...

    def stored(
        self, shape: Shape, params: Params
    ) -> tuple[Sequence[Sequence[Any]], Sequence[Convert | None]]:
        """The same rows with their values as read, and per column what `rows` does to a value
        that is not None (None: nothing)."""
        ...


def shape(listing: str, params: Mapping[str, object | None], *flags: str) -> Shape:
    """The shape for the parameters given (None: not used) and the flags set."""
    given = [name for name, value in params.items() if value is not None]
    return Shape(listing, tuple(sorted((*given, *flags))))


def _given(params: Mapping[str, object | None]) -> dict[str, object]:
    return {name: value for name, value in params.items() if value is not None}


def _paging(limit: int | None, offset: int) -> dict[str, object | None]:
    return {"limit": limit, "offset": offset or None}


def no_vendor(text: str) -> NotFound:
    return catalogue.error(NotFound, "no_vendor", vendor=repr(text))


def vendor_id(read: Reader, ref: str | int) -> int:
    """The id of the vendor given by id or exact name."""
    text = str(ref).strip()
    params: dict[str, object | None] = {"id": int(text)} if text.isdigit() else {"name": text}
    found = read.rows(shape("vendor_id", params), _given(params))
    if not found or found[0][0] is None:
        raise no_vendor(text)
    return int(found[0][0])


def _score(values: Sequence[Any]) -> FinalScore | None:
    return None if values[0] is None else FinalScore(*values)


@lru_cache(maxsize=1024)
def _json(text: str | None) -> Any:
    """A JSON column's value, decoded once per distinct text: audits mostly share their
    checklist versions, hashes and profile, so 30,000 rows hold a few hundred distinct values
    (rows share the decoded value: treat it as read-only)."""
    return None if text is None else json.loads(text)


def _json_at(fields: Sequence[str]) -> tuple[int, ...]:
    return tuple(index for index, field in enumerate(fields) if field in JSON_COLUMNS)


_AUDIT_JSON, _VENDOR_JSON = _json_at(AUDIT_FIELDS), _json_at(VendorRow._fields)


def _decoded(values: Sequence[Any], positions: tuple[int, ...]) -> list[Any]:
    """The values with the JSON columns at these positions decoded."""
    out = list(values)
    for index in positions:
        out[index] = _json(out[index])
    return out


def _audit_row(values: Sequence[Any]) -> AuditRow:
    fields = _decoded(values[: len(AUDIT_FIELDS) + 1], _AUDIT_JSON)
    return AuditRow._make((*fields, _score(values[len(AUDIT_FIELDS) + 1 :])))


def vendor_rows(read: Reader, limit: int | None = None, offset: int = 0) -> list[VendorRow]:
    """Vendors by id, each with the stored result of its newest final audit."""
    rows = read.rows(*_vendors(limit, offset))
    return [VendorRow._make((*_decoded(r[:9], _VENDOR_JSON), _score(r[9:]))) for r in rows]


def vendor_table(read: Reader, limit: int | None = None, offset: int = 0) -> Table:
    """The vendors of `vendor_rows` as read (the result's fields "latest_final.<field>")."""
    return _table(read, _vendors(limit, offset), VENDOR_COLUMNS)


def _vendors(limit: int | None, offset: int) -> tuple[Shape, Params]:
    params = _paging(limit, offset)
    return shape("vendors", params), _given(params)


def _table(read: Reader, query: tuple[Shape, Params], columns: tuple[str, ...]) -> Table:
    """The statement's rows as read; a JSON column's text is decoded by its conversion."""
    rows, convert = read.stored(*query)
    return Table(
        columns,
        rows,
        tuple(_json if c in JSON_COLUMNS else f for c, f in zip(columns, convert, strict=True)),
    )


def _scores(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}.{name}" for name in SCORE_FIELDS)


VENDOR_COLUMNS = (*VendorRow._fields[:-1], *_scores("latest_final"))
AUDIT_COLUMNS = (*AUDIT_FIELDS, "vendor", *_scores("final"))


def audit_rows(
    read: Reader, vendor: int | None = None, limit: int | None = None, offset: int = 0
) -> list[AuditRow]:
    """Audits by id with their vendor's name and, for final ones, the stored result."""
    return [_audit_row(r) for r in read.rows(*_audits("audits", vendor, limit, offset))]


def audit_table(
    read: Reader, vendor: int | None = None, limit: int | None = None, offset: int = 0
) -> Table:
    """The audits of `audit_rows` as read (the result's fields "final.<field>")."""
    return _table(read, _audits("audits", vendor, limit, offset), AUDIT_COLUMNS)


def audit_lines(
    read: Reader, vendor: int | None = None, limit: int | None = None, offset: int = 0
) -> list[AuditLine]:
    """The audits of `audit_rows`, only what the text table shows."""
    rows = read.rows(*_audits("audit_lines", vendor, limit, offset))
    return [AuditLine._make((*r[:4], _json(r[4]), _score(r[5:]))) for r in rows]


def _audits(
    listing: str, vendor: int | None, limit: int | None, offset: int
) -> tuple[Shape, Params]:
    params = {"vendor": vendor, **_paging(limit, offset)}
    return shape(listing, params), _given(params)


def finding_rows(
    read: Reader,
    vendor: int | None = None,
    open_only: bool = False,
    audit: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FindingRow]:
    """Findings by id with their vendor's name."""
    rows = read.rows(*_findings("findings", vendor, open_only, audit, limit, offset))
    return list(map(FindingRow._make, rows))


def finding_table(
    read: Reader,
    vendor: int | None = None,
    open_only: bool = False,
    audit: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Table:
    """The findings of `finding_rows` as read."""
    query = _findings("findings", vendor, open_only, audit, limit, offset)
    return _table(read, query, FindingRow._fields)


def finding_lines(
    read: Reader,
    vendor: int | None = None,
    open_only: bool = False,
    audit: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FindingLine]:
    """The findings of `finding_rows`, only what the text table shows."""
    rows = read.rows(*_findings("finding_lines", vendor, open_only, audit, limit, offset))
    return list(map(FindingLine._make, rows))


def _findings(
    listing: str,
    vendor: int | None,
    open_only: bool,
    audit: int | None,
    limit: int | None,
    offset: int,
) -> tuple[Shape, Params]:
    params = {"vendor": vendor, "audit": audit, **_paging(limit, offset)}
    flags = ("open",) if open_only else ()
    return shape(listing, params, *flags), _given(params)


def day_key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def due_rows(
    read: Reader, today: dt.date, soon: dt.date, limit: int | None = None, offset: int = 0
) -> list[tuple[int, str, bool, str, str, str, dt.date | None]]:
    """Vendors most urgent first: never reviewed, overdue (next review before `today`), due
    soon (on or before `soon`), current; then by next review date and name (the order and
    the page come from the statement). Rows: id, name, the four profile facts, the newest
    final audit's date."""
    params = {"today": day_key(today), "soon": day_key(soon), **_paging(limit, offset)}
    rows = read.rows(shape("due", params), _given(params))
    return [(*r[:6], _date(r[6])) for r in rows]


def _date(value: Any) -> dt.date | None:
    """A date read back (SQLite's max() gives the stored text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def lapsing_files(read: Reader, until: dt.date) -> list[LapsingFile]:
    """Evidence of each vendor's latest final audit that expires on or before `until` (one
    statement, whatever the number of vendors). A final audit's links cannot change after
    sign-off, so they say what its frozen record says."""
    found: dict[tuple[int, str], LapsingFile] = {}
    for row in read.rows(Shape("lapsing", ("until",)), {"until": until}):
        vendor_id, audit_id, name, kind, sha, expires, question = row
        day = expires if isinstance(expires, dt.date) else dt.date.fromisoformat(str(expires))
        key = (vendor_id, sha)
        known = found.get(key)
        questions = (*known.questions, question) if known else (question,)
        found[key] = LapsingFile(vendor_id, audit_id, name, kind, sha, day, questions)
    return list(found.values())
