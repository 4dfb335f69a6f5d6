"""Real SQLite files: migrations, crash safety, resume, corrupt and read-only databases."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from auditkit.models.checklist import Checklist
from auditkit.services import audits, interview
from auditkit.storage import change_log
from auditkit.storage.db import transaction
from auditkit.storage.engine import HEAD, MIGRATIONS

ROOT = Path(__file__).resolve().parents[1]


def test_head_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


@pytest.mark.sqlite_only
def test_new_database_gets_wal_and_foreign_keys(db: str, new_audit: Callable[..., int]) -> None:
    new_audit()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    with transaction(db) as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def valid_reply(shown: str) -> str:
    """A valid answer to whatever question the interview just showed."""
    if "YYYY-MM-DD" in shown:
        return "2026-10-01"
    return "1"  # the first choice by its number, or the number 1, or the text "1"


def test_ctrl_c_in_interview_keeps_answers_and_resumes(
    db: str, new_audit: Callable[..., int], checklists: dict[str, Checklist]
) -> None:
    audit_id = new_audit()
    shown: list[str] = []
    comments = iter(["first", "", "third"])

    def ask(prompt: str) -> str:
        if prompt.startswith("comment"):
            return next(comments)
        if len([s for s in shown if s.startswith("[")]) > 3:
            raise KeyboardInterrupt  # Ctrl-C at the fourth question
        return valid_reply(shown[-1])

    with pytest.raises(KeyboardInterrupt):
        interview.run(db, audit_id, checklists, "tester", ask, shown.append)
    state = audits.state(db, audit_id, checklists)
    assert len(state.answers) == 3
    first_ids = list(state.answers)
    assert [a.comment for a in state.answers.values()] == ["first", None, "third"]

    seen: list[str] = []
    interview.run(
        db, audit_id, checklists, "tester", lambda p: (_ for _ in ()).throw(EOFError), seen.append
    )
    assert "[4/" in seen[0] and not any(f"— {qid}\n" in seen[0] for qid in first_ids)


KILL_MID_TRANSACTION = textwrap.dedent("""
    import os, sys
    from auditkit.checklists import load_directories
    from auditkit.models.audit import Answer
    from auditkit.services import audits
    from auditkit.storage.db import transaction
    from auditkit.storage import repository as repo
    db, audit_id = sys.argv[1], int(sys.argv[2])
    checklists = load_directories()
    with transaction(db) as conn:
        state = audits.load(conn, audit_id, checklists)
        ids = [q.id for c in state.checklists for q in c.questions]
        repo.save_answers(conn, state.audit, [Answer(question_id=i, value="n/a") for i in ids], "x")
        os.kill(os.getpid(), 9)
""")


@pytest.mark.sqlite_only
def test_process_killed_mid_transaction_leaves_database_intact(
    db: str, new_audit: Callable[..., int], checklists: dict[str, Checklist]
) -> None:
    audit_id = new_audit()
    audits.answer(db, audit_id, "ssl_tls.min_version", "tls12_min", checklists, "tester")
    done = subprocess.run(
        [sys.executable, "-c", KILL_MID_TRANSACTION, db, str(audit_id)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == -9, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    state = audits.state(db, audit_id, checklists)
    assert {k: a.value for k, a in state.answers.items()} == {"ssl_tls.min_version": "tls12_min"}


def test_killed_interview_process_resumes(
    db: str, new_audit: Callable[..., int], checklists: dict[str, Checklist]
) -> None:
    audit_id = new_audit()
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditkit", "--db", db, "audit", "interview", str(audit_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin and proc.stdout
    first = proc.stdout.readline() + proc.stdout.readline() + proc.stdout.readline()
    proc.stdin.write(f"{valid_reply(first)}\nsaved before the kill\n")
    proc.stdin.flush()
    for line in proc.stdout:  # wait until the second question is shown: the first is committed
        if "[2/" in line:
            break
    proc.kill()
    proc.wait()
    state = audits.state(db, audit_id, checklists)
    assert [a.comment for a in state.answers.values()] == ["saved before the kill"]


def test_corrupt_database_file(run: Callable[..., Result], tmp_path: Path) -> None:
    bad = tmp_path / "corrupt.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = run("vendor", "list", db_url=str(bad))
    assert result.exit_code == 6
    assert result.output == f"error: {bad}: not an auditkit database, or the file is corrupt\n"


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_refuses_writes(run: Callable[..., Result], db: str) -> None:
    run("vendor", "add", "First")
    os.chmod(db, 0o444)
    result = run("vendor", "add", "Second")
    assert result.exit_code == 6
    assert "read-only" in result.output


@pytest.mark.sqlite_only
def test_read_only_database_via_uri(run: Callable[..., Result], db: str) -> None:
    """Works as root too: SQLite's own read-only mode."""
    run("vendor", "add", "First")
    result = run("vendor", "add", "Second", db_url=f"sqlite:///file:{db}?mode=ro&uri=true")
    assert result.exit_code == 6
    assert result.output.endswith("the database is read-only\n")
    assert result.output.count("\n") == 1


def test_change_log_is_append_only(
    db: str, new_audit: Callable[..., int], checklists: dict[str, Checklist]
) -> None:
    audit_id = new_audit()
    audits.answer(db, audit_id, "ssl_tls.hsts", "hsts_long", checklists, "alice")
    audits.answer(db, audit_id, "ssl_tls.hsts", "http_served", checklists, "bob")
    audits.answer(
        db, audit_id, "ssl_tls.hsts", "http_served", checklists, "bob"
    )  # no change, no entry
    with transaction(db) as conn:
        entries = [c for c in change_log.list_changes(conn, audit_id) if c.entity == "answer"]
    assert [(c.actor, (c.old or {}).get("value"), c.new["value"]) for c in entries] == [  # type: ignore[index]
        ("alice", None, "hsts_long"),
        ("bob", "hsts_long", "http_served"),
    ]


@pytest.mark.sqlite_only
def test_migrations_build_exactly_the_declared_schema(
    db: str, new_audit: Callable[..., int]
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from auditkit.storage.schema import metadata

    new_audit()
    with create_engine(f"sqlite:///{db}").connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_unusable_url_never_shows_the_password(run: Callable[..., Result]) -> None:
    result = run("vendor", "list", db_url="postgresql+nosuchdriver://admin:S3cretPW@db.example/x")
    assert result.exit_code == 6
    assert "S3cretPW" not in result.output
    assert result.output.startswith("error: cannot use database db.example/x: ")


def test_storage_error_inside_a_command_never_shows_the_password(
    run: Callable[..., Result], db: str
) -> None:
    from sqlalchemy import create_engine, text

    from auditkit.storage.engine import display_name, resolve_url

    run("vendor", "add", "Acme")
    raw = create_engine(resolve_url(db))
    with raw.begin() as conn:
        conn.execute(text("DROP TABLE findings"))
    raw.dispose()
    result = run("findings", "list")
    assert result.exit_code == 6
    assert raw.url.password is None or f":{raw.url.password}@" not in result.output
    assert result.output.startswith(f"error: {display_name(db)}: ")
    assert "findings" in result.output


@pytest.mark.sqlite_only
def test_another_applications_database_is_left_alone(run: Callable[..., Result], db: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER)")
    result = run("vendor", "list")
    assert (result.exit_code, result.output) == (
        6,
        f"error: {db}: not an auditkit database (it holds other tables: orders); "
        "give a new file or an empty database\n",
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("orders",)]
