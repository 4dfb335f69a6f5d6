"""Inherent risk: what the vendor's profile alone says, before any answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from auditkit.models.vendor import VendorProfile

PERSONAL_DATA_POINTS = {"none": 0, "low": 1, "medium": 2, "high": 3}
ACCESS_POINTS = {"none": 0, "limited": 1, "privileged": 3}
CRITICALITY_POINTS = {"low": 0, "medium": 1, "high": 2}
CARD_DATA_POINTS = 3
TIER_1_MIN = 6  # points at or above: tier 1
TIER_2_MIN = 3
REVIEW_MONTHS = {1: 12, 2: 24, 3: 36}


@dataclass(frozen=True, slots=True)
class InherentRisk:
    tier: int  # 1 = highest inherent risk
    points: int
    review_months: int
    factors: tuple[tuple[str, int], ...]  # (explanation, points)

    @property
    def level(self) -> str:
        return {1: "high", 2: "medium", 3: "low"}[self.tier]


class ProfileFacts(Protocol):
    """What inherent risk is worked out from: a `VendorProfile`, or a listing's row."""

    @property
    def handles_card_data(self) -> bool: ...
    @property
    def personal_data(self) -> str: ...
    @property
    def system_access(self) -> str: ...
    @property
    def criticality(self) -> str: ...


def inherent_risk(profile: ProfileFacts) -> InherentRisk:
    factors = (
        (
            f"card data handled: {'yes' if profile.handles_card_data else 'no'}",
            CARD_DATA_POINTS if profile.handles_card_data else 0,
        ),
        (
            f"personal data volume: {profile.personal_data}",
            PERSONAL_DATA_POINTS[profile.personal_data],
        ),
        (f"access to our systems: {profile.system_access}", ACCESS_POINTS[profile.system_access]),
        (f"business criticality: {profile.criticality}", CRITICALITY_POINTS[profile.criticality]),
    )
    points = sum(p for _, p in factors)
    if points >= TIER_1_MIN or profile.handles_card_data:
        tier = 1
    elif points >= TIER_2_MIN:
        tier = 2
    else:
        tier = 3
    return InherentRisk(tier, points, REVIEW_MONTHS[tier], factors)


def explain(risk: InherentRisk) -> list[str]:
    lines = [f"{text}: +{points}" for text, points in risk.factors]
    lines.append(
        f"total {risk.points} points -> tier {risk.tier} ({risk.level} inherent risk; "
        f"tier 1 at >= {TIER_1_MIN} points or any card data, tier 2 at >= {TIER_2_MIN}); "
        f"review every {risk.review_months} months"
    )
    return lines


METI_STARS = {"star3": "★3", "star4": "★4"}


def meti_explain(profile: VendorProfile) -> list[str]:
    """The METI supply-chain security level to require, with the scheme's three questions."""
    lines = [f"{question}: {'yes' if yes else 'no'}" for question, yes in profile.meti_questions()]
    lines.append(f"-> require {METI_STARS[profile.meti_level]} (★4 if any answer is yes, else ★3)")
    return lines
