"""Scoring an audit from one read-only snapshot through the compiled statements
(`auditkit.storage.reads.compiled`), without importing SQLAlchemy, whenever that writes nothing:
otherwise (a draft to pin, findings to open, carry or close, no compiled statements) the use
case runs as ever in `audits`, after which its statements are compiled for the next time."""

from __future__ import annotations

from collections.abc import Callable

from auditkit.assessment import Scored
from auditkit.models.audit import AuditStatus
from auditkit.models.checklist import Checklist
from auditkit.models.confidence import ConfidenceRules
from auditkit.services import audit_loading
from auditkit.storage import audit_shapes, reads
from auditkit.storage.listing_reads import Reader


def score(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    rules: ConfidenceRules | None = None,
) -> Scored:
    """The audit and its score (see `audits.score`)."""

    def slowly() -> Scored:
        from auditkit.services import audits

        return audits.score(db, audit_id, checklists, rules)

    return _compiled_or(db, lambda read: _scored(read, audit_id, checklists, rules), slowly)


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

    def slowly() -> Scored:
        from auditkit.services import audits

        return audits.refresh_findings(db, audit_id, checklists, actor, rules)

    return _compiled_or(db, work, slowly)


def _compiled_or(
    db: str | None, work: Callable[[Reader], Scored], slowly: Callable[[], Scored]
) -> Scored:
    """`work` on the compiled statements; else `slowly` (the use case in `audits`), then the
    statements compiled for the next time."""
    try:
        return reads.compiled(db, work)
    except reads.Miss:
        pass
    scored = slowly()
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
    """Whether `findings.sync` would write (never for a final audit)."""
    if scored.state.audit.status is AuditStatus.FINAL:
        return False
    return bool(audit_loading.pending_findings(read, scored.state, scored.result))
