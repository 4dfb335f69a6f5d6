"""An audit's state read through a `Reader` (`auditkit.storage.audit_reads`): the one way an
audit is loaded, whether its statements run through SQLAlchemy in a transaction
(`audits.load`) or compiled, through `sqlite3` (`score_reads`)."""

from __future__ import annotations

from collections.abc import Callable

from auditkit.assessment import AuditState, FindingChange, finding_changes
from auditkit.checklists import load_confidence
from auditkit.models.audit import AuditStatus
from auditkit.models.checklist import Checklist
from auditkit.models.confidence import NEUTRAL, ConfidenceRules
from auditkit.models.message import Message
from auditkit.scoring import AuditResult
from auditkit.services import pins
from auditkit.storage import audit_reads
from auditkit.storage.listing_reads import Reader


def load(
    read: Reader,
    audit_id: int,
    checklists: dict[str, Checklist],
    strict: bool,
    rules: ConfidenceRules | None,
    adopt: Callable[[Checklist], str],
) -> AuditState:
    """A final audit from its frozen record (with the confidence rules frozen in it); a draft
    with its pinned checklist content (`strict`: refuse a checklist file changed under the
    pinned version number), scored with `rules` (default: the shipped confidence rules).
    `adopt` pins a checklist of a draft started before contents were pinned."""
    audit = audit_reads.audit(read, audit_id)
    if audit.status is AuditStatus.FINAL:
        record = audit_reads.record(read, audit_id)
        if record is not None:
            frozen = tuple(
                audit_reads.checklist(read, p.sha256) for p in record.checklists.values()
            )
            kept = record.confidence or NEUTRAL
            return AuditState(audit, record.vendor, frozen, record.answers, (), record, kept)
    vendor = audit_reads.vendor(read, audit.vendor_id)

    def stored(sha: str) -> Checklist:
        return audit_reads.checklist(read, sha)

    pinned, warnings = pins.resolve(audit, checklists, strict, stored, adopt)
    if audit.status is AuditStatus.FINAL:
        warnings.append(Message.of("finalized_before_records", audit=audit_id))
    answers = audit_reads.answers(read, audit_id)
    if audit.status is AuditStatus.FINAL:  # finalized before records: scored as it was then
        return AuditState(audit, vendor, tuple(pinned), answers, tuple(warnings))
    current = rules or load_confidence()
    return AuditState(audit, vendor, tuple(pinned), answers, tuple(warnings), None, current)


def pending_findings(read: Reader, state: AuditState, result: AuditResult) -> list[FindingChange]:
    """What bringing the vendor's findings in line with `result` would write. Findings follow
    the vendor's current state, so only its latest audit changes them: re-scoring an older
    audit leaves them alone."""
    vendor_id = state.vendor.id or 0
    latest = audit_reads.latest_audit_id(read, vendor_id)
    if latest is not None and latest != state.audit.id:
        return []
    return finding_changes(state.audit.id, result, audit_reads.findings(read, vendor_id))
