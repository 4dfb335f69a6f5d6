"""`vendor list` and `audit list` show the latest final score, rating and recommendation, from
one query however many vendors there are."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result

from auditkit.checklists import load_directories
from auditkit.services import listings, vendors
from auditkit.services.demo import seed
from tests.builders import make_vendor

pytestmark = pytest.mark.db


@pytest.fixture
def demo(db: str) -> str:
    seed(db, load_directories())
    return db


def _json(run: Callable[..., Result], *args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_vendor_list_shows_the_latest_final_result(demo: str, run: Callable[..., Result]) -> None:
    found = {v["name"].split(" ")[0]: v["latest_final"] for v in _json(run, "vendor", "list")}
    assert found["Hoshizora"] is None and found["Kumo"] is None  # drafts only
    sakura = found["Sakura"]
    assert (sakura["audit_id"], sakura["rating"], sakura["recommendation"]) == (
        2,
        "low",
        "approve",
    )
    assert sakura["overall"] > 90
    lines = run("vendor", "list").output.splitlines()
    assert lines[0].split() == [
        "id", "name", "tier", "services", "score", "rating", "recommendation",
    ]  # fmt: skip
    assert lines[2].split()[-3:] == [f"{sakura['overall']:.1f}", "Low", "Approve"]
    assert lines[3].split()[-3:] == ["-", "-", "-"]


def test_audit_list_shows_each_final_result_and_finalize_stores_it(
    demo: str, run: Callable[..., Result]
) -> None:
    rows = _json(run, "audit", "list")
    assert [(a["id"], a["status"], a["final"] and a["final"]["recommendation"]) for a in rows] == [
        (1, "final", "approve_with_conditions"),
        (2, "final", "approve"),
        (3, "draft", None),
        (4, "draft", None),
    ]
    result = run(
        "audit",
        "finalize",
        "4",
        "--reviewer",
        "R. Reviewer",
        "--approver",
        "A. Approver",
        "--accept-unanswered",
        "test",
    )
    assert result.exit_code == 0, result.output
    kumo = _json(run, "audit", "list", "--vendor", "3")
    assert [(a["id"], a["final"]["rating"], a["final"]["recommendation"]) for a in kumo] == [
        (4, "high", "reject")
    ]
    scored = _json(run, "audit", "score", "4")
    assert kumo[0]["final"]["overall"] == pytest.approx(scored["overall"], abs=0.01)
    line = run("audit", "list", "--vendor", "3").output.splitlines()[2]
    assert line.split()[-3:] == [f"{scored['overall']:.1f}", "High", "Reject"]


def test_vendor_listing_is_one_query_whatever_the_number_of_vendors(
    demo: str, statements: Callable[[], list[str]]
) -> None:
    listings.vendors(demo)
    few = statements()
    for index in range(20):
        vendors.add(demo, make_vendor(name=f"Extra {index}"), "tester")
    statements()
    assert len(listings.vendors(demo)) == 23
    assert len(few) == len(statements()) == 1
