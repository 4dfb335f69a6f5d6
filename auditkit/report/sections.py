"""The report's register-like sections: evidence, framework coverage, answer appendix."""

from __future__ import annotations

from auditkit.catalogue import Catalogue
from auditkit.checklists import load_catalog
from auditkit.report.audit_data import ReportInput
from auditkit.report.template_context import (
    AppendixDomain,
    AppendixRow,
    Count,
    DomainSection,
    EvidenceRow,
    FrameworkSection,
    ReferenceRow,
)

COUNTED = ("pass", "partial", "fail", "unanswered")


def evidence(data: ReportInput, labels: Catalogue) -> list[EvidenceRow]:
    """Every evidence file linked to an answer, once, with the questions that cite it."""
    day = data.state.audit.as_of
    seen: dict[str, EvidenceRow] = {}
    for question_id in sorted(data.state.answers):
        for item in data.state.answers[question_id].evidence:
            row = seen.get(item.sha256)
            if row is None:
                seen[item.sha256] = EvidenceRow(
                    name=item.name,
                    kind=labels.get("evidence_kinds", item.kind),
                    sha256=item.sha256,
                    size=item.size,
                    issued=item.issued.isoformat() if item.issued else None,
                    expires=item.expires.isoformat() if item.expires else None,
                    expired=not item.valid_on(day),
                    questions=[question_id],
                )
            else:
                seen[item.sha256] = row.model_copy(
                    update={"questions": [*row.questions, question_id]}
                )
    return sorted(seen.values(), key=lambda r: (r.name, r.sha256))


def _ref_sort_key(ref: str) -> list[tuple[int, str]]:
    return [(int(p), "") if p.isdigit() else (0, p) for p in ref.replace("-", ".").split(".")]


def _outcome(counts: dict[str, int]) -> str:
    if counts["fail"]:
        return "fail"
    if counts["partial"]:
        return "partial"
    if counts["unanswered"]:
        return "open"
    return "pass"


def frameworks(
    data: ReportInput, domains: list[DomainSection], labels: Catalogue
) -> list[FrameworkSection]:
    """Per framework requirement: which questions cite it and how their answers fared."""
    catalog = load_catalog()
    questions = {q.id: q for c in data.state.checklists for q in c.questions}
    touched: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for domain in domains:
        for item in domain.outcomes:
            if item.status not in COUNTED:
                continue
            for framework, ids in questions[item.question_id].references.items():
                for ref in ids:
                    touched.setdefault(framework, {}).setdefault(ref, []).append(
                        (item.number, item.status)
                    )
    out = []
    # The catalogue file's order is the report's order; frameworks it does not list go last.
    keys = [k for k in catalog if k in touched] + sorted(set(touched) - set(catalog))
    for key in keys:
        rows = []
        for ref in sorted(touched[key], key=_ref_sort_key):
            hits = touched[key][ref]
            counts = {s: sum(1 for _, st in hits if st == s) for s in COUNTED}
            verdict = _outcome(counts)
            rows.append(
                ReferenceRow(
                    ref=ref,
                    questions=[n for n, _ in hits],
                    passed=counts["pass"],
                    partial=counts["partial"],
                    failed=counts["fail"],
                    open=counts["unanswered"],
                    outcome=verdict,
                    outcome_label=labels.get(
                        "statuses", "unanswered" if verdict == "open" else verdict
                    ),
                )
            )
        title = catalog[key].title if key in catalog else key
        tally = [
            Count(
                status=o,
                label=labels.get("statuses", "unanswered" if o == "open" else o),
                count=sum(r.outcome == o for r in rows),
            )
            for o in ("pass", "partial", "fail", "open")
        ]
        out.append(FrameworkSection(key=key, title=title, rows=rows, counts=tally))
    return out


def appendix(
    data: ReportInput, domains: list[DomainSection], labels: Catalogue
) -> list[AppendixDomain]:
    """Every question of every domain with its answer, comment and source."""
    out = []
    for domain in domains:
        rows = []
        for item in domain.outcomes:
            answer = data.state.answers.get(item.question_id)
            rows.append(
                AppendixRow(
                    outcome=item,
                    comment=answer.comment if answer else None,
                    source_label=labels.get("sources", answer.source.value) if answer else "",
                    evidence_ref=answer.evidence_ref if answer else None,
                    answered_by=answer.answered_by if answer else None,
                )
            )
        out.append(AppendixDomain(number=domain.number, title=domain.title, rows=rows))
    return out
