"""Shared fixtures: real SQLite files in tmp dirs, the shipped checklists, a CLI runner."""

from __future__ import annotations

import json
import os
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from auditkit.checklists import load_directories
from auditkit.cli.main import cli
from auditkit.models.checklist import Checklist
from auditkit.services import audits, vendors
from tests.builders import AS_OF, make_vendor

# The shared test data (blns.json) sits in a `shared/data` directory beside the checkout,
# or beside the directory that holds several checkouts.
SHARED_DATA = next(
    (
        parent / "shared" / "data"
        for parent in Path(__file__).resolve().parents[1:]
        if (parent / "shared" / "data").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test ever touches the user's real database or settings."""
    for var in (
        "AUDITKIT_DB",
        "AUDITKIT_LANG",
        "AUDITKIT_CHECKLISTS",
        "AUDITKIT_USER",
        "AUDITKIT_FONT_DIRS",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("AUDITKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")


# Set (e.g. by .ci/run) to a PostgreSQL admin URL to run the database tests on PostgreSQL:
# postgresql+psycopg://auditkit:auditkit@127.0.0.1:5432/postgres
PG_ADMIN_URL = os.environ.get("AUDITKIT_TEST_PG")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a database, so `-m db` selects them."""
    for item in items:
        if "db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database when
    AUDITKIT_TEST_PG is set (tests marked sqlite_only stay on SQLite)."""
    if PG_ADMIN_URL and request.node.get_closest_marker("sqlite_only") is None:
        yield from _postgres_database(PG_ADMIN_URL)
    else:
        yield str(tmp_path / "audit.db")


def _postgres_database(admin_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, make_url

    from auditkit.storage.db import close

    name = f"auditkit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        close(url)
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin: Any, name: str) -> None:
    """Drop a test database; a session that will not go away only leaves a warning."""
    from sqlalchemy.exc import DBAPIError

    for attempt in range(5):
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except DBAPIError as exc:
            error = exc
            time.sleep(0.2 * (attempt + 1))
    warnings.warn(f"could not drop test database {name}: {error.orig}", stacklevel=1)


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


@pytest.fixture
def statements(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], list[str]]]:
    """The SELECT statements run on the test database since the last call (reads may use a
    read-only engine: both are watched). Caches are off, so listings run through SQLAlchemy
    rather than as compiled statements through `sqlite3` (tests/test_fast_listings.py checks
    that both give the same output)."""
    from sqlalchemy import event

    monkeypatch.setenv("AUDITKIT_CACHE_DIR", "off")

    from auditkit.storage.db import engine_for, reader_for

    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    def taken() -> list[str]:
        done = list(seen)
        seen.clear()
        return done

    engines = {engine_for(db), reader_for(db)}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    yield taken
    for engine in engines:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo dataset, made once per test module; tests copy it."""
    from auditkit.services.demo import seed
    from auditkit.storage.db import close

    folder = tmp_path_factory.mktemp("demo")
    seed(str(folder / "demo.db"), load_directories())
    close(str(folder / "demo.db"))
    return folder / "demo.db"
