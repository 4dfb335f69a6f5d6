"""`audit score` on a SQLite file runs the audit's compiled, cached read statements through
`sqlite3` when scoring writes nothing: it prints byte for byte what the SQLAlchemy path prints,
a warm run imports no SQLAlchemy, and anything that must be written (findings to open, carry or
close; a draft to pin), a stale or forged cache or an older database goes through SQLAlchemy."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from auditkit import Workspace
from auditkit.storage import audit_shapes, read_cache, revision
from auditkit.storage.db import close
from auditkit.storage.schema import metadata
from tests import test_fast_listings
from tests.builders import AS_OF, checklist, make_vendor, question
from tests.test_fast_listings import _rewrite, invoke
from tests.test_listing_queries import _modules

pytestmark = pytest.mark.sqlite_only
through_sqlalchemy = test_fast_listings.through_sqlalchemy  # every statement SQLAlchemy runs

VARIANTS = [(), ("--json",)]


def check_same(
    db: str, cache: Path, seen: list[str], audit_id: int, *options: str, lang: str = "en"
) -> tuple[int, bytes, bytes]:
    """`audit score` prints the same with the cache off, cold and warm (text and JSON), and
    the warm run runs no statement through SQLAlchemy."""
    args = ("--lang", lang, "audit", "score", str(audit_id), *options)
    plain = invoke(db, "off", *args)
    assert invoke(db, cache, *args) == plain  # cold: through SQLAlchemy, then compiled
    seen.clear()
    assert invoke(db, cache, *args) == plain
    assert seen == [], f"audit score {audit_id} ran {seen[:1]} through SQLAlchemy"
    return plain


@pytest.mark.parametrize("options", VARIANTS, ids=["text", "json"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_demo_audit_scores_the_same_both_ways(
    demo_file: Path,
    tmp_path: Path,
    through_sqlalchemy: list[str],
    options: tuple[str, ...],
    lang: str,
) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    for audit_id in (1, 2, 3, 4):  # two final audits, two drafts; Japanese vendor names
        code, out, _ = check_same(str(db), tmp_path / "cache", through_sqlalchemy, audit_id,
                                  *options, lang=lang)  # fmt: skip
        assert code == 0 and out


# --- a user's checklists: evidence, verified answers, a checklist changed after pinning ----


def _write(folder: Path, version: str, title: str) -> None:
    questions = [
        question("zz.policy", type="evidence", evidence={"kinds": ["policy"]}),
        question("zz.mfa", type="yes_no", severity="high"),
        question("zz.backup", type="yes_no_partial"),
        question("zz.patch", type="yes_no"),
    ]
    made = checklist("zz", questions, version=version, title={"en": title, "ja": "設定"})
    data = made.model_dump(mode="json", by_alias=True, exclude_none=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / "zz.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def answered(tmp_path: Path) -> tuple[str, Path, int]:
    """A draft with evidence, a verified answer and a partial one (its findings refreshed),
    over a checklist in a user directory; and that directory."""
    folder = tmp_path / "checklists"
    folder.mkdir()
    _write(folder, "1.0.0", "Zeta controls")
    db = str(tmp_path / "audit.db")
    policy = tmp_path / "方針.pdf"
    policy.write_bytes(b"%PDF-1.4 policy")
    with Workspace(db=db, checklist_dirs=[folder], actor="山田") as ws:
        ws.vendors.add(make_vendor(name="Zoë 株式会社 🚀"))
        audit = ws.audits.start("Zoë 株式会社 🚀", as_of=AS_OF)
        ws.audits.answer(audit, "zz.mfa", "yes", comment="確認済み")
        ws.audits.verify_answer(audit, "zz.mfa", "demo", "画面で確認")
        ws.audits.answer(audit, "zz.backup", "partial")
        ws.audits.answer(audit, "zz.patch", "no")
        ws.audits.attach_evidence(audit, "zz.policy", policy, "policy", note="第2版")
        ws.audits.refresh_findings(audit)
    close(db)
    return db, folder, audit.id


@pytest.mark.parametrize("options", VARIANTS, ids=["text", "json"])
def test_evidence_and_verified_answers_score_the_same_both_ways(
    answered: tuple[str, Path, int],
    tmp_path: Path,
    through_sqlalchemy: list[str],
    options: tuple[str, ...],
) -> None:
    db, folder, audit_id = answered
    args = ("--checklists", str(folder), "--lang", "ja", "audit", "score", str(audit_id))
    plain = invoke(db, "off", *args, *options)
    assert plain[0] == 0
    assert invoke(db, tmp_path / "cache", *args, *options) == plain
    through_sqlalchemy.clear()
    assert invoke(db, tmp_path / "cache", *args, *options) == plain
    assert through_sqlalchemy == []


def test_a_checklist_changed_after_pinning_scores_the_same_both_ways(
    answered: tuple[str, Path, int], tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    db, folder, audit_id = answered
    base = ("--checklists", str(folder), "audit", "score", str(audit_id))
    invoke(db, tmp_path / "cache", *base)  # warm
    _write(folder, "1.0.0", "Zeta controls, edited")  # the same version, other content: refused
    refused = invoke(db, "off", *base)
    assert refused[0] != 0 and b"zz" in refused[2]
    through_sqlalchemy.clear()
    assert invoke(db, tmp_path / "cache", *base) == refused
    assert through_sqlalchemy == []
    _write(folder, "2.0.0", "Zeta controls, edited")  # a newer version: the pinned one is read
    for options in VARIANTS:
        plain = invoke(db, "off", *base, *options)
        assert plain[0] == 0
        through_sqlalchemy.clear()
        assert invoke(db, tmp_path / "cache", *base, *options) == plain
        assert through_sqlalchemy == []


def test_findings_to_write_go_through_sqlalchemy_and_are_written(
    answered: tuple[str, Path, int], tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    db, folder, audit_id = answered
    cache = tmp_path / "cache"
    base = ("--checklists", str(folder))
    invoke(db, cache, *base, "audit", "score", str(audit_id))  # warm
    invoke(db, cache, *base, "audit", "answer", str(audit_id), "zz.patch", "yes")
    before = invoke(db, cache, *base, "findings", "list", "--json")
    through_sqlalchemy.clear()
    scored = invoke(db, cache, *base, "audit", "score", str(audit_id))
    assert scored[0] == 0
    assert any(s.lstrip().upper().startswith("UPDATE") for s in through_sqlalchemy)
    after = json.loads(invoke(db, cache, *base, "findings", "list", "--json")[1])
    assert after != json.loads(before[1])
    assert {f["question_id"]: f["status"] for f in after}["zz.patch"] == "remediated"
    through_sqlalchemy.clear()  # now up to date: read-only again
    assert invoke(db, cache, *base, "audit", "score", str(audit_id)) == scored
    assert through_sqlalchemy == []


def test_score_of_a_draft_started_before_pinning_pins_it_through_sqlalchemy(
    answered: tuple[str, Path, int], tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    db, folder, audit_id = answered  # the workspace uses the test's cache directory
    with Workspace(db=db, checklist_dirs=[folder]) as ws:
        ws.audits.score(audit_id)
    with sqlite3.connect(db) as conn:  # as a draft started before contents were pinned
        conn.execute("UPDATE audits SET checklist_hashes = NULL WHERE id = ?", (audit_id,))
    through_sqlalchemy.clear()
    with Workspace(db=db, checklist_dirs=[folder]) as ws:
        first = ws.audits.score(audit_id)
    assert any("checklist_hashes" in s for s in through_sqlalchemy if "UPDATE" in s.upper())
    through_sqlalchemy.clear()
    again = Workspace(db=db, checklist_dirs=[folder]).audits.score(audit_id)  # not opened
    assert through_sqlalchemy == [] and again.result == first.result


# --- errors ---------------------------------------------------------------------------------


def test_an_unknown_audit_is_the_same_error_both_ways(
    demo_file: Path, tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    invoke(str(db), tmp_path / "cache", "audit", "score", "3")  # warm
    for options in VARIANTS:
        plain = invoke(str(db), "off", "audit", "score", "999", *options)
        assert plain[0] != 0 and b"999" in plain[2]
        through_sqlalchemy.clear()
        assert invoke(str(db), tmp_path / "cache", "audit", "score", "999", *options) == plain
        assert through_sqlalchemy == []


def test_files_that_are_no_database_fail_the_same_way(demo_file: Path, tmp_path: Path) -> None:
    good = tmp_path / "demo.db"
    shutil.copy(demo_file, good)
    invoke(str(good), tmp_path / "cache", "audit", "score", "1")  # cached
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    for db in (garbage, folder):
        plain = invoke(str(db), "off", "audit", "score", "1")
        assert plain[0] != 0
        assert invoke(str(db), tmp_path / "cache", "audit", "score", "1") == plain


# --- no SQLAlchemy on a warm cache; stale caches, older databases ---------------------------


@pytest.mark.slow
def test_a_warm_score_imports_no_sqlalchemy(demo_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    assert "sqlalchemy" in _modules(tmp_path, "--db", str(db), "audit", "score", "2")  # cold
    for audit_id in ("2", "3"):  # final, draft
        for options in VARIANTS:
            warm = _modules(tmp_path, "--db", str(db), "audit", "score", audit_id, *options)
            loaded = sorted(
                m for m in warm if m.split(".")[0] in ("sqlalchemy", "asyncio", "alembic")
            )
            assert loaded == [], f"audit score {audit_id} loaded {loaded[:5]}"
            assert "auditkit.storage.sqlite_reads" in warm


def _reverse_answers(data: dict[str, object]) -> None:
    entry = data["statements"]["answers/audit"]  # type: ignore[index]
    entry["sql"] = entry["sql"].replace("ORDER BY answers.id", "ORDER BY answers.id DESC")


def _other_key(data: dict[str, object]) -> None:
    data["key"] = "0" * 64


@pytest.mark.parametrize(
    ("change", "sign"), [(_reverse_answers, False), (_other_key, True)], ids=["forged", "stale"]
)
def test_a_forged_or_stale_cache_is_not_used(
    demo_file: Path, tmp_path: Path, through_sqlalchemy: list[str], change: object, sign: bool
) -> None:
    db = str(tmp_path / "demo.db")
    shutil.copy(demo_file, db)
    cache = tmp_path / "cache"
    invoke(db, cache, "audit", "score", "3", "--json")
    plain = invoke(db, "off", "audit", "score", "3", "--json")
    _rewrite(cache / str(read_cache.file_name()), change, sign)  # type: ignore[arg-type]
    through_sqlalchemy.clear()
    assert invoke(db, cache, "audit", "score", "3", "--json") == plain
    assert through_sqlalchemy != []


def test_an_older_database_goes_through_migration(
    demo_file: Path, tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    from tests.test_migration import _migrate_to

    cache = tmp_path / "cache"
    warm = tmp_path / "demo.db"
    shutil.copy(demo_file, warm)
    invoke(str(warm), cache, "audit", "score", "3")
    old = tmp_path / "old.db"
    _migrate_to(f"sqlite:///{old}", "0005_answer_knowledge")
    close(f"sqlite:///{old}")
    through_sqlalchemy.clear()
    missing = invoke(str(old), cache, "audit", "score", "1")
    assert missing[0] != 0 and through_sqlalchemy != []  # migrated, then not found
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (revision.HEAD,)
        ]
    invoke(str(old), cache, "vendor", "add", "Zeta")
    invoke(str(old), cache, "audit", "start", "Zeta")
    check_same(str(old), cache, through_sqlalchemy, 1)


def test_the_read_columns_are_the_tables_columns() -> None:
    """Every column the models are built from is read (a new column must be added here)."""
    tables = {name: [c.name for c in table.c] for name, table in metadata.tables.items()}
    assert tuple(tables["audits"]) == audit_shapes.AUDIT_COLUMNS
    vendor = tuple(k for k in tables["vendors"] if k != "created_at")
    assert vendor == audit_shapes.VENDOR_COLUMNS
    answer = tuple(k for k in tables["answers"] if k not in ("id", "audit_id"))
    assert answer == audit_shapes.ANSWER_COLUMNS
    finding = tuple(k for k in tables["findings"] if not k.endswith("_at"))
    assert finding == audit_shapes.FINDING_COLUMNS
