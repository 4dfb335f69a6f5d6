"""The evidence register: every evidence file linked to an audit's answers, with the details of
its link and the questions it supports. A final audit's evidence is read from its frozen record
(what was signed off), a draft's from its current links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from auditkit.models.audit import Answer, Audit, AuditStatus, Evidence
from auditkit.storage import evidence as evidence_store
from auditkit.storage import records as record_store
from auditkit.storage import repository as repo
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import Connection, transaction


@dataclass(frozen=True)
class EvidenceEntry:
    """One file as one audit relies on it (details of its first link in question order)."""

    vendor: str
    vendor_id: int
    audit_id: int
    audit_status: str
    evidence: Evidence
    questions: tuple[str, ...]

    def days_left(self, today: dt.date) -> int | None:
        expires = self.evidence.expires
        return None if expires is None else (expires - today).days

    def expired(self, today: dt.date) -> bool:
        return not self.evidence.valid_on(today)


@dataclass(frozen=True)
class EvidenceFilter:
    vendor_ref: str | None = None
    audit_id: int | None = None
    expiring_days: int | None = None  # expires between today and today + this many days
    expired: bool = False  # expired before today
    today: dt.date | None = None

    def keeps(self, entry: EvidenceEntry, today: dt.date) -> bool:
        if self.expiring_days is None and not self.expired:
            return True
        left = entry.days_left(today)
        if left is None:
            return False
        return (self.expired and left < 0) or (
            self.expiring_days is not None and 0 <= left <= self.expiring_days
        )


def entries(audit: Audit, vendor: str, answers: Mapping[str, Answer]) -> list[EvidenceEntry]:
    """An audit's files, each once with every question it supports, in file-name order."""
    found: dict[str, tuple[Evidence, list[str]]] = {}
    for question_id in sorted(answers):
        for item in answers[question_id].evidence:
            found.setdefault(item.sha256, (item, []))[1].append(question_id)
    rows = [
        EvidenceEntry(vendor, audit.vendor_id, audit.id, audit.status.value, item, tuple(qs))
        for item, qs in found.values()
    ]
    return sorted(rows, key=lambda e: (e.evidence.name, e.evidence.sha256))


def _audit_answers(conn: Connection, audits: Iterable[Audit]) -> dict[int, dict[str, Answer]]:
    """Each audit's answers with their evidence: frozen records for final audits, one query
    over the links for the others (and for audits finalized before records existed)."""
    chosen = list(audits)
    finals = [a.id for a in chosen if a.status is AuditStatus.FINAL]
    records = record_store.records_of(conn, finals)
    out: dict[int, dict[str, Answer]] = {i: r.answers for i, r in records.items()}
    live = [a.id for a in chosen if a.id not in records]
    for audit_id, linked in evidence_store.links_of(conn, live).items():
        out[audit_id] = {
            qid: Answer(question_id=qid, evidence=items) for qid, items in linked.items()
        }
    return out


def _order(entry: EvidenceEntry) -> tuple[bool, dt.date, int, str]:
    expires = entry.evidence.expires
    return (expires is None, expires or dt.date.max, entry.audit_id, entry.evidence.name)


def register(
    db: str | None, where: EvidenceFilter, limit: int | None = None, offset: int = 0
) -> list[EvidenceEntry]:
    """Evidence of every audit (of a vendor, or one audit), soonest expiry first."""
    today = where.today or dt.date.today()
    with transaction(db, readonly=True) as conn:
        if where.audit_id is not None:
            audits = [repo.get_audit(conn, where.audit_id)]
            if where.vendor_ref is not None:
                vendor_id = vendor_store.get_vendor(conn, where.vendor_ref).id
                audits = [a for a in audits if a.vendor_id == vendor_id]
        else:
            vendor_id = (
                vendor_store.get_vendor(conn, where.vendor_ref).id if where.vendor_ref else None
            )
            audits = repo.list_audits(conn, vendor_id)
        names = {
            v.id: v.name for v in vendor_store.list_vendors(conn, ids={a.vendor_id for a in audits})
        }
        answers = _audit_answers(conn, audits)
    rows = [
        entry
        for audit in audits
        for entry in entries(audit, names[audit.vendor_id], answers.get(audit.id, {}))
        if where.keeps(entry, today)
    ]
    rows.sort(key=_order)
    return rows[offset : None if limit is None else offset + limit]


def _finalized(audit: Audit) -> tuple[dt.datetime, int]:
    moment = audit.finalized_at or dt.datetime.min
    return moment.replace(tzinfo=None), audit.id


def relied_on(conn: Connection) -> dict[int, list[EvidenceEntry]]:
    """Per vendor, the evidence of its latest final audit: what the decision rests on."""
    latest: dict[int, Audit] = {}
    finals = [a for a in repo.list_audits(conn) if a.status is AuditStatus.FINAL]
    for audit in sorted(finals, key=_finalized):  # the most recently finalized one wins
        latest[audit.vendor_id] = audit
    answers = _audit_answers(conn, latest.values())
    return {
        vendor_id: entries(audit, "", answers.get(audit.id, {}))
        for vendor_id, audit in latest.items()
    }
