"""METI's supply-chain security evaluation scheme: the level a buyer should require, from the
vendor profile's facts (plain functions: `VendorProfile` and listing rows both use them)."""

from __future__ import annotations

from typing import Literal

MetiLevel = Literal["star3", "star4"]
METI_LEVELS: tuple[MetiLevel, ...] = ("star3", "star4")


def meti_questions(
    handles_card_data: bool, personal_data: str, criticality: str, system_access: str
) -> tuple[tuple[str, bool], ...]:
    """The scheme's three questions that choose the level to require, answered."""
    return (
        (
            "our important confidential information is handled on the vendor's IT "
            "(card data, or personal data of medium or high volume)",
            handles_card_data or personal_data in ("medium", "high"),
        ),
        (
            "a disruption at the vendor would delay our business unacceptably (criticality high)",
            criticality == "high",
        ),
        (
            "the vendor can reach our internal systems (system access limited or privileged)",
            system_access != "none",
        ),
    )


def meti_level(
    handles_card_data: bool, personal_data: str, criticality: str, system_access: str
) -> MetiLevel:
    """★4 if any of the scheme's three questions is answered yes, else ★3."""
    if handles_card_data or personal_data in ("medium", "high"):
        return "star4"
    return "star4" if criticality == "high" or system_access != "none" else "star3"
