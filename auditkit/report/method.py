"""The methodology page's facts and the conditions of an approval, taken from the scoring rules.

Nothing here is written into a template: the thresholds, the knock-out rule and the evidence cap
come from `auditkit.scoring`, so a change to the rules changes every page that explains them.
"""

from __future__ import annotations

from auditkit.catalogue import Catalogue
from auditkit.models.confidence import NEUTRAL, ConfidenceRules
from auditkit.report.template_context import (
    Condition,
    FindingRow,
    Methodology,
    Share,
    TierThreshold,
)
from auditkit.scoring import (
    EVIDENCE_CAP,
    RATING_THRESHOLDS,
    RATINGS,
    REJECT_AT_CRITICAL_FAILURES,
)

SCALE_MAX = 100
SERIOUS = ("high", "critical")
LISTED = 8  # serious findings named in the conditions; the remediation plan lists the rest


KNOWLEDGE_ORDER = ("verified", "measured", "evidence", "self_attested")


def shares(parts: dict[str, float], labels: Catalogue) -> list[Share]:
    """Fractions (0..1) by kind of knowledge, strongest first, as percentages."""
    return [
        Share(kind=k, label=labels.get("labels", f"known_{k}"), percent=parts[k] * SCALE_MAX)
        for k in KNOWLEDGE_ORDER
        if k in parts
    ]


def methodology(tier: int, labels: Catalogue, rules: ConfidenceRules = NEUTRAL) -> Methodology:
    low, medium, _ = RATING_THRESHOLDS[tier]
    cap = rules.unsupported_critical_cap
    return Methodology(
        scale_max=SCALE_MAX,
        tier=tier,
        thresholds=[
            TierThreshold(tier=t, low=v[0], medium=v[1], high=v[2], current=t == tier)
            for t, v in sorted(RATING_THRESHOLDS.items())
        ],
        rating_labels=[labels.get("ratings", r) for r in RATINGS],
        evidence_cap=EVIDENCE_CAP * SCALE_MAX,
        reject_at_critical=REJECT_AT_CRITICAL_FAILURES,
        good=low,
        fair=medium,
        confidence=shares(rules.factors.model_dump(), labels),
        unsupported_critical_cap=None if cap >= 1 else cap * SCALE_MAX,
    )


def conditions(
    recommendation: str, findings: list[FindingRow], knocked: set[str]
) -> list[Condition]:
    """An "approve with conditions" in detail: failed knock-outs first, then serious findings."""
    if recommendation != "approve_with_conditions":
        return []
    rows = [f for f in findings if f.question_id in knocked]
    rows += [f for f in findings if f.question_id not in knocked and f.severity in SERIOUS]
    return [
        Condition(
            number=f.number,
            text=f.text,
            severity_label=f.severity_label,
            owner=f.owner,
            due_date=f.due_date,
            knockout=f.question_id in knocked,
        )
        for f in rows[: len(knocked) + LISTED]
    ]


def unlisted_conditions(recommendation: str, findings: list[FindingRow], knocked: set[str]) -> int:
    """How many serious findings the conditions leave to the remediation plan."""
    if recommendation != "approve_with_conditions":
        return 0
    serious = [f for f in findings if f.question_id not in knocked and f.severity in SERIOUS]
    return max(0, len(serious) - LISTED)
