"""Listings read plain rows with one query each, however many rows; `due` orders and pages in
SQL exactly as the review rules order vendors; a listing command loads no heavy module."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditkit import Workspace
from auditkit.models.audit import AuditStatus, FinalScore, Finding, Severity
from auditkit.models.listing import AuditLine, FindingLine
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.risk import inherent_risk
from auditkit.services import reviews
from auditkit.storage import findings as finding_store
from auditkit.storage import repository as repo
from auditkit.storage import scores
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import transaction
from tests.builders import run_json

LISTINGS = [
    ("vendor", "list"),
    ("audit", "list"),
    ("audit", "list", "--vendor", "Vendor 1"),
    ("findings", "list"),
    ("findings", "list", "--open", "--vendor", "Vendor 1"),
    ("due", "--today", "2026-11-29"),
]


def add_vendors(db: str, first: int, count: int) -> None:
    """Vendors with two audits each (the first final, with its stored result) and a
    finding per audit."""
    with transaction(db) as conn:
        for index in range(first, first + count):
            vendor = vendor_store.add_vendor(conn, Vendor(name=f"Vendor {index}"), "tester")
            for year in (2024, 2025):
                audit = repo.create_audit(
                    conn, vendor.id or 0, {"nda": "1.0.0"}, {}, dt.date(year, 3, 1), "tester"
                )
                if year == 2024:
                    repo.set_audit_status(conn, audit, AuditStatus.FINAL, "tester")
                    scores.save(conn, FinalScore(audit.id, 80.0, "low", "approve"))
                finding = Finding(
                    vendor_id=vendor.id or 0,
                    audit_id=audit.id,
                    question_id=f"nda.q{year}",
                    severity=Severity.HIGH,
                    summary=f"finding {year}",
                )
                finding_store.add_finding(conn, finding, "tester")


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_listing_runs_the_same_queries_for_2_or_40_vendors(
    db: str,
    run: Callable[..., Result],
    statements: Callable[[], list[str]],
    command: tuple[str, ...],
    as_json: bool,
) -> None:
    args = (*command, "--json") if as_json else command
    add_vendors(db, 0, 2)
    statements()
    few = run(*args)
    assert few.exit_code == 0, few.output
    queries = statements()
    add_vendors(db, 2, 38)
    statements()
    many = run(*args)
    assert many.exit_code == 0, many.output
    assert statements() == queries
    # --vendor resolves the vendor first; due also reads the lapsing evidence of every
    # vendor's latest final audit (one query, whatever the number of vendors)
    assert len(queries) <= (2 if "--vendor" in command or command[0] == "due" else 1)
    assert len(many.output) > len(few.output) or "--vendor" in command


def test_listed_rows_are_the_models_json(db: str, run: Callable[..., Result]) -> None:
    """Each listed audit and finding is what its full model gives (same fields, same values)."""
    add_vendors(db, 0, 3)
    listed = run_json(run, "audit", "list")
    for row in listed:
        shown = run_json(run, "audit", "show", str(row["id"]))
        assert {k: row[k] for k in shown if k in row} == {
            k: v for k, v in shown.items() if k in row
        }
        assert set(row) - set(shown) == {"final"}
    with transaction(db) as conn:
        full = [f.model_dump(mode="json") for f in finding_store.list_findings(conn)]
    assert run_json(run, "findings", "list") == full


FILTERS: list[dict[str, Any]] = [
    {},
    {"vendor": "Vendor 1"},
    {"vendor": 2, "limit": 1},
    {"limit": 3, "offset": 2},
    {"offset": 5},
]


@pytest.mark.parametrize("where", FILTERS, ids=str)
def test_table_lines_are_the_full_rows_columns(db: str, where: dict[str, Any]) -> None:
    """`lines` (what the text tables show) gives each listed audit's and finding's fields as
    `listing` gives them, filtered and paged alike, on a cold cache and then a warm one."""
    add_vendors(db, 0, 4)
    with Workspace(db=db, actor="tester") as ws:
        for _ in range(2):
            audits = ws.audits.listing(**where)
            assert audits
            assert ws.audits.lines(**where) == [
                AuditLine(*(getattr(a, f) for f in AuditLine._fields)) for a in audits
            ]
            for open_only, audit in ((False, None), (True, None), (False, audits[0].id)):
                found = ws.findings.listing(open_only=open_only, audit=audit, **where)
                assert found or audit is not None
                assert ws.findings.lines(open_only=open_only, audit=audit, **where) == [
                    FindingLine(*(getattr(f, n) for n in FindingLine._fields)) for f in found
                ]


# --- due: SQL order and page = the review rules' order --------------------------------------

LEVELS = st.sampled_from(["low", "medium", "high"])
PROFILES = st.builds(
    VendorProfile,
    handles_card_data=st.booleans(),
    personal_data=st.sampled_from(["none", "low", "medium", "high"]),
    system_access=st.sampled_from(["none", "limited", "privileged"]),
    criticality=LEVELS,
)
EDGES = [dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2025, 1, 31), dt.date(2024, 12, 31)]
DAYS = st.one_of(st.sampled_from(EDGES), st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31)))
AUDITS = st.lists(st.tuples(DAYS, st.booleans()), max_size=3)  # (as of, final?)
NAMES = st.sampled_from(["Zeta", "alpha", "Émile", "さくら", "Ångström", "beta", "_x", "Zeta2"])


def _expected(vendors: list[tuple[Vendor, list[dt.date]]], today: dt.date, soon: int) -> list[Any]:
    """The review rules' order, worked out in Python from every vendor's full data."""
    rows = []
    for vendor, finals in vendors:
        risk = inherent_risk(vendor.profile)
        last = max(finals, default=None)
        due, state = reviews.review_state(last, risk.review_months, today, soon)
        rows.append((vendor.name, vendor.id, risk.tier, last, due, state))
    order = {"never_reviewed": 0, "overdue": 1, "due_soon": 2, "current": 3}
    return sorted(rows, key=lambda r: (order[r[5]], r[4] or dt.date.min, r[0]))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batch=st.lists(st.tuples(NAMES, PROFILES, AUDITS), min_size=1, max_size=6),
    today=DAYS,
    soon=st.integers(0, 400),
    page=st.tuples(st.integers(1, 5), st.integers(0, 8)),
)
def test_due_order_and_pages_match_the_review_rules(
    db: str,
    batch: list[tuple[str, VendorProfile, list[tuple[dt.date, bool]]]],
    today: dt.date,
    soon: int,
    page: tuple[int, int],
) -> None:
    with transaction(db) as conn:
        for name, profile, audits in batch:
            index = repo.count(conn, "vendors")
            vendor = vendor_store.add_vendor(
                conn, Vendor(name=f"{name} {index}", profile=profile), "t"
            )
            for as_of, final in audits:
                audit = repo.create_audit(conn, vendor.id or 0, {}, {}, as_of, "t")
                if final:
                    repo.set_audit_status(conn, audit, AuditStatus.FINAL, "t")
        everyone = vendor_store.list_vendors(conn)
        finals: dict[int, list[dt.date]] = {}
        for audit in repo.list_audits(conn):
            if audit.status is AuditStatus.FINAL:
                finals.setdefault(audit.vendor_id, []).append(audit.as_of)
    expected = _expected([(v, finals.get(v.id or 0, [])) for v in everyone], today, soon)
    assert [tuple(r) for r in reviews.due(db, today, soon)] == expected
    limit, offset = page
    got = reviews.due(db, today, soon, limit, offset)
    assert [tuple(r) for r in got] == expected[offset : offset + limit]


# --- start-up: a listing command stays light ---------------------------------------------

HEAVY = ("weasyprint", "jinja2", "openpyxl", "sslyze", "pydantic", "alembic")
PROBE = """
import json, sys
from auditkit.cli.main import cli
try:
    cli.main(args=sys.argv[2:], prog_name="auditkit")
except SystemExit as exc:
    assert not exc.code, exc.code
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def _modules(tmp_path: Path, *args: str) -> set[str]:
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        check=True,
        capture_output=True,
        env={**_clean_env(), "AUDITKIT_CACHE_DIR": str(tmp_path / "cache")},
    )
    return set(json.loads(out.read_text()))


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("AUDITKIT_")}


@pytest.mark.slow
@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [*LISTINGS[:4], ("due",)], ids=" ".join)
def test_a_listing_command_loads_no_heavy_module(
    db: str, tmp_path: Path, command: tuple[str, ...]
) -> None:
    add_vendors(db, 0, 2)
    for args in (command, (*command, "--json")):
        loaded = _modules(tmp_path, "--db", db, *args)
        heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
        assert heavy == [], f"{' '.join(args)} loaded {heavy[:5]}"
        ours = [m for m in loaded if m.startswith(("auditkit.report", "auditkit.exchange"))]
        assert ours == []
        assert "auditkit.services.listings" in loaded  # the probe saw the command run


@pytest.mark.slow
def test_checklist_list_reads_cached_summaries_without_models(tmp_path: Path) -> None:
    first = _modules(tmp_path, "checklist", "list")  # parses the YAML, fills the cache
    assert "pydantic" in first
    again = _modules(tmp_path, "checklist", "list", "--json")
    heavy = sorted(m for m in again if m.split(".")[0] in (*HEAVY, "sqlalchemy"))
    assert heavy == []
    assert "auditkit.checklist_summaries" in again
