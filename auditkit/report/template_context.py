"""The typed report context: templates receive one `ReportContext` and nothing else.

Every text is already in the report language; numbers are plain floats the templates format.
Built by `auditkit.report.build.build_context`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FontFace(Model):
    family: str
    weight: int
    url: str


class Theme(Model):
    fonts: list[FontFace]
    logo_url: str | None
    colours: dict[str, str] = {}  # custom properties of _theme.css: ink, good, warn, bad, ...


class VendorInfo(Model):
    name: str
    services: list[str]
    contact_name: str | None
    contact_email: str | None
    contact_url: str
    tier: int
    inherent_level: str
    review_months: int


class AuditInfo(Model):
    id: int
    status: str  # draft / in_review / final
    status_label: str
    is_final: bool
    as_of: str
    started_on: str
    finalized_on: str | None
    report_date: str
    checklists: list[str]  # "Title (id v1.2.3)"


class Outcome(Model):
    """One question's result, as every section shows it."""

    question_id: str
    number: str  # "3.4": domain number . question number
    text: str
    answer: str
    status: str
    status_label: str
    score: float | None  # 0..100
    notes: list[str]
    critical: bool
    severity: str
    severity_label: str


class FindingRow(Model):
    question_id: str
    number: str
    domain: str
    text: str
    severity: str
    severity_label: str
    result_label: str
    advice: str
    owner: str | None
    due_date: str | None
    status_label: str
    notes: list[str]


class Bar(Model):
    label: str
    lines: list[str]  # the label wrapped to fit left of the bar
    score: float | None


class Count(Model):
    status: str
    label: str
    count: int


class Share(Model):
    """A part of a whole, by how answers are known (a domain's score, a confidence factor)."""

    kind: str  # verified, measured, evidence, self_attested
    label: str
    percent: float  # 0..100


class DomainSection(Model):
    id: str
    number: int
    title: str
    description: str | None
    version: str
    applicable: bool
    score: float | None
    counts: list[Count]
    outcomes: list[Outcome]
    basis: list[Share] = []  # how much of the score rests on each kind of knowledge

    @property
    def open_outcomes(self) -> list[Outcome]:
        """The questions that did not pass (fail, partial, unanswered), in checklist order."""
        return [o for o in self.outcomes if o.status in ("fail", "partial", "unanswered")]


class Summary(Model):
    overall: float | None
    rating: str
    rating_label: str
    recommendation: str
    recommendation_label: str
    reasons: list[str]
    unanswered: int
    critical_controls: list[Outcome]
    top_findings: list[FindingRow]
    chart: list[Bar]


class DomainRow(Model):
    """One domain's score before and now (from `auditkit.year_over_year.DomainDelta`)."""

    title: str
    lines: list[str]  # the title wrapped for the chart
    previous: float | None
    current: float | None
    delta: float | None


class ComparisonInfo(Model):
    audit_id: int
    as_of: str
    previous_overall: float | None
    overall_delta: float | None
    previous_rating_label: str
    domains: list[DomainRow]
    new_findings: list[str]
    resolved_findings: list[str]
    dropped_findings: list[str]  # failing before, no longer asked by the checklist
    # the same, as the question texts a person reads (an id only where the question is gone)
    new_titles: list[str]
    resolved_titles: list[str]
    dropped_titles: list[str]


class EvidenceRow(Model):
    name: str
    kind: str
    sha256: str
    size: int
    issued: str | None
    expires: str | None
    expired: bool
    questions: list[str]


class ReferenceRow(Model):
    ref: str
    questions: list[str]
    passed: int
    partial: int
    failed: int
    open: int
    outcome: str  # pass / partial / fail / open
    outcome_label: str


class FrameworkSection(Model):
    key: str
    title: str
    rows: list[ReferenceRow]
    counts: list[Count]  # requirements by outcome


class AppendixRow(Model):
    outcome: Outcome
    comment: str | None
    source_label: str
    evidence_ref: str | None
    answered_by: str | None


class AppendixDomain(Model):
    number: int
    title: str
    rows: list[AppendixRow]


class SignOff(Model):
    reviewer: str | None
    approver: str | None
    date: str | None  # the day the audit was finalized
    approved_on: str | None  # the day of the approver's decision
    decision_label: str | None  # the approver's decision, in the report language
    independent: bool  # False: signed off by one person, not independently approved
    accepted_unanswered: str | None  # the reason given for signing off with open questions
    unanswered: int  # applicable questions left unanswered at sign-off
    finalized_by: str | None


class TierThreshold(Model):
    tier: int
    low: float  # overall score needed for a low residual risk
    medium: float
    high: float
    current: bool  # this vendor's tier


class Methodology(Model):
    """The scoring rules as the methodology page and the charts show them."""

    scale_max: int
    tier: int
    thresholds: list[TierThreshold]
    rating_labels: list[str]  # low, medium, high, critical
    evidence_cap: float  # 0..scale_max
    reject_at_critical: int
    good: float  # this vendor's threshold for a low residual risk
    fair: float  # ... for a medium one
    confidence: list[Share] = []  # the factor of each kind of knowledge, in percent
    unsupported_critical_cap: float | None = None  # 0..scale_max; None: the rule is off


class Condition(Model):
    """One condition of an "approve with conditions"."""

    number: str
    text: str
    severity_label: str
    owner: str | None
    due_date: str | None
    knockout: bool


class ReportContext(Model):
    report_id: str
    lang: str
    title: str
    subject: str
    author: str
    created: str  # W3C date-time for the PDF metadata (from the audit, never the clock)
    vendor: VendorInfo
    audit: AuditInfo
    summary: Summary
    comparison: ComparisonInfo | None
    domains: list[DomainSection]
    findings: list[FindingRow]
    evidence: list[EvidenceRow]
    frameworks: list[FrameworkSection]
    appendix: list[AppendixDomain]
    signoff: SignOff
    methodology: Methodology
    conditions: list[Condition]
    conditions_unlisted: int  # serious findings beyond those named, left to the remediation plan
    warnings: list[str]
    labels: dict[str, str]
    theme: Theme
