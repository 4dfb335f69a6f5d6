"""Audits, answers, evidence and findings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from auditkit.models.checklist import Severity
from auditkit.models.common import Strict
from auditkit.models.listing import FinalScore
from auditkit.models.states import AuditStatus, FindingStatus, Source
from auditkit.textnorm import LongText, Name, Reference

AnswerValue = LongText | float | list[str] | None


class Knowledge(StrEnum):
    """How an answer is known, from weakest to strongest by default."""

    SELF_ATTESTED = "self_attested"  # the vendor says so
    EVIDENCE = "evidence"  # backed by a valid evidence file the question accepts
    VERIFIED = "verified"  # checked by the auditor (interview, demo, on-site)
    MEASURED = "measured"  # measured from outside by a probe


class VerifyHow(StrEnum):
    INTERVIEW = "interview"
    DEMO = "demo"
    ONSITE = "onsite"


class Verification(Strict):
    """An auditor's check of an answer; it holds for the answer's value it was made on."""

    how: VerifyHow
    note: LongText | None = None
    by: Name | None = None
    at: dt.datetime | None = None


class Evidence(Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: Reference
    kind: Name
    size: int = 0
    issued: dt.date | None = None
    expires: dt.date | None = None
    note: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return self.expires is None or self.expires >= day


class Answer(Strict):
    question_id: str
    value: AnswerValue = None  # choice value(s), number, ISO date, text or "n/a"
    comment: LongText | None = None
    source: Source = Source.VENDOR
    evidence: list[Evidence] = Field(default_factory=list)
    evidence_ref: Reference | None = None  # the vendor's own reference (document, URL, ticket)
    answered_by: Name | None = None
    answered_at: dt.datetime | None = None
    verification: Verification | None = None  # the auditor's check, if any

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Without `verification` when there is none: answers stored in frozen records and
        reports before it existed dump exactly as they did."""
        data = handler(self)
        if isinstance(data, dict) and data.get("verification") is None:
            data.pop("verification", None)
        return data


class Finding(Strict):
    id: int | None = None
    vendor_id: int
    audit_id: int
    question_id: str
    severity: Severity
    status: FindingStatus = FindingStatus.OPEN
    summary: LongText
    owner: Name | None = None
    due_date: dt.date | None = None
    notes: LongText | None = None


class Audit(Strict):
    id: int
    vendor_id: int
    status: AuditStatus
    checklists: dict[str, str]  # checklist id -> pinned version
    profile: dict[str, object]  # vendor facts when the audit started
    previous_id: int | None = None
    started_at: dt.datetime
    as_of: dt.date
    reviewer: Name | None = None
    approver: Name | None = None
    finalized_at: dt.datetime | None = None
    checklist_hashes: dict[str, str] | None = None  # checklist id -> pinned content sha256
    decision: str | None = None  # the approver's decision (a recommendation value)
    approved_at: dt.datetime | None = None
    single_person: bool = False  # signed off without an independent approver
    accepted_unanswered: str | None = None  # reason for signing off with open questions
    finalized_by: str | None = None


class Change(Strict):
    at: dt.datetime
    actor: str
    entity: str
    entity_id: str
    audit_id: int | None
    field: str
    old: object = None
    new: object = None


__all__ = [
    "Answer",
    "AnswerValue",
    "Audit",
    "AuditStatus",
    "Change",
    "Evidence",
    "FinalScore",
    "Finding",
    "FindingStatus",
    "Source",
]
