"""Migration 0005_answer_knowledge on SQLite and PostgreSQL: answers written at 0004 keep every
value, get no verification, and are known by their source; a verification can be added after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import JSON, column, create_engine, select, table, text

from auditkit.storage.db import close
from auditkit.storage.engine import HEAD, MIGRATIONS, resolve_url
from tests.record_helpers import Cli

ROWS_0004 = [
    "INSERT INTO vendors (id, name, services, handles_card_data, personal_data, system_access, "
    "criticality, created_at) VALUES (1, 'Old KK', '[]', false, 'low', 'none', 'low', :at)",
    "INSERT INTO audits (id, vendor_id, status, checklists, profile, started_at, as_of) "
    "VALUES (1, 1, 'draft', '{\"nda\": \"2.0.0\"}', '{}', :at, '2026-11-01')",
    "INSERT INTO answers (audit_id, question_id, value, comment, source, answered_by, "
    "answered_at) VALUES "
    "(1, 'nda.nda_before_access', '\"yes\"', 'signed', 'vendor', 'Vendor Person', :at), "
    "(1, 'nda.use_restriction', '\"yes\"', NULL, 'auditor', 'Auditor', :at), "
    "(1, 'nda.staff_confidentiality', '\"partial\"', NULL, 'probe', NULL, :at)",
]
ANSWER_COLUMNS = ("question_id", "value", "comment", "source", "answered_by")


def _migrate(url: str, revision: str) -> None:
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def _answers(url: str) -> list[tuple[object, ...]]:
    rows = table(
        "answers", *(column(c, JSON) if c == "value" else column(c) for c in ANSWER_COLUMNS)
    )
    engine = create_engine(url)
    with engine.connect() as conn:
        query = select(*(rows.c[c] for c in ANSWER_COLUMNS)).order_by(rows.c.question_id)
        got = [tuple(r) for r in conn.execute(query)]
    engine.dispose()
    return got


def test_answers_written_at_0004_keep_their_values_and_are_known_by_source(
    db: str, tmp_path: Path
) -> None:
    url = resolve_url(db)
    _migrate(url, "0004_audit_scores")
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in ROWS_0004:
            conn.execute(text(statement), {"at": dt.datetime(2026, 10, 1, tzinfo=dt.UTC)})
    engine.dispose()
    before = _answers(url)

    _migrate(url, "head")

    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert conn.execute(text("SELECT count(*) FROM answers WHERE verification IS NULL")).scalar() == 3  # fmt: skip
    engine.dispose()
    assert _answers(url) == before

    ak = Cli(db, tmp_path)
    shown = ak.json("audit", "show", "1")
    assert [a.get("verification") for a in shown["answers"]] == [None, None, None]
    assert shown["knowledge"] == {
        "nda.nda_before_access": "self_attested",  # the vendor's word
        "nda.use_restriction": "verified",  # recorded by the auditor
        "nda.staff_confidentiality": "measured",  # recorded by a probe
    }
    scored = ak.json("audit", "score", "1")
    nda = next(d for d in scored["domains"] if d["id"] == "nda")
    knockout = next(q for q in nda["questions"] if q["id"] == "nda.nda_before_access")
    assert (knockout["status"], knockout["score"]) == ("partial", 0.5)  # needs support to pass

    ak.ok("audit", "verify-answer", "1", "nda.nda_before_access", "--how", "interview")
    shown = ak.json("audit", "show", "1")
    assert shown["knowledge"]["nda.nda_before_access"] == "verified"
    assert _answers(url) == before  # the value, comment and source are untouched
    close(db)
