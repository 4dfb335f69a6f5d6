"""Listings on a SQLite file run their compiled, cached statements through `sqlite3`: the output
is byte for byte what the SQLAlchemy path prints, a warm listing imports no SQLAlchemy, and a
cache that is stale, edited or damaged, or a database at another schema revision, is never
read through it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, insert
from sqlalchemy.engine import Engine

from auditkit import cache_entries
from auditkit.cli.main import cli
from auditkit.models.audit import AuditStatus, FinalScore, Finding, FindingStatus, Severity
from auditkit.models.vendor import Service, Vendor, VendorProfile
from auditkit.storage import findings as finding_store
from auditkit.storage import read_cache, revision, scores
from auditkit.storage import repository as repo
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import close, transaction
from auditkit.storage.schema import evidence, evidence_links
from tests.test_listing_queries import _modules

pytestmark = pytest.mark.sqlite_only

TODAY = "2026-11-29"
LISTINGS: list[tuple[str, ...]] = [
    ("vendor", "list"),
    ("vendor", "list", "--limit", "2", "--offset", "1"),
    ("vendor", "list", "--offset", "3"),
    ("audit", "list"),
    ("audit", "list", "--vendor", "1"),
    ("audit", "list", "--limit", "3"),
    ("findings", "list"),
    ("findings", "list", "--open"),
    ("findings", "list", "--audit", "2", "--offset", "1"),
    ("findings", "list", "--vendor", "1", "--open", "--limit", "2"),
    ("due", "--today", TODAY),
    ("due", "--today", "2024-02-29", "--soon", "400", "--limit", "3", "--offset", "1"),
]


@pytest.fixture
def through_sqlalchemy() -> Iterator[list[str]]:
    """Every statement any SQLAlchemy engine runs while the test does (cleared at will)."""
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


def invoke(db: str, cache: Path | str, *args: str) -> tuple[int, bytes, bytes]:
    result = CliRunner().invoke(cli, ["--db", db, *args], env={"AUDITKIT_CACHE_DIR": str(cache)})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


def check_same(db: str, cache: Path, seen: list[str], args: tuple[str, ...]) -> None:
    """`args` prints the same through SQLAlchemy (cache off), on a cold cache and on a warm
    one, and the warm run runs no statement through SQLAlchemy."""
    plain = invoke(db, "off", *args)
    assert plain[0] == 0, plain
    assert invoke(db, cache, *args) == plain  # cold: through SQLAlchemy, then compiled
    seen.clear()
    assert invoke(db, cache, *args) == plain
    assert seen == [], f"{' '.join(args)} ran {seen[:1]} through SQLAlchemy"


# --- the same output ------------------------------------------------------------------------

NAMES = st.sampled_from(
    ["Zeta", "alpha", "Émile", "さくら物流", "Ångström", "O'Brien & Co", "株式会社みなと", "Zoë 🚀"]
)
DAYS = st.one_of(
    st.sampled_from([dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2025, 1, 31)]),
    st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31)),
)
PROFILES = st.builds(
    VendorProfile,
    handles_card_data=st.booleans(),
    personal_data=st.sampled_from(["none", "low", "medium", "high"]),
    system_access=st.sampled_from(["none", "limited", "privileged"]),
    criticality=st.sampled_from(["low", "medium", "high"]),
)
SCORES = st.tuples(
    st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
    st.sampled_from(["low", "medium", "high", "critical"]),
    st.sampled_from(["approve", "conditional", "reject"]),
)
FINDINGS = st.lists(
    st.tuples(
        st.sampled_from(list(Severity)),
        st.sampled_from(list(FindingStatus)),
        st.one_of(st.none(), DAYS),
        st.one_of(st.none(), st.sampled_from(["担当者", "Ops team"])),
    ),
    max_size=2,
)
AUDITS = st.lists(
    st.tuples(DAYS, st.booleans(), SCORES, FINDINGS, st.lists(DAYS, max_size=2)), max_size=3
)
VENDORS = st.lists(
    st.tuples(
        NAMES,
        PROFILES,
        st.lists(st.sampled_from(list(Service)), max_size=2, unique=True),
        st.one_of(st.none(), st.sampled_from(["山田 太郎", "Ann"])),
        AUDITS,
    ),
    max_size=6,
)


def build(db: str, batch: list[Any]) -> None:
    """Vendors with audits (final ones with a stored result and evidence links that lapse on
    the dates given) and findings, written through the storage layer."""
    with transaction(db) as conn:
        for index, (name, profile, services, contact, audits) in enumerate(batch):
            vendor = Vendor(
                name=f"{name} {index}", profile=profile, services=services, contact_name=contact
            )
            vendor_id = vendor_store.add_vendor(conn, vendor, "t").id or 0
            for as_of, final, score, found, lapsing in audits:
                audit = repo.create_audit(conn, vendor_id, {"nda": "1.0.0"}, {}, as_of, "t")
                for number, (severity, status, due, owner) in enumerate(found):
                    finding = Finding(
                        vendor_id=vendor_id,
                        audit_id=audit.id,
                        question_id=f"nda.q{number}",
                        severity=severity,
                        status=status,
                        summary=f"finding «{number}»",
                        owner=owner,
                        due_date=due,
                    )
                    finding_store.add_finding(conn, finding, "t")
                if not final:
                    continue
                repo.set_audit_status(conn, audit, AuditStatus.FINAL, "t")
                scores.save(conn, FinalScore(audit.id, *score))
                for position, expires in enumerate(lapsing):
                    _link(conn, audit.id, position, expires)


def _link(conn: Any, audit_id: int, position: int, expires: dt.date) -> None:
    sha = hashlib.sha256(f"{audit_id}/{position}".encode()).hexdigest()
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    conn.execute(
        insert(evidence).values(sha256=sha, name="f.pdf", size=1, content=b"x", added_at=stamp)
    )
    conn.execute(
        insert(evidence_links).values(
            audit_id=audit_id,
            question_id=f"nda.q{position}",
            position=position,
            sha256=sha,
            name=f"証明書 {position}.pdf",
            kind="pci_aoc",
            expires=expires,
        )
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=VENDORS, listing=st.sampled_from(LISTINGS), as_json=st.booleans())
def test_compiled_listings_print_what_sqlalchemy_prints(
    tmp_path_factory: pytest.TempPathFactory,
    through_sqlalchemy: list[str],
    batch: list[Any],
    listing: tuple[str, ...],
    as_json: bool,
) -> None:
    folder = tmp_path_factory.mktemp("fast")
    db = str(folder / "audit.db")
    build(db, batch)
    args = (*listing, "--json") if as_json else listing
    plain = invoke(db, "off", *args)
    assume(plain[0] == 0)  # --vendor 1 / --audit 2 name what an empty batch lacks
    check_same(db, folder / "cache", through_sqlalchemy, args)
    close(db)


@pytest.mark.parametrize("listing", LISTINGS, ids=" ".join)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_every_listing_of_the_demo_is_the_same_both_ways(
    demo_file: Path,
    tmp_path: Path,
    through_sqlalchemy: list[str],
    listing: tuple[str, ...],
    as_json: bool,
) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    args = (*listing, "--json") if as_json else listing
    check_same(str(db), tmp_path / "cache", through_sqlalchemy, args)
    by_name = (
        "audit",
        "list",
        "--vendor",
        "Kumo Digital Studio LLC (合同会社クモデジタルスタジオ)",
    )
    check_same(str(db), tmp_path / "cache", through_sqlalchemy, by_name)


def test_an_empty_database_lists_nothing_both_ways(
    tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    db = str(tmp_path / "empty.db")
    invoke(db, "off", "vendor", "list")  # creates it
    for listing in [LISTINGS[0], LISTINGS[3], LISTINGS[6], LISTINGS[10]]:
        for args in (listing, (*listing, "--json")):
            check_same(db, tmp_path / "cache", through_sqlalchemy, args)


def test_an_unknown_vendor_is_the_same_error_both_ways(
    demo_file: Path, tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    for ref in ("1", "Nobody"):  # by id and by name: warms the cache (even when not found)
        invoke(str(db), tmp_path / "cache", "audit", "list", "--vendor", ref)
    for ref in ("Nobody", "999"):
        for listing in (("audit", "list"), ("findings", "list")):
            args = (*listing, "--vendor", ref)
            plain = invoke(str(db), "off", *args)
            assert plain[0] != 0
            through_sqlalchemy.clear()
            assert invoke(str(db), tmp_path / "cache", *args) == plain
            assert through_sqlalchemy == []


# --- errors: the same as before -------------------------------------------------------------


def test_files_that_are_no_database_fail_the_same_way(tmp_path: Path) -> None:
    good = str(tmp_path / "good.db")
    invoke(good, tmp_path / "cache", "vendor", "list")
    invoke(good, tmp_path / "cache", "vendor", "list")  # cached
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    empty_dir = tmp_path / "folder.db"
    empty_dir.mkdir()
    missing = tmp_path / "missing" / "new.db"
    for db in (garbage, empty_dir):
        assert invoke(str(db), tmp_path / "cache", "vendor", "list") == invoke(
            str(db), "off", "vendor", "list"
        )
        assert invoke(str(db), "off", "vendor", "list")[0] != 0
    created = invoke(str(missing), tmp_path / "cache", "vendor", "list")
    assert created[0] == 0 and missing.is_file()  # a missing file is made, as before


def test_a_listing_opens_the_file_read_only(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    build(str(db), [("Zeta", VendorProfile(), [], None, [])])
    close(str(db))
    invoke(str(db), tmp_path / "cache", "vendor", "list")
    before = db.stat().st_mtime_ns, db.read_bytes()
    db.chmod(0o444)
    assert invoke(str(db), tmp_path / "cache", "vendor", "list")[0] == 0
    assert (db.stat().st_mtime_ns, db.read_bytes()) == before


# --- no SQLAlchemy on a warm cache ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("listing", [LISTINGS[0], LISTINGS[4], LISTINGS[9], LISTINGS[10]])
def test_a_listing_with_a_warm_cache_imports_no_sqlalchemy(
    tmp_path: Path, listing: tuple[str, ...]
) -> None:
    db = str(tmp_path / "audit.db")
    build(db, [("Zeta", VendorProfile(), [], None, [(dt.date(2024, 2, 29), True, (80.0, "low",
          "approve"), [(Severity.HIGH, FindingStatus.OPEN, None, None)], [])])])  # fmt: skip
    close(db)
    assert "sqlalchemy" in _modules(tmp_path, "--db", db, *listing)  # compiles the statements
    _modules(tmp_path, "--db", db, *listing, "--json")  # audits' and findings' full rows too
    for args in (listing, (*listing, "--json")):
        warm = _modules(tmp_path, "--db", db, *args)
        loaded = sorted(m for m in warm if m.split(".")[0] in ("sqlalchemy", "asyncio", "alembic"))
        assert loaded == [], f"{' '.join(args)} loaded {loaded[:5]}"
        assert "auditkit.storage.sqlite_reads" in warm


# --- stale or damaged caches, older databases -----------------------------------------------


@pytest.fixture
def warm(tmp_path: Path) -> tuple[str, Path]:
    """A database with a vendor and a warm cache for `vendor list`."""
    db = str(tmp_path / "audit.db")
    build(db, [("Zeta", VendorProfile(), [], None, [(dt.date(2024, 2, 29), True, (80.0, "low",
          "approve"), [], [])])])  # fmt: skip
    invoke(db, tmp_path / "cache", "vendor", "list")
    assert (tmp_path / "cache" / str(read_cache.file_name())).is_file()
    return db, tmp_path / "cache" / str(read_cache.file_name())


def _rewrite(path: Path, change: Callable[[dict[str, Any]], None], sign: bool) -> None:
    """Change the cache file's data; `sign`: as our own code would write it (authentic)."""
    mac, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data)
    text = json.dumps(data)
    if sign:
        cache_entries.write(path, text)
    else:
        path.write_bytes(mac + b"\n" + text.encode("utf-8"))


def _reverse_order(data: dict[str, Any]) -> None:
    entry = data["statements"]["vendors"]
    entry["sql"] = entry["sql"].replace("ORDER BY vendors.id", "ORDER BY vendors.id DESC")


def _damage_params(data: dict[str, Any]) -> None:
    data["statements"]["vendors"]["params"] = [["value", [1, 2]], ["arg"]]


def _other_key(data: dict[str, Any]) -> None:
    data["key"] = hashlib.sha256(b"another auditkit version").hexdigest()


@pytest.mark.parametrize(
    ("change", "sign"),
    [(_reverse_order, False), (_damage_params, True), (_other_key, True)],
    ids=["edited entry", "damaged entry", "other key"],
)
def test_an_edited_damaged_or_foreign_cache_is_not_used(
    warm: tuple[str, Path],
    through_sqlalchemy: list[str],
    change: Callable[[dict[str, Any]], None],
    sign: bool,
) -> None:
    db, cache_file = warm
    invoke(db, cache_file.parent, "vendor", "add", "Alpha")
    plain = invoke(db, "off", "vendor", "list")
    _rewrite(cache_file, change, sign)
    through_sqlalchemy.clear()
    assert invoke(db, cache_file.parent, "vendor", "list") == plain
    assert through_sqlalchemy != []
    through_sqlalchemy.clear()  # the SQLAlchemy path wrote the entry anew
    assert invoke(db, cache_file.parent, "vendor", "list") == plain
    assert through_sqlalchemy == []


def test_a_cache_file_copied_from_another_cache_is_not_used(
    warm: tuple[str, Path], tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    db, cache_file = warm
    other = tmp_path / "other-cache"
    invoke(db, other, "vendor", "list")  # its own key and statements
    shutil.copy(cache_file, other / str(read_cache.file_name()))
    through_sqlalchemy.clear()
    assert invoke(db, other, "vendor", "list") == invoke(db, "off", "vendor", "list")
    assert through_sqlalchemy != []


@pytest.mark.parametrize(
    "garbage", [b"", b"{", b"\xff\xfe", b"[]", b'{"key": 1}', b"null"], ids=repr
)
def test_a_corrupt_cache_file_is_ignored(
    warm: tuple[str, Path], through_sqlalchemy: list[str], garbage: bytes
) -> None:
    db, cache_file = warm
    plain = invoke(db, "off", "vendor", "list")
    cache_file.write_bytes(garbage)
    through_sqlalchemy.clear()
    assert invoke(db, cache_file.parent, "vendor", "list") == plain
    assert through_sqlalchemy != []
    assert json.loads(cache_entries.read(cache_file) or b"")["key"] == read_cache.key()  # anew


def test_the_key_covers_versions_revision_and_statement_sources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlalchemy

    import auditkit

    parts = read_cache.key_parts()
    assert parts is not None
    assert {
        auditkit.__version__,
        sqlalchemy.__version__,
        revision.HEAD,
        sqlite3.sqlite_version,
    } <= set(parts)
    assert (
        hashlib.sha256(Path(read_cache.__file__).with_name("listings.py").read_bytes()).hexdigest()
        in parts
    )
    before = read_cache.key()
    monkeypatch.setattr(read_cache, "HEAD", "0007_future")
    read_cache.key.cache_clear()
    try:
        assert read_cache.key() != before
    finally:
        read_cache.key.cache_clear()


def test_the_sources_list_names_every_module_the_statements_come_from() -> None:
    import ast

    package = Path(read_cache.__file__).resolve().parents[1]
    needed = set()
    for source in (
        "storage/listings.py",
        "storage/audit_statements.py",
        "storage/compiled_reads.py",
    ):
        tree = ast.parse((package / source).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("auditkit."):
                folder = node.module.removeprefix("auditkit.").replace(".", "/")
                if (package / folder).is_dir():  # from auditkit.storage import module
                    needed.update(f"{folder}/{alias.name}.py" for alias in node.names)
                else:
                    needed.add(folder + ".py")
    assert needed <= set(read_cache.SOURCES)


def test_a_database_at_an_older_revision_goes_through_migration(
    warm: tuple[str, Path], tmp_path: Path, through_sqlalchemy: list[str]
) -> None:
    from tests.test_migration import _migrate_to

    old = tmp_path / "old.db"
    url = f"sqlite:///{old}"
    _migrate_to(url, "0005_answer_knowledge")
    through_sqlalchemy.clear()
    code, out, _ = invoke(str(old), warm[1].parent, "vendor", "list")
    assert code == 0 and through_sqlalchemy != []
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (revision.HEAD,)
        ]
    close(str(old))
    through_sqlalchemy.clear()
    assert invoke(str(old), warm[1].parent, "vendor", "list") == (code, out, b"")
    assert through_sqlalchemy == []  # migrated: now read through the cache


def test_two_releases_keep_their_own_statements(
    warm: tuple[str, Path], through_sqlalchemy: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two installs sharing a cache directory do not rewrite one file in turn."""
    db, cache_file = warm
    ours = read_cache.key()
    monkeypatch.setattr(read_cache, "key", lambda: "a" * 64)  # another release's statements
    invoke(db, cache_file.parent, "vendor", "list")
    monkeypatch.setattr(read_cache, "key", lambda: ours)
    through_sqlalchemy.clear()
    invoke(db, cache_file.parent, "vendor", "list")
    assert through_sqlalchemy == []  # ours were still there
    monkeypatch.setattr(read_cache, "key", lambda: "a" * 64)
    assert read_cache.load() != {}  # and so were theirs
