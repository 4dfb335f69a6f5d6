"""Build the `ReportContext` from a `ReportInput`: all localisation and ordering happen here."""

from __future__ import annotations

import datetime as dt

from auditkit import answers as answer_text
from auditkit.catalogue import Catalogue
from auditkit.models.audit import Audit, Finding
from auditkit.models.checklist import Severity
from auditkit.report import charts, method, sections
from auditkit.report.audit_data import ReportInput
from auditkit.report.template_context import (
    AuditInfo,
    Bar,
    ComparisonInfo,
    Count,
    DomainRow,
    DomainSection,
    FindingRow,
    Outcome,
    ReportContext,
    SignOff,
    Summary,
    Theme,
    VendorInfo,
)
from auditkit.risk import inherent_risk
from auditkit.scoring import QuestionResult
from auditkit.year_over_year import asked, domain_deltas, domain_scores, failing, finding_changes

TOP_FINDINGS = 5
STATUS_ORDER = ("pass", "partial", "fail", "unanswered", "na", "info", "skipped")


def report_moment(audit: Audit) -> dt.datetime:
    """The report's date: when the audit was finalised, else midnight UTC of its as-of day."""
    if audit.finalized_at is not None:
        moment = audit.finalized_at
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(audit.as_of, dt.time(), tzinfo=dt.UTC)


def outcome(data: ReportInput, result: QuestionResult, number: str, labels: Catalogue) -> Outcome:
    question = result.question
    answer = data.state.answers.get(question.id)
    shown = answer_text.display(question, answer.value, labels.lang) if answer else ""
    if shown and question.unit is not None and isinstance(answer and answer.value, int | float):
        unit = question.unit.get(labels.lang)
        shown = f"{shown}{unit}" if labels.lang == "ja" else f"{shown} {unit}"
    return Outcome(
        question_id=question.id,
        number=number,
        text=question.text.get(labels.lang),
        answer=shown,
        status=result.status,
        status_label=labels.get("statuses", result.status),
        score=None if result.score is None else result.score * 100,
        notes=[labels.render(n) for n in result.notes],
        critical=question.critical,
        severity=question.severity.value,
        severity_label=labels.get("severities", question.severity.value),
    )


def _domains(data: ReportInput, labels: Catalogue) -> list[DomainSection]:
    by_id = {c.id: c for c in data.state.checklists}
    out = []
    for index, domain in enumerate(data.result.domains, 1):
        checklist = by_id[domain.checklist_id]
        out.append(
            DomainSection(
                id=checklist.id,
                number=index,
                title=checklist.title.get(labels.lang),
                description=checklist.description.get(labels.lang)
                if checklist.description
                else None,
                version=checklist.version,
                applicable=domain.applicable,
                score=domain.score,
                counts=[
                    Count(status=k, label=labels.get("statuses", k), count=domain.counts[k])
                    for k in STATUS_ORDER
                    if domain.counts.get(k)
                ],
                outcomes=[
                    outcome(data, r, f"{index}.{n}", labels)
                    for n, r in enumerate(domain.questions, 1)
                ],
                basis=method.shares(dict(domain.basis), labels),
            )
        )
    return out


def _findings(
    data: ReportInput, domains: list[DomainSection], labels: Catalogue
) -> list[FindingRow]:
    stored: dict[str, Finding] = {f.question_id: f for f in data.findings}
    rows = []
    for domain in domains:
        for item in domain.outcomes:
            if item.status not in ("fail", "partial"):
                continue
            question = data.state.question(item.question_id)
            assert question is not None
            kept = stored.get(item.question_id)
            rows.append(
                FindingRow(
                    question_id=item.question_id,
                    number=item.number,
                    domain=domain.title,
                    text=item.text,
                    severity=item.severity,
                    severity_label=item.severity_label,
                    result_label=item.status_label,
                    advice=question.remediation.get(labels.lang),
                    owner=kept.owner if kept else None,
                    due_date=kept.due_date.isoformat() if kept and kept.due_date else None,
                    status_label=labels.get(
                        "finding_statuses", kept.status.value if kept else "open"
                    ),
                    notes=item.notes,
                )
            )
    rank = {s.value: s.rank for s in Severity}
    return sorted(rows, key=lambda r: -rank[r.severity])  # stable: domain order within a severity


def _comparison(data: ReportInput, labels: Catalogue) -> ComparisonInfo | None:
    """The previous audit against this one, by the same rules as `audit diff`."""
    before = data.comparison
    if before is None:
        return None
    titles = {c.id: c.title.get(labels.lang) for c in data.state.checklists}

    def named(question_ids: list[str]) -> list[str]:
        """Question titles a person reads; an id only when the question is gone."""
        out = []
        for qid in question_ids:
            question = data.state.question(qid)
            out.append(question.text.get(labels.lang) if question is not None else qid)
        return out

    deltas = {d.checklist_id: d for d in domain_deltas(before.domains, domain_scores(data.result))}
    moved = finding_changes(before.failing, failing(data.result), asked(data.result))
    overall = data.result.overall
    return ComparisonInfo(
        audit_id=before.audit_id,
        as_of=before.as_of,
        previous_overall=before.overall,
        overall_delta=None
        if overall is None or before.overall is None
        else overall - before.overall,
        previous_rating_label=labels.get("ratings", before.rating),
        domains=[  # this audit's domains, in its order
            DomainRow(
                title=titles[d.checklist_id],
                lines=charts.wrap(titles[d.checklist_id]),
                previous=d.old,
                current=d.new,
                delta=d.change,
            )
            for d in (deltas[domain.checklist_id] for domain in data.result.domains)
        ],
        new_findings=list(moved.newly_failing),
        resolved_findings=list(moved.resolved),
        dropped_findings=list(moved.dropped),
        new_titles=named(list(moved.newly_failing)),
        resolved_titles=named(list(moved.resolved)),
        dropped_titles=named(list(moved.dropped)),
    )


def _summary(
    data: ReportInput, domains: list[DomainSection], findings: list[FindingRow], labels: Catalogue
) -> Summary:
    result = data.result
    critical = [o for d in domains for o in d.outcomes if o.critical and o.status != "skipped"]
    return Summary(
        overall=result.overall,
        rating=result.rating,
        rating_label=labels.get("ratings", result.rating),
        recommendation=result.recommendation,
        recommendation_label=labels.get("recommendations", result.recommendation),
        reasons=[labels.render(r) for r in result.reasons],
        unanswered=result.unanswered,
        critical_controls=critical,
        top_findings=findings[:TOP_FINDINGS],
        chart=[
            Bar(label=d.title, lines=charts.wrap(d.title), score=d.score)
            for d in domains
            if d.applicable
        ],
    )


def _vendor(data: ReportInput, labels: Catalogue) -> VendorInfo:
    vendor = data.state.vendor
    risk = inherent_risk(vendor.profile)
    email = vendor.contact_email
    return VendorInfo(
        name=vendor.name,
        services=[labels.get("services", s.value) for s in vendor.services],
        contact_name=vendor.contact_name,
        contact_email=email,
        contact_url=f"mailto:{email}" if email else "",
        tier=risk.tier,
        inherent_level=labels.get("risk_levels", risk.level),
        review_months=risk.review_months,
    )


def _audit(data: ReportInput, labels: Catalogue) -> AuditInfo:
    audit = data.state.audit
    return AuditInfo(
        id=audit.id,
        status=audit.status.value,
        status_label=labels.get("audit_statuses", audit.status.value),
        is_final=audit.status.value == "final",
        as_of=audit.as_of.isoformat(),
        started_on=audit.started_at.date().isoformat(),
        finalized_on=audit.finalized_at.date().isoformat() if audit.finalized_at else None,
        report_date=report_moment(audit).date().isoformat(),
        checklists=[
            f"{c.title.get(labels.lang)} ({c.id} v{c.version})" for c in data.state.checklists
        ],
    )


def _signoff(data: ReportInput, audit: AuditInfo, labels: Catalogue) -> SignOff:
    stored = data.state.audit
    final = stored.finalized_at is not None
    return SignOff(
        reviewer=stored.reviewer,
        approver=stored.approver,
        date=audit.finalized_on,
        approved_on=stored.approved_at.date().isoformat() if stored.approved_at else None,
        decision_label=labels.get("recommendations", stored.decision) if stored.decision else None,
        independent=not (final and stored.single_person),
        accepted_unanswered=stored.accepted_unanswered,
        unanswered=data.result.unanswered,
        finalized_by=stored.finalized_by,
    )


def build_context(
    data: ReportInput, report_id: str, labels: Catalogue, theme: Theme
) -> ReportContext:
    domains = _domains(data, labels)
    findings = _findings(data, domains, labels)
    audit = _audit(data, labels)
    moment = report_moment(data.state.audit).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = f"{labels.get('labels', 'report_title')}: {data.state.vendor.name}"
    summary = _summary(data, domains, findings, labels)
    return ReportContext(
        report_id=report_id,
        lang=labels.lang,
        title=title,
        subject=f"{labels.get('labels', 'report_id')} {report_id}",
        author=data.state.audit.reviewer or "auditkit",
        created=moment,
        vendor=_vendor(data, labels),
        audit=audit,
        summary=summary,
        comparison=_comparison(data, labels),
        domains=domains,
        findings=findings,
        evidence=sections.evidence(data, labels),
        frameworks=sections.frameworks(data, domains, labels),
        appendix=sections.appendix(data, domains, labels),
        signoff=_signoff(data, audit, labels),
        methodology=method.methodology(data.result.tier, labels, data.state.confidence),
        conditions=method.conditions(
            data.result.recommendation,
            findings,
            {r.question.id for r in data.result.critical_failures},
        ),
        conditions_unlisted=method.unlisted_conditions(
            data.result.recommendation,
            findings,
            {r.question.id for r in data.result.critical_failures},
        ),
        warnings=[labels.render(w) for w in data.state.warnings],
        labels=labels.tables["labels"],
        theme=theme,
    )
