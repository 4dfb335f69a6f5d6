"""The hash-chained change log: `log verify`, the database's refusal to rewrite it, tampering
found after the guard is removed, concurrent writers, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from auditkit.storage import chain, change_log
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction
from auditkit.storage.engine import resolve_url


@pytest.fixture
def raw(db: str) -> Iterator[Engine]:
    """Plain SQL on the test database, outside auditkit (as an intruder would have it)."""
    engine = create_engine(resolve_url(db))
    yield engine
    engine.dispose()


def workflow(run: Callable[..., Result], tmp_path: Path) -> None:
    """Vendors, an audit answered, evidence attached, scored and finalized, a second audit."""
    steps = [
        ("vendor", "add", "Sakura Commerce KK", "--card-data", "--criticality", "high"),
        ("vendor", "add", "Kaede Logistics", "--personal-data", "low"),
        ("vendor", "edit", "2", "--criticality", "low"),
        ("audit", "start", "1", "--as-of", "2026-11-01"),
        ("audit", "answer", "1", "ssl_tls.min_version", "tls12_min"),
        ("audit", "answer", "1", "ssl_tls.hsts", "hsts_long"),
        ("audit", "answer", "1", "ssl_tls.hsts", "http_served", "--comment", "東京"),
        ("audit", "evidence", "1", "ssl_tls.min_version", str(tmp_path / "soc2.txt")),
        ("audit", "score", "1"),
        (
            "audit",
            "finalize",
            "1",
            "--reviewer",
            "carol",
            "--approver",
            "dave",
            "--accept-unanswered",
            "partial scope",
        ),
        ("audit", "start", "2", "--as-of", "2026-11-02"),
        ("findings", "update", "1", "--owner", "Ren"),
    ]
    (tmp_path / "soc2.txt").write_text("SOC 2 type II\n")
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)


def entry_count(db: str) -> int:
    with transaction(db) as conn:
        return repo.count(conn, "changes")


def drop_guard(raw: Engine) -> None:
    with raw.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER changes_append_only ON changes"))
        else:
            conn.execute(text("DROP TRIGGER changes_no_update"))
            conn.execute(text("DROP TRIGGER changes_no_delete"))


def test_verify_reports_an_intact_chain(
    run: Callable[..., Result], db: str, tmp_path: Path
) -> None:
    workflow(run, tmp_path)
    count = entry_count(db)
    assert count >= 15
    result = run("log", "verify")
    assert (result.exit_code, result.output) == (0, f"{count} entries, chain intact\n")
    data = json.loads(run("log", "verify", "--json").output)
    with transaction(db) as conn:
        log = chain.entries(conn)
    assert data == {"entries": count, "head": log[-1].hash, "intact": True, "problems": []}


def test_empty_database_has_an_empty_intact_chain(run: Callable[..., Result]) -> None:
    result = run("log", "verify")
    assert (result.exit_code, result.output) == (0, "0 entries, chain intact\n")


def test_each_entry_carries_the_hash_of_the_one_before(
    run: Callable[..., Result], db: str, tmp_path: Path
) -> None:
    workflow(run, tmp_path)
    with transaction(db) as conn:
        log = chain.entries(conn)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert [e.prev_hash for e in log] == [chain.GENESIS] + [e.hash for e in log[:-1]]
    assert all(chain.recompute(e) == e.hash for e in log)
    assert len({e.hash for e in log}) == len(log)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE changes SET actor = 'mallory'",
        "UPDATE changes SET new = NULL WHERE seq = 2",
        "DELETE FROM changes WHERE seq = 1",
        "DELETE FROM changes",
    ],
)
def test_database_refuses_to_rewrite_the_log(
    run: Callable[..., Result], db: str, raw: Engine, tmp_path: Path, statement: str
) -> None:
    workflow(run, tmp_path)
    before = entry_count(db)
    with pytest.raises(DBAPIError, match="the change log is append-only"), raw.begin() as conn:
        conn.execute(text(statement))
    assert entry_count(db) == before
    assert run("log", "verify").exit_code == 0


def test_postgresql_refuses_truncate(run: Callable[..., Result], db: str, raw: Engine) -> None:
    if raw.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE trigger covers it there")
    run("vendor", "add", "Acme")
    with pytest.raises(DBAPIError, match="append-only: TRUNCATE refused"), raw.begin() as conn:
        conn.execute(text("TRUNCATE changes"))
    assert run("log", "verify").output == "1 entry, chain intact\n"


def rehash_entry(raw: Engine, seq: int, **fields: object) -> None:
    """Rewrite an entry and give it a hash that matches its new content."""
    with raw.begin() as conn:
        entry = next(e for e in chain.entries(conn) if e.seq == seq)
        forged = replace(entry, **fields)  # type: ignore[arg-type]
        conn.execute(
            text("UPDATE changes SET actor = :actor, hash = :hash WHERE seq = :seq"),
            {"actor": forged.actor, "hash": chain.recompute(forged), "seq": seq},
        )


TAMPERING: dict[str, tuple[list[str], str]] = {
    "entry edited": (
        ["UPDATE changes SET actor = 'mallory' WHERE seq = 6"],
        "mallory, answer ssl_tls.hsts of audit 1, answer) was changed after it was written",
    ),
    "entry deleted": (
        ["DELETE FROM changes WHERE seq = 4"],
        "entry 4 missing from the change log (the next one kept is entry 5)",
    ),
    "first entries deleted": (
        ["DELETE FROM changes WHERE seq <= 3"],
        "entries 1-3 missing from the change log (the next one kept is entry 4)",
    ),
    "answer edited in its table": (
        ["UPDATE answers SET comment = 'all fine' WHERE question_id = 'ssl_tls.hsts'"],
        "answer ssl_tls.hsts of audit 1: stored comment differs from its last logged value",
    ),
    "final audit set back to draft": (
        ["UPDATE audits SET status = 'draft' WHERE id = 1"],
        "audit 1: status is 'draft' but its last logged value is 'final' (entry ",
    ),
    "approver replaced": (
        ["UPDATE audits SET approver = 'eve' WHERE id = 1"],
        "audit 1: approver is 'eve' but its last logged value is 'dave'",
    ),
    "vendor profile edited": (
        ["UPDATE vendors SET criticality = 'high' WHERE id = 2"],
        "vendor 2: criticality is 'high' but its last logged value is 'low'",
    ),
    "card data denied on a vendor never edited": (
        ["UPDATE vendors SET handles_card_data = false WHERE id = 1"],
        "vendor 1: handles_card_data is False but its last logged value is True (entry 1, ",
    ),
    "logged answer replaced by a bare string": (
        ["UPDATE changes SET new = '\"yes\"' WHERE seq = 7"],
        "answer ssl_tls.hsts of audit 1: stored value, comment, source, evidence differs",
    ),
    "finding deleted": (
        ["DELETE FROM findings WHERE id = 1"],
        "finding 1 is in the change log (entry ",
    ),
    "evidence link details edited in their table": (
        [
            "UPDATE evidence_links SET kind = 'soc2_report' WHERE question_id = 'ssl_tls.min_version'"
        ],
        "answer ssl_tls.min_version of audit 1: stored evidence differs from its last logged value",
    ),
    "answer added without the log": (
        [
            "INSERT INTO answers (audit_id, question_id, value, source, answered_at) "
            "VALUES (2, 'ssl_tls.hsts', '\"hsts_long\"', 'auditor', '2026-11-02 10:00:00')"
        ],
        "answer ssl_tls.hsts of audit 2 is in the database but not in the change log",
    ),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_verify_finds_tampering(
    run: Callable[..., Result], db: str, raw: Engine, tmp_path: Path, case: str
) -> None:
    workflow(run, tmp_path)
    drop_guard(raw)
    statements, expected = TAMPERING[case]
    with raw.begin() as conn:
        for statement in statements:
            assert conn.execute(text(statement)).rowcount == 1 or "<=" in statement
    result = run("log", "verify")
    assert result.exit_code == 7, result.output
    assert expected in result.output
    assert all(line.startswith("error: ") for line in result.output.splitlines())


def test_entry_rewritten_with_a_matching_hash_breaks_the_next_link(
    run: Callable[..., Result], raw: Engine, tmp_path: Path
) -> None:
    workflow(run, tmp_path)
    drop_guard(raw)
    rehash_entry(raw, 5, actor="mallory")
    result = run("log", "verify")
    assert result.exit_code == 7
    assert result.output.startswith("error: broken link at entry 6 (")
    assert "it does not follow entry 5" in result.output


def test_newest_entry_removed_shows_as_data_that_disagrees(
    run: Callable[..., Result], raw: Engine, db: str
) -> None:
    """Cutting the end off the chain leaves no gap, but the data it logged no longer agrees."""
    run("vendor", "add", "Acme")
    run("audit", "start", "Acme", "--as-of", "2026-11-01")
    run("audit", "answer", "1", "ssl_tls.hsts", "hsts_long")
    run("audit", "answer", "1", "ssl_tls.hsts", "http_served")
    drop_guard(raw)
    with raw.begin() as conn:
        conn.execute(text(f"DELETE FROM changes WHERE seq = {entry_count(db)}"))
    data = json.loads(run("log", "verify", "--json").output)
    assert data["intact"] is False
    [problem] = data["problems"]
    assert problem.startswith(
        "answer ssl_tls.hsts of audit 1: stored value differs from its last logged value "
        f"(entry {data['entries']}, "
    )
    assert run("log", "verify", "--json").exit_code == 7
    said = run("--lang", "ja", "log", "verify")
    assert said.exit_code == 7
    assert said.output.startswith(
        "エラー: 評価 1 の質問 ssl_tls.hsts への回答: 保存されている value が最後に記録された値"
        f"(変更履歴 {data['entries']}、"
    )


def test_concurrent_writers_never_fork_the_chain(db: str) -> None:
    """Each transaction appends as its first statement, so only the chain lock orders them."""
    with transaction(db):
        pass  # create and migrate the database before the threads start
    threads, per_thread = 4, 15
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with transaction(db) as conn:
                    change_log.log(conn, f"writer{number}", "note", f"{number}.{i}", "n", None, i)
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with transaction(db) as conn:
        log = chain.entries(conn)
    assert [e.seq for e in log] == list(range(1, threads * per_thread + 1))
    assert [e.prev_hash for e in log[1:]] == [e.hash for e in log[:-1]]
    assert {e.actor for e in log} == {f"writer{n}" for n in range(threads)}


def test_noted_head_catches_entries_cut_from_the_end(
    run: Callable[..., Result], raw: Engine
) -> None:
    """The end of the log cut off and the data put back as it was: the chain that is left is
    intact, and only a head noted earlier tells."""
    run("vendor", "add", "Acme")
    run("vendor", "edit", "Acme", "--criticality", "low")
    noted = json.loads(run("log", "verify", "--json").output)["head"]
    assert run("log", "verify", "--head", noted.upper()).output == "2 entries, chain intact\n"
    drop_guard(raw)
    with raw.begin() as conn:
        conn.execute(text("DELETE FROM changes WHERE seq = 2"))
        conn.execute(text("UPDATE vendors SET criticality = 'medium'"))
    assert run("log", "verify").output == "1 entry, chain intact\n"
    result = run("log", "verify", "--head", noted)
    assert result.exit_code == 7
    assert result.output == (
        f"error: the head noted earlier ({noted}) is not in the change log: "
        "entries were removed from its end, or the log was rewritten\n"
    )


def test_head_must_be_a_sha256(run: Callable[..., Result]) -> None:
    result = run("log", "verify", "--head", "abc")
    assert result.exit_code == 2
    assert "give the 64-hex-digit head from 'log verify --json'" in result.output


def test_workspace_verifies_the_log(db: str, raw: Engine) -> None:
    from auditkit import Workspace
    from tests.builders import make_vendor

    with Workspace(db=db, actor="tester") as ws:
        ws.vendors.add(make_vendor())
        intact = ws.verify_log()
        assert (intact.ok, intact.entries, intact.problems) == (True, 1, [])
        assert ws.verify_log(head=intact.head).ok
        with raw.begin() as conn:
            conn.execute(text("UPDATE vendors SET criticality = 'low'"))
        [problem] = ws.verify_log().problems
        assert problem.startswith(
            "vendor 1: criticality is 'low' but its last logged value is 'high' (entry 1, "
        )
