"""The typed context of the comparison report, built from a `Comparison`: every text is in the
report language here; `comparison.html` receives one `ComparisonContext` and nothing else."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from auditkit.catalogue import Catalogue
from auditkit.comparison import SEVERITIES, Comparison, comparison_dict
from auditkit.report.template_context import Model, Theme

KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def candidate_key(index: int) -> str:
    """A, B, ... Z, then A2, B2, ...: the column heading of the index-th candidate."""
    letter, round_ = KEYS[index % len(KEYS)], index // len(KEYS)
    return letter if round_ == 0 else f"{letter}{round_ + 1}"


class CandidateView(Model):
    key: str
    vendor: str
    audit_id: int
    status_label: str
    draft: bool
    as_of: str
    tier: int
    overall: float | None
    shared_overall: float | None
    rating: str
    rating_label: str
    recommendation: str
    recommendation_label: str
    knockouts: list[str]
    findings: list[int]  # per severity, in `ComparisonContext.severities` order
    gaps: list[str]


class DomainLine(Model):
    title: str
    scores: list[float | None]


class Cell(Model):
    status: str
    label: str
    score: float | None


class DifferenceLine(Model):
    question_id: str
    text: str
    domain: str
    critical: bool
    severity: str
    severity_label: str
    spread: float
    cells: list[Cell | None]


class VersionLine(Model):
    title: str
    versions: list[str | None]
    shared: int
    total: int


class ComparisonContext(Model):
    report_id: str
    lang: str
    title: str
    subject: str
    created: str
    date: str
    candidates: list[CandidateView]
    severities: list[str]  # labels, most severe first
    domains: list[DomainLine]
    differences: list[DifferenceLine]
    versions: list[VersionLine]
    any_draft: bool
    labels: dict[str, str]
    theme: Theme


def document(comparison: Comparison) -> dict[str, Any]:
    """The comparison's data, embedded in the PDF; its hash is the report id."""
    return {"auditkit_comparison": 1, **comparison_dict(comparison)}


def report_id(doc: dict[str, Any]) -> str:
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "AKC-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]


def moment(comparison: Comparison) -> dt.datetime:
    """The report's date: the latest as-of day among the candidates, midnight UTC."""
    day = max(c.as_of for c in comparison.columns)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _candidates(comparison: Comparison, labels: Catalogue) -> list[CandidateView]:
    return [
        CandidateView(
            key=candidate_key(i),
            vendor=c.vendor,
            audit_id=c.audit_id,
            status_label=labels.get("audit_statuses", c.status),
            draft=c.draft,
            as_of=c.as_of.isoformat(),
            tier=c.tier,
            overall=c.overall,
            shared_overall=c.shared_overall,
            rating=c.rating,
            rating_label=labels.get("ratings", c.rating),
            recommendation=c.recommendation,
            recommendation_label=labels.get("recommendations", c.recommendation),
            knockouts=list(c.knockouts),
            findings=[c.findings[s] for s in SEVERITIES],
            gaps=[f"{q}: {labels.render(why)}" for q, why in c.evidence_gaps],
        )
        for i, c in enumerate(comparison.columns)
    ]


def _differences(comparison: Comparison, labels: Catalogue) -> list[DifferenceLine]:
    lines = []
    for d in comparison.differences:
        checklist = comparison.checklists[d.checklist_id]
        question = checklist.question(d.question_id)
        lines.append(
            DifferenceLine(
                question_id=d.question_id,
                text=question.text.get(labels.lang) if question else d.question_id,
                domain=checklist.title.get(labels.lang),
                critical=d.critical,
                severity=d.severity,
                severity_label=labels.get("severities", d.severity),
                spread=d.spread * 100,
                cells=[
                    None
                    if cell is None
                    else Cell(
                        status=cell[0],
                        label=labels.get("statuses", cell[0]),
                        score=None if cell[1] is None else cell[1] * 100,
                    )
                    for cell in d.cells
                ],
            )
        )
    return lines


def build(comparison: Comparison, labels: Catalogue, theme: Theme) -> ComparisonContext:
    when = moment(comparison)
    rid = report_id(document(comparison))
    titles = {k: c.title.get(labels.lang) for k, c in comparison.checklists.items()}
    return ComparisonContext(
        report_id=rid,
        lang=labels.lang,
        title=labels.get("labels", "compare_title"),
        subject=f"{labels.get('labels', 'report_id')} {rid}",
        created=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        date=when.date().isoformat(),
        candidates=_candidates(comparison, labels),
        severities=[labels.get("severities", s) for s in SEVERITIES],
        domains=[
            DomainLine(title=titles[k], scores=[c.domains.get(k) for c in comparison.columns])
            for k in comparison.domains
        ],
        differences=_differences(comparison, labels),
        versions=[
            VersionLine(
                title=titles[v.checklist_id],
                versions=list(v.versions),
                shared=v.shared,
                total=v.total,
            )
            for v in comparison.versions
        ],
        any_draft=any(c.draft for c in comparison.columns),
        labels=labels.tables["labels"],
        theme=theme,
    )
