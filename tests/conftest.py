"""Shared fixtures: real SQLite files in tmp dirs, the shipped checklists, a CLI runner."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from auditkit.checklists import load_directories
from auditkit.cli.main import cli
from auditkit.models.checklist import Checklist
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.services import audits, vendors

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test ever touches the user's real database or settings."""
    for var in ("AUDITKIT_DB", "AUDITKIT_LANG", "AUDITKIT_CHECKLISTS", "AUDITKIT_USER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A fresh SQLite database file (created on first use)."""
    return str(tmp_path / "audit.db")


@pytest.fixture(scope="session")
def checklists() -> dict[str, Checklist]:
    return load_directories()


@pytest.fixture
def run(db: str) -> Callable[..., Result]:
    """Invoke the CLI against the test database: run("vendor", "list", input=...)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, db_url: str | None = None) -> Result:
        return runner.invoke(cli, ["--db", db_url or db, "--as", "tester", *args], input=input)

    return invoke


def run_json(run: Callable[..., Result], *args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def make_vendor(**overrides: Any) -> Vendor:
    profile = overrides.pop("profile", {})
    data: dict[str, Any] = {
        "name": "Sakura Commerce KK",
        "services": ["site_hosting", "order_handling"],
        "contact_email": "security@sakura.example",
        "profile": VendorProfile(**{"personal_data": "medium", "criticality": "high", **profile}),
    }
    data.update(overrides)
    return Vendor(**data)


@pytest.fixture
def new_audit(db: str, checklists: dict[str, Checklist]) -> Callable[..., int]:
    """Create a vendor and start a draft audit for it; returns the audit id."""

    def create(**vendor_fields: Any) -> int:
        vendor = vendors.add(db, make_vendor(**vendor_fields), "tester")
        return audits.start(db, vendor.name, checklists, "tester", as_of=AS_OF).id

    return create


@pytest.fixture(scope="session")
def naughty_strings() -> list[str]:
    path = SHARED_DATA / "blns.json"
    if not path.exists():
        pytest.skip(f"naughty strings list not found at {path}")
    return [s for s in json.loads(path.read_text(encoding="utf-8")) if isinstance(s, str)]
