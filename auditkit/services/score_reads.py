"""Scoring an audit from one read-only snapshot through the compiled statements
(`auditkit.storage.reads.compiled`), without importing SQLAlchemy, whenever that writes nothing:
otherwise (a draft to pin, findings to open, carry or close, no compiled statements) the use
case runs as ever in `audits`, after which its statements are compiled for the next time."""

from __future__ import annotations

from auditkit.assessment import Scored, finding_changes
from auditkit.models.audit import AuditStatus
from auditkit.models.checklist import Checklist
from auditkit.models.confidence import ConfidenceRules
from auditkit.services import audit_loading
from auditkit.storage import audit_reads, audit_shapes, reads
from auditkit.storage.listing_reads import Reader


def score(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    rules: ConfidenceRules | None = None,
) -> Scored:
    """The audit and its score (see `audits.score`)."""
    try:
        return reads.compiled(db, lambda read: _scored(read, audit_id, checklists, rules))
    except reads.Miss:
        pass
    from auditkit.services import audits

    scored = audits.score(db, audit_id, checklists, rules)
    reads.remember(db, audit_shapes.SHAPES)
    return scored


def refresh_findings(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    actor: str,
    rules: ConfidenceRules | None = None,
) -> Scored:
    """The audit scored and its vendor's findings brought up to date (see
    `audits.refresh_findings`); read-only when they already are."""

    def work(read: Reader) -> Scored:
        scored = _scored(read, audit_id, checklists, rules)
        if _findings_to_write(read, scored):
            raise reads.Miss("findings to write")
        return scored

    try:
        return reads.compiled(db, work)
    except reads.Miss:
        pass
    from auditkit.services import audits

    scored = audits.refresh_findings(db, audit_id, checklists, actor, rules)
    reads.remember(db, audit_shapes.SHAPES)
    return scored


def _scored(
    read: Reader, audit_id: int, checklists: dict[str, Checklist], rules: ConfidenceRules | None
) -> Scored:
    state = audit_loading.load(read, audit_id, checklists, True, rules, _would_pin)
    return Scored(state, state.score())


def _would_pin(checklist: Checklist) -> str:
    raise reads.Miss("a draft to pin")


def _findings_to_write(read: Reader, scored: Scored) -> bool:
    """Whether `findings.sync` would write (never for a final audit, nor for any but the
    vendor's latest audit)."""
    audit = scored.state.audit
    if audit.status is AuditStatus.FINAL:
        return False
    vendor_id = scored.state.vendor.id or 0
    latest = audit_reads.latest_audit_id(read, vendor_id)
    if latest is not None and latest != audit.id:
        return False
    stored = audit_reads.findings(read, vendor_id)
    return bool(finding_changes(audit.id, scored.result, stored))
