"""An audit as data: its state, which checklists apply, and the findings its result implies.

Pure: no storage, no I/O. Services load an `AuditState` and store what is derived here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from auditkit import catalogue
from auditkit.models.audit import Answer, Audit, Finding, FindingStatus
from auditkit.models.checklist import Checklist, Question, Severity
from auditkit.models.confidence import NEUTRAL, ConfidenceRules
from auditkit.models.message import Message
from auditkit.models.record import FrozenRecord
from auditkit.models.vendor import Vendor
from auditkit.records import result_from_record
from auditkit.risk import inherent_risk
from auditkit.scoring import AuditResult, score_audit


@dataclass(frozen=True)
class AuditState:
    """Everything needed to score or render one audit."""

    audit: Audit
    vendor: Vendor
    checklists: tuple[Checklist, ...]
    answers: dict[str, Answer]
    warnings: tuple[Message, ...] = ()
    record: FrozenRecord | None = None  # a final audit's frozen record: read, never re-scored
    confidence: ConfidenceRules = NEUTRAL  # the rules it is scored with (a record's own)

    def question(self, question_id: str) -> Question | None:
        for checklist in self.checklists:
            found = checklist.question(question_id)
            if found:
                return found
        return None

    def applies(self, question: Question) -> bool:
        """Whether the question applies to this audit's profile and its answers so far."""
        facts = self.audit.profile
        values = {qid: a.value for qid, a in self.answers.items()}
        checklist = next(c for c in self.checklists if c.question(question.id))
        return checklist.applies_to(facts) and question.applies_to(facts, values)

    def score(self) -> AuditResult:
        """A final audit's stored result; a draft's fresh score."""
        if self.record is not None:
            return result_from_record(self.record.result, self.checklists)
        tier = inherent_risk(self.vendor.profile).tier
        return score_audit(
            self.checklists, self.audit.profile, self.answers, tier, self.audit.as_of,
            self.confidence,
        )  # fmt: skip


class Scored(NamedTuple):
    """An audit and its score (read-only: nothing was stored to make it)."""

    state: AuditState
    result: AuditResult


@dataclass(frozen=True)
class FindingDraft:
    """What a failed or partial answer says about the vendor, before it is stored."""

    question_id: str
    severity: Severity
    summary: str


def applicable_checklists(vendor: Vendor, checklists: dict[str, Checklist]) -> list[Checklist]:
    facts = vendor.profile.facts(vendor.services)
    return [c for c in checklists.values() if c.applies_to(facts)]


def finding_drafts(result: AuditResult) -> dict[str, FindingDraft]:
    """One draft per failing question: its severity and a one-line summary."""
    english = catalogue.load("en")  # stored summaries are English; readers see titles
    drafts = {}
    for outcome in result.findings:
        summary = outcome.question.text.en
        if outcome.notes:
            summary += f" ({'; '.join(english.render(n) for n in outcome.notes)})"
        drafts[outcome.question.id] = FindingDraft(
            outcome.question.id, outcome.question.severity, summary
        )
    return drafts


def passed_questions(result: AuditResult) -> set[str]:
    """Questions that pass now (their open findings are remediated)."""
    return {r.question.id for d in result.domains for r in d.questions if r.status == "pass"}


class FindingChange(NamedTuple):
    """One change `finding_changes` asks for: a new finding (`finding` None) or these fields of
    a stored one."""

    finding: Finding | None
    question_id: str
    fields: dict[str, object]


def finding_changes(
    audit_id: int, result: AuditResult, stored: list[Finding]
) -> list[FindingChange]:
    """What brings a vendor's stored findings in line with its latest audit's result: a finding
    per failed/partial answer (new, or the live one carried with this audit's severity and
    summary), and open ones whose question now passes remediated. Empty: nothing to write."""
    live = {f.question_id: f for f in stored if f.status is not FindingStatus.REMEDIATED}
    out: list[FindingChange] = []
    for question_id, draft in finding_drafts(result).items():
        wanted = {"audit_id": audit_id, "severity": draft.severity, "summary": draft.summary}
        existing = live.get(question_id)
        if existing is None:
            out.append(FindingChange(None, question_id, wanted))
        elif changed := {k: v for k, v in wanted.items() if getattr(existing, k) != v}:
            out.append(FindingChange(existing, question_id, changed))
    passed = passed_questions(result)
    for question_id, finding in live.items():
        if question_id in passed and finding.status is FindingStatus.OPEN:
            fields = {"status": FindingStatus.REMEDIATED, "audit_id": audit_id}
            out.append(FindingChange(finding, question_id, fields))
    return out
