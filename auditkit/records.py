"""Scoring results as data: frozen in a record and read back, and as the JSON view (pure, no I/O).

A final audit's result is stored at sign-off in full precision; reading the audit later rebuilds
the same `AuditResult` from that data and the frozen checklist content, without re-scoring, so
no later change (to the vendor, a checklist, evidence, or the scoring code) can alter it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from auditkit.errors import StorageError
from auditkit.models.audit import Knowledge
from auditkit.models.checklist import Checklist
from auditkit.models.message import Message
from auditkit.scoring import (
    AuditResult,
    DomainResult,
    QuestionResult,
    Rating,
    Recommendation,
    Status,
)


def result_record(result: AuditResult) -> dict[str, Any]:
    """Every number and reason of a result, unrounded."""
    return {
        "overall": result.overall,
        "tier": result.tier,
        "rating": result.rating,
        "recommendation": result.recommendation,
        "reasons": [r.as_dict() for r in result.reasons],
        "unanswered": result.unanswered,
        "domains": [
            {
                "id": d.checklist_id,
                "applicable": d.applicable,
                "score": d.score,
                "weight": d.weight,
                "counts": dict(sorted(d.counts.items())),
                "basis": dict(d.basis),
                "questions": [_question(r) for r in d.questions],
            }
            for d in result.domains
        ],
    }


def _question(r: QuestionResult) -> dict[str, Any]:
    return {
        "id": r.question.id,
        "status": r.status,
        "score": r.score,
        "notes": [n.as_dict() for n in r.notes],
        "knowledge": None if r.knowledge is None else r.knowledge.value,
        "confidence": r.confidence,
    }


def result_from_record(data: Mapping[str, Any], checklists: Sequence[Checklist]) -> AuditResult:
    """The stored result, with each question resolved in the frozen checklist content."""
    by_id = {c.id: c for c in checklists}
    try:
        domains = tuple(_domain(d, by_id) for d in data["domains"])
        questions = [r for d in domains for r in d.questions]
        return AuditResult(
            domains=domains,
            overall=data["overall"],
            tier=int(data["tier"]),
            rating=cast(Rating, data["rating"]),
            recommendation=cast(Recommendation, data["recommendation"]),
            reasons=tuple(Message.from_dict(r) for r in data["reasons"]),
            critical_failures=tuple(r for r in questions if r.failed_critical),
            findings=tuple(r for r in questions if r.status in ("fail", "partial")),
            unanswered=int(data["unanswered"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StorageError(f"the stored result is damaged ({type(exc).__name__}: {exc})") from None


def _domain(data: Mapping[str, Any], checklists: Mapping[str, Checklist]) -> DomainResult:
    checklist = checklists[data["id"]]
    results = []
    for item in data["questions"]:
        question = checklist.question(item["id"])
        if question is None:
            raise KeyError(f"question {item['id']} is not in checklist {checklist.id}")
        kind = item.get("knowledge")  # results frozen before confidence rules have none
        results.append(
            QuestionResult(
                question,
                checklist.id,
                cast(Status, item["status"]),
                item["score"],
                tuple(Message.from_dict(n) for n in item["notes"]),
                None if kind is None else Knowledge(kind),
                float(item.get("confidence", 1.0)),
            )
        )
    return DomainResult(
        checklist_id=checklist.id,
        applicable=bool(data["applicable"]),
        score=data["score"],
        weight=float(data["weight"]),
        counts=dict(data["counts"]),
        questions=tuple(results),
        basis=dict(data.get("basis", {})),
    )


def comparison_record(audit_id: int, as_of: str, result: AuditResult) -> dict[str, Any]:
    """A previous audit reduced to what a report compares with (the report's own format)."""
    return {
        "audit_id": audit_id,
        "as_of": as_of,
        "overall": _round(result.overall),
        "rating": result.rating,
        "domains": {d.checklist_id: _round(d.score) for d in result.domains},
        "failing": sorted(r.question.id for r in result.findings),
    }


def unanswered(result: AuditResult) -> list[str]:
    """Applicable scored questions with no answer, in checklist order."""
    return [r.question.id for d in result.domains for r in d.questions if r.status == "unanswered"]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def result_dict(
    result: AuditResult, render: Callable[[Message], str] | None = None
) -> dict[str, Any]:
    """A JSON-ready view of a result, every number with its reason.

    Reasons and notes are `{code, params}`; with `render` each also carries its `text`.
    """

    def said(message: Message) -> dict[str, Any]:
        view = message.as_dict()
        return {**view, "text": render(message)} if render else view

    def question(r: QuestionResult) -> dict[str, Any]:
        return {
            "id": r.question.id,
            "status": r.status,
            "score": r.score,
            "weight": r.question.weight,
            "critical": r.question.critical,
            "severity": r.question.severity.value,
            "notes": [said(n) for n in r.notes],
            "knowledge": None if r.knowledge is None else r.knowledge.value,
            "confidence": r.confidence,
        }

    return {
        "overall": None if result.overall is None else round(result.overall, 2),
        "tier": result.tier,
        "rating": result.rating,
        "recommendation": result.recommendation,
        "reasons": [said(r) for r in result.reasons],
        "unanswered": result.unanswered,
        "critical_failures": [r.question.id for r in result.critical_failures],
        "domains": [
            {
                "id": d.checklist_id,
                "applicable": d.applicable,
                "score": None if d.score is None else round(d.score, 2),
                "weight": d.weight,
                "counts": dict(sorted(d.counts.items())),
                "basis": {k: round(v, 4) for k, v in d.basis.items()},
                "questions": [question(r) for r in d.questions],
            }
            for d in result.domains
        ],
    }
