"""Rows of the listing commands: plain tuples read straight from the database, one per vendor,
audit or finding (no validation per row; listings show tens of thousands). Field names and
order are those of the full models, so a row's JSON is the model's JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class FinalScore:
    """A final audit's headline result, as listings show it."""

    audit_id: int
    overall: float | None
    rating: str
    recommendation: str


SCORE_FIELDS = tuple(f.name for f in fields(FinalScore))


class Table(NamedTuple):
    """A listing as read, before its rows are shaped into row tuples (a long listing's JSON is
    written from it a column at a time). `columns` names each column as the row type names
    its field ("final.rating": a field of the row's `final`); `convert` gives per column what
    still turns a value that is not None into the row's value (None: nothing to do; the
    compiled SQLite reads leave dates, times and booleans as stored, and JSON columns are
    read as their text)."""

    columns: tuple[str, ...]
    rows: Sequence[Sequence[Any]]
    convert: tuple[Callable[[Any], Any] | None, ...]


class VendorRow(NamedTuple):
    id: int
    name: str
    services: list[str]
    contact_name: str | None
    contact_email: str | None
    handles_card_data: bool
    personal_data: str
    system_access: str
    criticality: str
    latest_final: FinalScore | None  # the newest final audit's stored result


class AuditRow(NamedTuple):
    id: int
    vendor_id: int
    status: str
    checklists: dict[str, str]
    profile: dict[str, object]
    previous_id: int | None
    started_at: dt.datetime
    as_of: dt.date
    reviewer: str | None
    approver: str | None
    finalized_at: dt.datetime | None
    checklist_hashes: dict[str, str] | None
    decision: str | None
    approved_at: dt.datetime | None
    single_person: bool
    accepted_unanswered: str | None
    finalized_by: str | None
    vendor: str  # the vendor's name
    final: FinalScore | None  # the stored result when the audit is final


AUDIT_FIELDS = AuditRow._fields[:-2]  # the fields of `auditkit.models.audit.Audit`


class AuditLine(NamedTuple):
    """What the text table of `audit list` shows of an audit: fewer columns than `AuditRow`,
    so a long listing reads and converts only these (fields named as in `AuditRow`)."""

    id: int
    vendor: str  # the vendor's name
    status: str
    as_of: dt.date
    checklists: dict[str, str]
    final: FinalScore | None  # the stored result when the audit is final


class FindingRow(NamedTuple):
    id: int
    vendor_id: int
    audit_id: int
    question_id: str
    severity: str
    status: str
    summary: str
    owner: str | None
    due_date: dt.date | None
    notes: str | None
    vendor: str  # the vendor's name


FINDING_FIELDS = FindingRow._fields[:-1]  # the fields of `auditkit.models.audit.Finding`


class FindingLine(NamedTuple):
    """What the text table of `findings list` shows of a finding (fields named as in
    `FindingRow`; no summary or notes)."""

    id: int
    vendor: str  # the vendor's name
    audit_id: int
    question_id: str
    severity: str
    status: str
    owner: str | None
    due_date: dt.date | None


class DueRow(NamedTuple):
    """A vendor's next review: the last final audit's date plus its tier's cycle."""

    vendor: str  # the vendor's name
    vendor_id: int
    tier: int
    last_final: dt.date | None
    due: dt.date | None
    state: str  # never_reviewed, overdue, due_soon, current


class LapsingFile(NamedTuple):
    """An evidence file of a vendor's latest final audit that has expired or expires soon
    (`due` shows it as a reason to review early)."""

    vendor_id: int
    audit_id: int
    name: str
    kind: str
    sha256: str
    expires: dt.date
    questions: tuple[str, ...]

    def expired(self, today: dt.date) -> bool:
        return self.expires < today
