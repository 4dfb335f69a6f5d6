"""METI's supply-chain security evaluation scheme: the level to require, from the profile."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import get_args

import pytest

from auditkit import answers
from auditkit.checklists import load_directories
from auditkit.models.vendor import Level, PersonalData, Service, SystemAccess, VendorProfile

PROFILES = [
    VendorProfile(
        handles_card_data=card, personal_data=data, system_access=access, criticality=level
    )
    for card, data, access, level in itertools.product(
        (False, True), get_args(PersonalData), get_args(SystemAccess), get_args(Level)
    )
]


@pytest.mark.parametrize(
    "profile", PROFILES, ids=lambda p: "-".join(map(str, p.model_dump().values()))
)
def test_any_yes_means_star4_else_star3(profile: VendorProfile) -> None:
    confidential = profile.handles_card_data or profile.personal_data in ("medium", "high")
    disruption = profile.criticality == "high"
    reach = profile.system_access != "none"
    expected = "star4" if confidential or disruption or reach else "star3"
    assert profile.meti_level == expected
    assert [yes for _, yes in profile.meti_questions()] == [confidential, disruption, reach]


@pytest.mark.parametrize(
    "profile", PROFILES, ids=lambda p: "-".join(map(str, p.model_dump().values()))
)
def test_exactly_one_star_question_is_asked(profile: VendorProfile) -> None:
    governance = load_directories()["governance"]
    facts = profile.facts([Service.CUSTOMER_SUPPORT])
    asked = [
        q.id
        for q in governance.questions
        if q.id in ("governance.meti_star", "governance.meti_star_basic")
        and q.applies_to(facts, {})
    ]
    assert asked == (
        ["governance.meti_star"]
        if profile.meti_level == "star4"
        else ["governance.meti_star_basic"]
    )


def test_the_smallest_profile_needs_star3_and_a_card_vendor_star4() -> None:
    assert VendorProfile(criticality="low").meti_level == "star3"
    assert VendorProfile(criticality="low", handles_card_data=True).meti_level == "star4"


def test_expiry_dates_may_lie_ahead_but_audit_dates_may_not() -> None:
    questions = {q.id: q for c in load_directories().values() for q in c.questions}
    today = dt.date(2026, 11, 1)
    expiry = questions["governance.meti_star_valid_until"]
    assert answers.parse(expiry, "2028-03-31", today) == "2028-03-31"
    with pytest.raises(answers.AnswerError, match="is in the future"):
        answers.parse(questions["redundancy.restore_test"], "2028-03-31", today)
