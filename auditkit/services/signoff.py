"""Sign-off: the rules a final audit must meet, and freezing its record in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from auditkit import catalogue, textnorm
from auditkit.assessment import AuditState
from auditkit.errors import AuditkitError, Conflict, ValidationProblem
from auditkit.models.audit import Audit, AuditStatus, FinalScore, Finding, FindingStatus
from auditkit.models.checklist import Checklist
from auditkit.models.confidence import ConfidenceRules
from auditkit.models.message import Message, Param
from auditkit.models.record import ChecklistPin, FrozenRecord, SignOff
from auditkit.records import comparison_record, result_record, unanswered
from auditkit.risk import inherent_risk
from auditkit.scoring import AuditResult
from auditkit.services import audits
from auditkit.services import findings as finding_service
from auditkit.storage import change_log, scores
from auditkit.storage import findings as finding_store
from auditkit.storage import records as record_store
from auditkit.storage import repository as repo
from auditkit.storage.db import Connection, transaction

DECISIONS = ("approve", "approve_with_conditions", "reject")
SHOWN_UNANSWERED = 10


@dataclass(frozen=True)
class SignOffRequest:
    reviewer: str
    approver: str | None = None
    decision: str | None = None  # default: the computed recommendation
    accept_unanswered: str | None = None  # the reason for signing off with open questions
    single_person: bool = False  # sign off without an independent approver
    four_eyes_optional: bool = False  # the setting that allows single-person sign-off


def check_people(audit_id: int, request: SignOffRequest) -> tuple[str, str | None]:
    """Reviewer and approver, or Conflict naming the rule that is broken."""
    reviewer = (textnorm.field("reviewer", request.reviewer, textnorm.NAME_MAX) or "").strip()
    approver = (
        textnorm.field("approver", request.approver, textnorm.NAME_MAX) or ""
    ).strip() or None
    if not reviewer:
        raise catalogue.error(Conflict, "signoff_no_reviewer", audit=audit_id)
    if request.single_person:
        if not request.four_eyes_optional:
            raise catalogue.error(Conflict, "signoff_four_eyes", audit=audit_id)
        return reviewer, approver
    if approver is None:
        raise catalogue.error(Conflict, "signoff_no_approver", audit=audit_id)
    if approver.casefold() == reviewer.casefold():
        raise catalogue.error(
            Conflict, "signoff_same_person", audit=audit_id, reviewer=repr(reviewer)
        )
    return reviewer, approver


def check_unanswered(audit_id: int, result: AuditResult, reason: str | None) -> list[str]:
    """The open applicable questions; refused unless a reason is given."""
    open_ids = unanswered(result)
    if open_ids and not (reason or "").strip():
        shown: Param = ", ".join(open_ids[:SHOWN_UNANSWERED])
        if len(open_ids) > SHOWN_UNANSWERED:
            hidden = len(open_ids) - SHOWN_UNANSWERED
            shown = Message.of("list_and_more", items=shown, count=hidden)
        raise catalogue.error(
            ValidationProblem,
            "signoff_unanswered",
            audit=audit_id,
            count=len(open_ids),
            questions=shown,
        )
    return open_ids


def finalize(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    request: SignOffRequest,
    actor: str,
    rules: ConfidenceRules | None = None,
) -> Audit:
    """Check the sign-off rules, then in one transaction: update findings, freeze the record
    (checklist content, vendor and tier, answers with evidence details, result, findings,
    comparison, sign-off) and mark the audit final. All of it is stored, or none."""
    if request.decision is not None and request.decision not in DECISIONS:
        raise catalogue.error(
            ValidationProblem,
            "unknown_decision",
            decision=repr(request.decision),
            expected=", ".join(DECISIONS),
        )
    with transaction(db) as conn:
        repo.lock_writable(conn, audit_id)
        current = audits.load(conn, audit_id, checklists, rules=rules)
        repo.require_writable(current.audit)
        reviewer, approver = check_people(audit_id, request)
        result = current.score()
        open_ids = check_unanswered(audit_id, result, request.accept_unanswered)
        finding_service.sync(conn, current, result, actor)
        moment = change_log.now()
        reason = (request.accept_unanswered or "").strip() or None
        signoff = SignOff(
            reviewer=reviewer,
            approver=approver,
            decision=request.decision or result.recommendation,
            approved_at=moment,
            single_person=request.single_person,
            accepted_unanswered=reason if open_ids else None,
            unanswered=open_ids,
            finalized_by=actor,
        )
        previous = record_store.latest_final(conn, current.vendor.id or 0)
        record = FrozenRecord(
            vendor=current.vendor,
            tier=inherent_risk(current.vendor.profile).tier,
            checklists={
                c.id: ChecklistPin(version=c.version, sha256=record_store.store_checklist(conn, c))
                for c in current.checklists
            },
            answers=current.answers,
            result=result_record(result),
            findings=_open_findings(conn, current, result),
            comparison=_comparison(conn, previous, checklists),
            signoff=signoff,
            confidence=current.confidence,
        )
        record_store.save_record(conn, audit_id, record)
        scores.save(
            conn,
            FinalScore(
                audit_id=audit_id,
                overall=result.overall,
                rating=result.rating,
                recommendation=result.recommendation,
            ),
        )
        return repo.set_audit_status(
            conn,
            current.audit,
            AuditStatus.FINAL,
            actor,
            reviewer=reviewer,
            approver=approver,
            decision=signoff.decision,
            approved_at=moment,
            finalized_at=moment,
            single_person=request.single_person,
            accepted_unanswered=signoff.accepted_unanswered,
            finalized_by=actor,
            previous_id=previous.id if previous else None,
        )


def _open_findings(conn: Connection, state: AuditState, result: AuditResult) -> list[Finding]:
    failing = {r.question.id for r in result.findings}
    kept = {
        f.question_id: f
        for f in finding_store.list_findings(conn, state.vendor.id or 0)
        if f.question_id in failing and f.status is not FindingStatus.REMEDIATED
    }
    return [kept[q] for q in sorted(kept)]


def _comparison(
    conn: Connection, previous: Audit | None, checklists: dict[str, Checklist]
) -> dict[str, object] | None:
    if previous is None:
        return None
    try:
        state = audits.load(conn, previous.id, checklists, strict=False)
    except AuditkitError:  # an old audit whose checklist is no longer available
        return None
    return comparison_record(previous.id, previous.as_of.isoformat(), state.score())
