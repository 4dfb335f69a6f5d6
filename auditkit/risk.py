"""Inherent risk: what the vendor's profile alone says, before any answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from auditkit.models.message import Message

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
    factors: tuple[tuple[Message, int], ...]  # (explanation, points)

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
    card = "yes" if profile.handles_card_data else "no"
    factors = (
        (Message.of("risk_card_data", value=card), CARD_DATA_POINTS if card == "yes" else 0),
        (
            Message.of("risk_personal_data", value=profile.personal_data),
            PERSONAL_DATA_POINTS[profile.personal_data],
        ),
        (
            Message.of("risk_system_access", value=profile.system_access),
            ACCESS_POINTS[profile.system_access],
        ),
        (
            Message.of("risk_criticality", value=profile.criticality),
            CRITICALITY_POINTS[profile.criticality],
        ),
    )
    points = sum(p for _, p in factors)
    if points >= TIER_1_MIN or profile.handles_card_data:
        tier = 1
    elif points >= TIER_2_MIN:
        tier = 2
    else:
        tier = 3
    return InherentRisk(tier, points, REVIEW_MONTHS[tier], factors)


def explain(risk: InherentRisk) -> list[Message]:
    """How the tier follows from the profile, one message per line."""
    lines = [Message.of("risk_factor", factor=text, points=points) for text, points in risk.factors]
    lines.append(
        Message.of(
            "risk_total",
            points=risk.points,
            tier=risk.tier,
            level=risk.level,
            tier_1=TIER_1_MIN,
            tier_2=TIER_2_MIN,
            months=risk.review_months,
        )
    )
    return lines


METI_STARS = {"star3": "★3", "star4": "★4"}


def meti_explain(profile: VendorProfile) -> list[Message]:
    """The METI supply-chain security level to require, with the scheme's three questions
    (in the catalogue as `meti_question_1..3`, in the order of `meti_questions`)."""
    lines = [
        Message.of(
            "meti_answer",
            question=Message.of(f"meti_question_{number}"),
            answer="yes" if yes else "no",
        )
        for number, (_, yes) in enumerate(profile.meti_questions(), 1)
    ]
    lines.append(Message.of("meti_require", level=METI_STARS[profile.meti_level]))
    return lines
