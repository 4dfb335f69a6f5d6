"""Confidence rules: how much an answer counts, by how it is known.

Kept as data (`checklists/scoring/confidence.yaml`; an organisation overrides it with
`scoring/confidence.yaml` in a `--checklists` directory). A final audit's record keeps the rules
it was scored with, so changing them never changes a final audit.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import Field, model_validator

from auditkit.models.audit import Knowledge
from auditkit.models.common import Strict
from auditkit.models.refusals import refusal

CONFIDENCE_FORMAT = "auditkit.confidence/1"
# which kind an answer is counted as when two fit equally well
PREFERENCE = (Knowledge.MEASURED, Knowledge.VERIFIED, Knowledge.EVIDENCE, Knowledge.SELF_ATTESTED)


class Factors(Strict):
    """The share of an answer's score that counts, by how the answer is known (0 < f <= 1)."""

    self_attested: float = Field(gt=0.0, le=1.0)
    evidence: float = Field(gt=0.0, le=1.0)
    verified: float = Field(gt=0.0, le=1.0)
    measured: float = Field(gt=0.0, le=1.0)

    def of(self, kind: Knowledge) -> float:
        return float(getattr(self, kind.value))


class ConfidenceRules(Strict):
    format: str = Field(default=CONFIDENCE_FORMAT, pattern=r"^auditkit\.confidence/1$")
    factors: Factors
    # a critical (knock-out) control known only from the vendor's word scores at most this, so
    # it cannot pass without evidence, verification or a measurement; 1 turns the rule off
    unsupported_critical_cap: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _checked_counts_more(self) -> ConfidenceRules:
        f = self.factors
        checked = ("evidence", "verified", "measured")
        weaker = [k for k in checked if getattr(f, k) < f.self_attested]
        if weaker:
            raise refusal(
                "confidence_weaker", weaker=", ".join(weaker), factor=f"{f.self_attested:g}"
            )
        return self

    def content(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @cached_property
    def ranking(self) -> tuple[tuple[Knowledge, float], ...]:
        """Every kind with its factor, the one that counts most first (ties: measured first):
        an answer counts as the first kind it has (scoring reads this in its inner loop)."""
        return tuple(
            (k, self.factors.of(k))
            for k in sorted(PREFERENCE, key=lambda k: (-self.factors.of(k), PREFERENCE.index(k)))
        )


# Scoring as it was before confidence rules: every kind counts in full, no knock-out cap. Used
# for audits and reports made before the rules existed.
NEUTRAL = ConfidenceRules(
    factors=Factors(self_attested=1.0, evidence=1.0, verified=1.0, measured=1.0),
    unsupported_critical_cap=1.0,
)


def best_kind(kinds: set[Knowledge], rules: ConfidenceRules) -> Knowledge:
    """The kind that counts most among those an answer has (ties: measured first)."""
    return next(k for k, _ in rules.ranking if k in kinds)
