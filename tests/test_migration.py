"""Migration 0003_frozen_record: evidence details move to links; nothing stored is lost."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, column, create_engine, select, table, text

from auditkit.storage.db import close
from auditkit.storage.engine import HEAD, MIGRATIONS, resolve_url
from tests.record_helpers import Cli

RELEASE = Path(__file__).resolve().parent / "fixtures" / "frozen_record_0001"
NDA = "c655764212578fcf912d3c56e518bf531d7b63b8577a51669645e9d88a696c23"
PENTEST = "629b388b7726553d1d0e3a329dee9b5f950c348ef0bcc5f3afdb2fc7610dd862"


def _with_note(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The release's answers as the new code shows them: each link also has a note."""
    return [{**a, "evidence": [{**e, "note": None} for e in a["evidence"]]} for a in answers]


@pytest.mark.sqlite_only
def test_a_database_made_by_the_release_is_migrated_without_loss(tmp_path: Path) -> None:
    db = tmp_path / "auditkit.db"
    shutil.copy(RELEASE / "auditkit.db", db)
    expected = json.loads((RELEASE / "expected.json").read_text(encoding="utf-8"))
    ak = Cli(str(db), tmp_path)
    for audit_id in ("1", "2"):
        shown = ak.json("audit", "show", audit_id)
        before = expected[audit_id]["show"]
        assert shown["answers"] == _with_note(before["answers"])
        for key in ("status", "checklists", "profile", "reviewer", "approver", "as_of"):
            assert shown[key] == before[key], key
    close(str(db))
    engine = create_engine(resolve_url(str(db)))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        legacy = dict(conn.execute(text("SELECT sha256, legacy_details FROM evidence")).all())
    engine.dispose()
    assert json.loads(legacy[NDA]) == {
        "name": "nda.pdf",
        "kind": "contract",
        "issued": "2026-01-05",
        "expires": "2028-01-05",
    }
    # the migrated draft still works: a new link on the same file has its own details
    ak.ok("audit", "evidence", "2", "nda.nda_before_access", str(RELEASE / "README.md"))
    # the change log still agrees with the data (answers logged with bare evidence hashes)
    verified = ak("log", "verify")
    assert verified.exit_code == 0, verified.output
    # and the audit finalized by the release (no frozen record) is read with a warning
    shown = ak("audit", "show", "1")
    assert "finalized before frozen records existed" in shown.output


def _migrate_to(url: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


ROWS_0001 = [
    "INSERT INTO vendors (id, name, services, handles_card_data, personal_data, system_access, "
    "criticality, created_at) VALUES (1, 'Old KK', '[]', false, 'low', 'none', 'low', :at)",
    "INSERT INTO audits (id, vendor_id, status, checklists, profile, started_at, as_of) "
    "VALUES (1, 1, 'draft', '{\"nda\": \"1.0.0\"}', '{}', :at, '2026-11-01')",
    "INSERT INTO evidence (sha256, name, kind, size, issued, expires, content, added_at) VALUES "
    "(:a, 'a.pdf', 'contract', 3, '2026-01-01', '2027-01-01', :content, :at), "
    "(:b, 'orphan.pdf', 'policy', 3, NULL, '2025-05-05', :content, :at)",
    "INSERT INTO answers (audit_id, question_id, value, source, evidence, answered_at) VALUES "
    "(1, 'nda.nda_before_access', '\"yes\"', 'auditor', :both, :at), "
    "(1, 'nda.staff_confidentiality', '\"no\"', 'vendor', '[]', :at)",
]


def test_migration_moves_details_to_links_on_this_database(db: str) -> None:
    """Also on PostgreSQL: rows written at 0001 (one file linked, one linked by nobody, one
    reference to a file that was never stored) come through 0003 with nothing lost."""
    url = resolve_url(db)
    _migrate_to(url, "0001")
    a, b, missing = "a" * 64, "b" * 64, "c" * 64
    engine = create_engine(url)
    with engine.begin() as conn:
        params = {
            "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            "a": a,
            "b": b,
            "content": b"pdf",
            "both": json.dumps([a, missing]),
        }
        for statement in ROWS_0001:
            conn.execute(text(statement), params)
    _migrate_to(url, "head")
    with engine.connect() as conn:
        links = conn.execute(
            text(
                "SELECT audit_id, question_id, position, sha256, name, kind, issued, expires, note "
                "FROM evidence_links"
            )
        ).all()
        files = table("evidence", column("sha256"), column("legacy_details", JSON))
        legacy = dict(conn.execute(select(files.c.sha256, files.c.legacy_details)).all())
        rows = table("answers", column("id"), column("question_id"), column("value", JSON))
        answers = conn.execute(select(rows.c.question_id, rows.c.value).order_by(rows.c.id)).all()
    engine.dispose()
    shown = [(*r[:6], str(r[6]), str(r[7]), r[8]) for r in links]  # dates as text on SQLite
    assert shown == [
        (1, "nda.nda_before_access", 0, a, "a.pdf", "contract", "2026-01-01", "2027-01-01", None)
    ]
    assert legacy[b] == {"name": "orphan.pdf", "kind": "policy", "issued": None,
                          "expires": "2025-05-05"}  # fmt: skip
    assert [tuple(r) for r in answers] == [
        ("nda.nda_before_access", "yes"),
        ("nda.staff_confidentiality", "no"),
    ]
