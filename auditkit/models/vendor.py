"""Vendors and the profile that fixes their inherent risk."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator

from auditkit.models.common import Strict
from auditkit.models.meti import MetiLevel, meti_level, meti_questions
from auditkit.models.refusals import refusal
from auditkit.textnorm import NAME_MAX, Name, normalize

Level = Literal["low", "medium", "high"]
PersonalData = Literal["none", "low", "medium", "high"]
SystemAccess = Literal["none", "limited", "privileged"]


class Service(StrEnum):
    SITE_BUILD = "site_build"
    SITE_HOSTING = "site_hosting"
    ORDER_HANDLING = "order_handling"
    INVENTORY = "inventory"
    CUSTOMER_SUPPORT = "customer_support"
    LOGISTICS = "logistics"
    MARKETING = "marketing"


class VendorProfile(Strict):
    """What the vendor touches. `personal_data`: none, low (<1k records),
    medium (<100k), high (>=100k or sensitive)."""

    handles_card_data: bool = False
    personal_data: PersonalData = "none"
    system_access: SystemAccess = "none"
    criticality: Level = "medium"

    def meti_questions(self) -> tuple[tuple[str, bool], ...]:
        """The three questions of METI's supply-chain security evaluation scheme that choose
        the level a buyer should require, answered from this profile."""
        return meti_questions(
            self.handles_card_data, self.personal_data, self.criticality, self.system_access
        )

    @property
    def meti_level(self) -> MetiLevel:
        """★4 if any of the scheme's three questions is answered yes, else ★3."""
        return meti_level(
            self.handles_card_data, self.personal_data, self.criticality, self.system_access
        )

    def facts(self, services: list[Service]) -> dict[str, Any]:
        """The values `applies_if` conditions read (meti_level is derived)."""
        return {
            **self.model_dump(),
            "services": [s.value for s in services],
            "meti_level": self.meti_level,
        }


class Vendor(Strict):
    id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    services: list[Service] = Field(default_factory=list)
    contact_name: Name | None = None
    contact_email: str | None = Field(default=None, max_length=320)
    profile: VendorProfile = Field(default_factory=VendorProfile)

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = normalize(value).strip()
        if len(value) > NAME_MAX:
            raise refusal("text_over_limit", length=len(value), limit=NAME_MAX)
        if not value:
            raise refusal("name_blank")
        if value.isdigit():
            raise refusal("name_digits")
        return value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None:
            value = normalize(value)  # bidi or control characters become visible escapes
        if value is not None and (value.count("@") != 1 or any(c.isspace() for c in value)):
            raise refusal("email_shape")
        return value
