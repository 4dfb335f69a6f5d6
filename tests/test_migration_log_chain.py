"""Migration 0002_log_chain on a database made by release 0.1.0 (schema 0001), on SQLite and
PostgreSQL: every entry kept as it was, chained in the order it was written, guarded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from click.testing import Result
from sqlalchemy import Connection, MetaData, create_engine, insert, select, text
from sqlalchemy.exc import DBAPIError

from auditkit.storage.db import close
from auditkit.storage.engine import MIGRATIONS, resolve_url

FIXTURE = Path(__file__).parent / "fixtures" / "release_0001" / "release_0001.db"
TABLES = ("vendors", "audits", "answers", "evidence", "findings", "changes")
OLD_COLUMNS = ("id", "at", "actor", "entity", "entity_id", "audit_id", "field", "old", "new")


def alembic(conn: Connection, action: Callable[[Config, str], None], revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    action(config, revision)


def release_database(db: str) -> None:
    """The 0.1.0 fixture's data in `db`, at schema revision 0001 (PostgreSQL: copied row by row
    into a schema built by migration 0001)."""
    url = resolve_url(db)
    if url.startswith("sqlite:///"):
        shutil.copy(FIXTURE, url.removeprefix("sqlite:///"))
        return
    source, target = create_engine(f"sqlite:///{FIXTURE}"), create_engine(url)
    with target.begin() as conn:
        alembic(conn, command.upgrade, "0001")
    old, new = MetaData(), MetaData()
    old.reflect(source)
    new.reflect(target)
    with source.connect() as src, target.begin() as dst:
        for name in TABLES:
            rows = [dict(r._mapping) for r in src.execute(select(old.tables[name]))]
            dst.execute(insert(new.tables[name]), rows)
            if name != "evidence":
                dst.execute(text(f"SELECT setval('{name}_id_seq', (SELECT max(id) FROM {name}))"))
    source.dispose()
    target.dispose()


# columns that later migrations reshape (0003_frozen_record moves evidence details to links;
# tests/test_migration.py checks that move)
RESHAPED = {"evidence": {"kind", "issued", "expires"}, "answers": {"evidence"}}


def snapshot(db: str) -> dict[str, Any]:
    """Every stored row in the columns release 0.1.0 had (less those reshaped later), the
    change log in its pre-chain columns."""
    engine = create_engine(resolve_url(db))
    meta = MetaData()
    meta.reflect(engine)
    release = MetaData()
    release.reflect(create_engine(f"sqlite:///{FIXTURE}"))

    def kept(name: str) -> list[Any]:
        known = [c.name for c in release.tables[name].c if c.name not in RESHAPED.get(name, ())]
        return [meta.tables[name].c[c] for c in known]

    with engine.connect() as conn:
        data: dict[str, Any] = {
            name: sorted(tuple(map(str, r)) for r in conn.execute(select(*kept(name))))
            for name in TABLES
            if name != "changes"
        }
        log = meta.tables["changes"]
        columns = [log.c[name] for name in OLD_COLUMNS]
        data["changes"] = [tuple(r) for r in conn.execute(select(*columns).order_by(log.c.id))]
    engine.dispose()
    return data


def test_release_database_is_chained_without_loss(run: Callable[..., Result], db: str) -> None:
    release_database(db)
    before = snapshot(db)
    assert len(before["changes"]) == 19 and len(before["answers"]) == 3

    result = run("log", "verify")
    assert (result.exit_code, result.output) == (0, "19 entries, chain intact\n")

    after = snapshot(db)
    assert after == before
    engine = create_engine(resolve_url(db))
    with engine.connect() as conn:
        order = conn.execute(text("SELECT seq FROM changes ORDER BY id")).scalars().all()
        assert order == list(range(1, 20))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE changes SET actor = 'mallory' WHERE seq = 1"))
    engine.dispose()

    logged = json.loads(run("audit", "log", "1", "--json").output)
    assert [e["new"]["comment"] for e in logged if e["entity"] == "answer"][2] == (
        "東京: HTTP still served"
    )
    assert run("vendor", "add", "After the upgrade").exit_code == 0
    assert run("log", "verify").output == "20 entries, chain intact\n"


def test_release_database_tampered_before_upgrade_is_chained_as_found(
    run: Callable[..., Result], db: str
) -> None:
    """What was changed before the chain existed cannot be told from the log; what stored data
    disagrees with the log still shows."""
    release_database(db)
    engine = create_engine(resolve_url(db))
    with engine.begin() as conn:
        conn.execute(text("UPDATE audits SET status = 'draft' WHERE id = 1"))
    engine.dispose()
    result = run("log", "verify")
    assert result.exit_code == 7
    assert "audit 1: status is 'draft' but its last logged value is 'final'" in result.output


def test_downgrade_and_upgrade_again(run: Callable[..., Result], db: str) -> None:
    release_database(db)
    before = snapshot(db)
    assert run("log", "verify").exit_code == 0  # upgraded to the head
    engine = create_engine(resolve_url(db))
    with engine.begin() as conn:
        alembic(conn, command.downgrade, "0001")
    with engine.begin() as conn:  # at 0001: no chain columns, no guard
        assert list(conn.execute(text("SELECT * FROM changes")).keys()) == list(OLD_COLUMNS)
        conn.execute(text("UPDATE changes SET actor = actor WHERE id = 1"))
    engine.dispose()
    assert snapshot(db) == before
    close(db)  # open afresh: auditkit migrates a database when it opens it
    assert run("log", "verify").output == "19 entries, chain intact\n"


@pytest.mark.sqlite_only
def test_migrated_release_database_has_exactly_the_declared_schema(
    run: Callable[..., Result], db: str
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from auditkit.storage.schema import metadata

    release_database(db)
    assert run("log", "verify").exit_code == 0
    with create_engine(f"sqlite:///{db}").connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
