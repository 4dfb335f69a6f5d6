"""The frozen record of a final audit, and the content hashes that pin checklists.

Pure data: canonical JSON, content hashes, the record model and the comparison of two versions
of a checklist (for `audit upgrade`). No I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import weakref
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from auditkit.models.audit import Answer, Finding
from auditkit.models.checklist import Checklist, Question
from auditkit.models.common import Strict
from auditkit.models.confidence import ConfidenceRules
from auditkit.models.message import Message
from auditkit.models.vendor import Vendor

RECORD_FORMAT = "auditkit.record/1"


def canonical_json(data: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_of(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def checklist_content(checklist: Checklist) -> dict[str, Any]:
    """Everything a checklist says (questions, choices, scores, weights, conditions, both
    languages), as plain JSON that validates back into the same checklist. The questions'
    `examples` (test data for the checklist's own tests, never read by scoring) are left out."""
    return checklist.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=_EXAMPLES)


_EXAMPLES = {"questions": {"__all__": {"examples"}}}


# content hashes of live checklist objects (immutable models), by object identity
_HASHES: dict[int, tuple[weakref.ref[Checklist], str]] = {}


def content_hash(checklist: Checklist) -> str:
    """SHA-256 of the checklist's canonical content: the same whatever the YAML layout
    (computed once per checklist object: checklists are immutable)."""
    key = id(checklist)
    known = _HASHES.get(key)
    if known is not None and known[0]() is checklist:
        return known[1]
    sha = sha256_of(checklist_content(checklist))
    remember_hash(checklist, sha)
    return sha


def remember_hash(checklist: Checklist, sha: str) -> None:
    """Take `sha` as the checklist's content hash (computed earlier, by trusted code)."""
    key = id(checklist)
    _HASHES[key] = (weakref.ref(checklist, lambda _gone: _HASHES.pop(key, None)), sha)


def question_content(question: Question) -> dict[str, Any]:
    return question.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"examples"})


class ChecklistPin(Strict):
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class SignOff(Strict):
    reviewer: str
    approver: str | None  # None only for a single-person sign-off
    decision: str  # the approver's decision: approve / approve_with_conditions / reject
    approved_at: dt.datetime
    single_person: bool = False  # True: not independently approved
    accepted_unanswered: str | None = None  # the reason, when questions were left open
    unanswered: list[str] = Field(default_factory=list)  # applicable questions left open
    finalized_by: str  # who ran finalize


class FrozenRecord(Strict):
    """Everything a final audit's result depends on, as it was at sign-off."""

    format: str = RECORD_FORMAT
    vendor: Vendor  # the vendor and its profile at sign-off
    tier: int  # inherent-risk tier derived from that profile
    checklists: dict[str, ChecklistPin]  # in audit order; contents stored by sha256
    answers: dict[str, Answer]  # each with its evidence links' details
    result: dict[str, Any]  # the scoring result, full precision (see auditkit.records)
    findings: list[Finding]  # the open findings the report shows, as at sign-off
    comparison: dict[str, Any] | None  # the previous final audit, reduced for the report
    signoff: SignOff
    # the confidence rules the result was scored with (None: frozen before they existed)
    confidence: ConfidenceRules | None = None

    def content(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if data.get("confidence") is None:  # a record frozen before the rules reads back as is
            data.pop("confidence", None)
        return data

    def sha256(self) -> str:
        return sha256_of(self.content())


@dataclass(frozen=True)
class ChecklistUpgrade:
    """What moving an audit from one content of a checklist to another changes."""

    checklist_id: str
    old_version: str
    new_version: str
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def unchanged_content(self) -> bool:
        return not (self.added or self.dropped or self.changed)

    def describe(self) -> Message:
        parts = [
            Message.of(code, ids=", ".join(ids))
            for code, ids in (
                ("upgrade_added", self.added),
                ("upgrade_dropped", self.dropped),
                ("upgrade_changed", self.changed),
            )
            if ids
        ]
        what = parts[0] if parts else Message.of("upgrade_nothing")
        for part in parts[1:]:
            what = Message.of("two_parts", first=what, second=part)
        return Message.of(
            "upgrade_plan",
            checklist=self.checklist_id,
            old=self.old_version,
            new=self.new_version,
            what=what,
        )


def plan_upgrade(old: Checklist, new: Checklist) -> ChecklistUpgrade:
    """Added, dropped and changed questions (any difference in a question's content)."""
    before = {q.id: question_content(q) for q in old.questions}
    after = {q.id: question_content(q) for q in new.questions}
    return ChecklistUpgrade(
        checklist_id=new.id,
        old_version=old.version,
        new_version=new.version,
        added=tuple(q for q in after if q not in before),
        dropped=tuple(q for q in before if q not in after),
        changed=tuple(q for q in after if q in before and before[q] != after[q]),
    )
