"""Compare candidate vendors: load each one's latest audit (final preferred), score it, and
hand the lot to the pure `auditkit.comparison`; render the comparison report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditkit import catalogue
from auditkit.comparison import Candidate, Comparison, compare_candidates
from auditkit.errors import NotFound, ValidationProblem
from auditkit.models.audit import Audit, AuditStatus, FindingStatus
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.models.confidence import ConfidenceRules
from auditkit.outputs import write_bytes
from auditkit.services import audits
from auditkit.storage import findings as finding_store
from auditkit.storage import repository as repo
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import Connection, transaction


def pick_audit(found: Sequence[Audit]) -> Audit | None:
    """The latest final audit, else the latest audit of any status."""
    finals = [a for a in found if a.status is AuditStatus.FINAL]
    chosen = finals or list(found)
    return max(chosen, key=lambda a: (a.as_of, a.id)) if chosen else None


def _candidate(
    conn: Connection,
    audit_id: int,
    checklists: dict[str, Checklist],
    rules: ConfidenceRules | None = None,
) -> Candidate:
    state = audits.load(conn, audit_id, checklists, rules=rules)
    closed = frozenset(
        f.question_id
        for f in finding_store.list_findings(conn, state.vendor.id)
        if f.status is FindingStatus.ACCEPTED
    )
    return Candidate(state, state.score(), closed)


def _audit_ids(
    conn: Connection, vendor_refs: Sequence[str], audit_ids: Sequence[int], service: str | None
) -> list[int]:
    vendor_ids = [vendor_store.get_vendor(conn, ref).id or 0 for ref in vendor_refs]
    if service is not None:
        offering = [v.id or 0 for v in vendor_store.list_vendors(conn) if service in v.services]
        if not offering:
            raise catalogue.error(NotFound, "no_service_vendor", service=repr(service))
        vendor_ids += [v for v in offering if v not in vendor_ids]
    chosen = list(audit_ids)
    for vendor_id in dict.fromkeys(vendor_ids):
        audit = pick_audit(repo.list_audits(conn, vendor_id))
        if audit is None:
            name = vendor_store.get_vendor(conn, vendor_id).name
            raise catalogue.error(NotFound, "vendor_no_audit", vendor=repr(name))
        chosen.append(audit.id)
    return list(dict.fromkeys(chosen))


def compare(
    db: str | None,
    checklists: dict[str, Checklist],
    vendor_refs: Sequence[str] = (),
    audit_ids: Sequence[int] = (),
    service: str | None = None,
    rules: ConfidenceRules | None = None,
) -> Comparison:
    """Vendors (by id or name), audits (by id) and every vendor offering `service`, each by
    one audit, side by side. At least two candidates are needed."""
    with transaction(db, readonly=True) as conn:
        chosen = _audit_ids(conn, vendor_refs, audit_ids, service)
        if len(chosen) < 2:
            raise catalogue.error(ValidationProblem, "compare_too_few", count=len(chosen))
        candidates = [_candidate(conn, audit_id, checklists, rules) for audit_id in chosen]
    return compare_candidates(candidates)


def render(comparison: Comparison, fmt: str, lang: Lang, org_dir: Path | None = None) -> bytes:
    from auditkit.report import comparison_report

    return comparison_report.render(comparison, fmt, lang, org_dir)


def write(
    comparison: Comparison, out: Path, fmt: str, lang: Lang, org_dir: Path | None = None
) -> bytes:
    data = render(comparison, fmt, lang, org_dir)
    write_bytes(out, data)
    return data
