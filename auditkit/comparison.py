"""Candidate vendors side by side: pure functions from scored audits to a `Comparison`.

Each candidate is one vendor's audit (its state, its scoring result and the vendor's open
findings). Domain scores are recomputed on the questions every candidate's version of that
checklist shares, so vendors assessed against different checklist versions are compared on
common ground; the versions that differ are listed. No I/O: services load the candidates.
(`auditkit.year_over_year` is the other comparison: one vendor's audit against its previous one.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from auditkit.assessment import AuditState
from auditkit.models.audit import AuditStatus
from auditkit.models.checklist import Checklist, Severity
from auditkit.models.message import Message
from auditkit.scoring import AuditResult, QuestionResult, evidence_gap

TOP_DIFFERENCES = 10
SEVERITIES = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))
_RANK = {s.value: s.rank for s in Severity}


@dataclass(frozen=True)
class Candidate:
    """One vendor's audit, scored; `closed`: questions whose finding the vendor has accepted
    as a risk (they do not count as open findings)."""

    state: AuditState
    result: AuditResult
    closed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Column:
    """One candidate's summary."""

    vendor: str
    vendor_id: int
    audit_id: int
    status: str
    draft: bool  # not a final audit
    as_of: dt.date
    tier: int
    overall: float | None  # the audit's own overall score
    shared_overall: float | None  # overall over the shared questions only
    rating: str
    recommendation: str
    knockouts: tuple[str, ...]  # failed critical controls
    findings: dict[str, int]  # failed or partial answers not closed, by severity
    evidence_gaps: tuple[tuple[str, Message], ...]  # (question id, why)
    domains: dict[str, float | None]  # checklist id -> score on shared questions


@dataclass(frozen=True)
class VersionNote:
    """A checklist the candidates answered in different versions."""

    checklist_id: str
    versions: tuple[str | None, ...]  # per candidate; None: not in that audit
    shared: int  # questions common to every version
    total: int  # questions in any version


@dataclass(frozen=True)
class Difference:
    """A question the candidates answered very differently."""

    question_id: str
    checklist_id: str
    critical: bool
    severity: str
    spread: float  # max - min score, 0..1
    cells: tuple[tuple[str, float | None] | None, ...]  # (status, score) per candidate


@dataclass(frozen=True)
class Comparison:
    columns: tuple[Column, ...]
    domains: tuple[str, ...]  # checklist ids, in first-seen order
    checklists: dict[str, Checklist]  # for titles and question texts
    versions: tuple[VersionNote, ...]
    differences: tuple[Difference, ...]


def _shared_questions(candidates: Sequence[Candidate]) -> dict[str, set[str]]:
    """Per checklist id: the question ids every candidate's version of it has."""
    shared: dict[str, set[str]] = {}
    for candidate in candidates:
        for checklist in candidate.state.checklists:
            ids = {q.id for q in checklist.questions}
            shared[checklist.id] = shared[checklist.id] & ids if checklist.id in shared else ids
    return shared


def _version_notes(candidates: Sequence[Candidate], domains: Iterable[str]) -> list[VersionNote]:
    notes = []
    for checklist_id in domains:
        found = [
            next((c for c in cand.state.checklists if c.id == checklist_id), None)
            for cand in candidates
        ]
        versions = tuple(c.version if c else None for c in found)
        if len({v for v in versions if v is not None}) < 2:
            continue
        every = [{q.id for q in c.questions} for c in found if c]
        notes.append(
            VersionNote(
                checklist_id, versions, len(set.intersection(*every)), len(set.union(*every))
            )
        )
    return notes


def _domain_score(results: Iterable[QuestionResult], shared: set[str]) -> float | None:
    total = weights = 0.0
    for r in results:
        if r.score is not None and r.question.id in shared:
            weights += r.question.weight
            total += r.question.weight * r.score
    return 100.0 * total / weights if weights else None


def _gaps(candidate: Candidate) -> tuple[tuple[str, Message], ...]:
    state, day = candidate.state, candidate.state.audit.as_of
    gaps = []
    for domain in candidate.result.domains:
        for r in domain.questions:
            answer = state.answers.get(r.question.id)
            if answer is None or r.status in ("skipped", "na", "unanswered", "info"):
                continue
            why = evidence_gap(r.question, answer, day)
            if why:
                gaps.append((r.question.id, why))
    return tuple(gaps)


def _column(candidate: Candidate, shared: dict[str, set[str]]) -> Column:
    state, result = candidate.state, candidate.result
    weights = {c.id: c.weight for c in state.checklists}
    domains = {
        d.checklist_id: _domain_score(d.questions, shared[d.checklist_id]) if d.applicable else None
        for d in result.domains
    }
    scored = [(weights[k], v) for k, v in domains.items() if v is not None]
    total = sum(w for w, _ in scored)
    findings = dict.fromkeys(SEVERITIES, 0)
    for r in result.findings:
        if r.question.id not in candidate.closed:
            findings[r.question.severity.value] += 1
    return Column(
        vendor=state.vendor.name,
        vendor_id=state.vendor.id or 0,
        audit_id=state.audit.id,
        status=state.audit.status.value,
        draft=state.audit.status is not AuditStatus.FINAL,
        as_of=state.audit.as_of,
        tier=result.tier,
        overall=result.overall,
        shared_overall=sum(w * v for w, v in scored) / total if total else None,
        rating=result.rating,
        recommendation=result.recommendation,
        knockouts=tuple(r.question.id for r in result.critical_failures),
        findings=findings,
        evidence_gaps=_gaps(candidate),
        domains=domains,
    )


def _differences(
    candidates: Sequence[Candidate], shared: dict[str, set[str]], top: int
) -> list[Difference]:
    by_question = [
        {r.question.id: r for d in c.result.domains for r in d.questions} for c in candidates
    ]
    found = []
    for checklist_id, ids in shared.items():
        for question_id in ids:
            results = [known.get(question_id) for known in by_question]
            scores = [r.score for r in results if r is not None and r.score is not None]
            if len(scores) < 2 or max(scores) == min(scores):
                continue
            question = next(r.question for r in results if r is not None)
            cells = tuple(None if r is None else (r.status, r.score) for r in results)
            found.append(
                Difference(
                    question_id,
                    checklist_id,
                    question.critical,
                    question.severity.value,
                    max(scores) - min(scores),
                    cells,
                )
            )
    found.sort(key=lambda d: (-d.spread, not d.critical, -_RANK[d.severity], d.question_id))
    return found[:top]


def compare_candidates(candidates: Sequence[Candidate], top: int = TOP_DIFFERENCES) -> Comparison:
    """The candidates side by side, in the order given."""
    shared = _shared_questions(candidates)
    checklists: dict[str, Checklist] = {}
    for candidate in candidates:
        for checklist in candidate.state.checklists:
            checklists.setdefault(checklist.id, checklist)
    domains = tuple(checklists)
    return Comparison(
        columns=tuple(_column(c, shared) for c in candidates),
        domains=domains,
        checklists=checklists,
        versions=tuple(_version_notes(candidates, domains)),
        differences=tuple(_differences(candidates, shared, top)),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """A JSON-ready view of a comparison."""
    return {
        "candidates": [
            {
                "vendor": c.vendor,
                "vendor_id": c.vendor_id,
                "audit_id": c.audit_id,
                "status": c.status,
                "draft": c.draft,
                "as_of": c.as_of.isoformat(),
                "tier": c.tier,
                "overall": _round(c.overall),
                "shared_overall": _round(c.shared_overall),
                "rating": c.rating,
                "recommendation": c.recommendation,
                "failed_knockouts": list(c.knockouts),
                "open_findings": c.findings,
                "evidence_gaps": [
                    {"question": q, "why": why.as_dict()} for q, why in c.evidence_gaps
                ],
                "domains": {k: _round(c.domains.get(k)) for k in comparison.domains},
            }
            for c in comparison.columns
        ],
        "domains": list(comparison.domains),
        "checklist_versions": [
            {
                "checklist": v.checklist_id,
                "versions": list(v.versions),
                "shared_questions": v.shared,
                "questions": v.total,
            }
            for v in comparison.versions
        ],
        "differences": [
            {
                "question": d.question_id,
                "checklist": d.checklist_id,
                "critical": d.critical,
                "severity": d.severity,
                "spread": round(d.spread * 100, 2),
                "results": [
                    None if cell is None else {"status": cell[0], "score": _round(_pct(cell[1]))}
                    for cell in d.cells
                ],
            }
            for d in comparison.differences
        ],
    }


def _pct(score: float | None) -> float | None:
    return None if score is None else score * 100
