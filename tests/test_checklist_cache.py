"""The checklist parse cache: a changed file is never served from a stale entry."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditkit import checklist_cache, paths
from auditkit.checklists import load_directories, load_file, parse_file
from auditkit.cli.main import cli
from auditkit.errors import ValidationProblem
from tests.builders import REPORT_FIXTURES

TITLE = 'en: "Report test basics"'


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    """Each test starts as a new process would: only this test's cache directory."""
    checklist_cache._memo.clear()


@pytest.fixture
def checklist_file(tmp_path: Path) -> Path:
    target = tmp_path / "lists" / "rpt_basics.yaml"
    target.parent.mkdir()
    shutil.copy(REPORT_FIXTURES / "rpt_basics.yaml", target)
    return target


def _entries() -> list[Path]:
    directory = checklist_cache.cache_dir()
    assert directory is not None
    return sorted(directory.glob("*.json"))


def test_cached_checklist_equals_the_parsed_one(checklist_file: Path) -> None:
    parsed = parse_file(checklist_file)
    assert load_file(checklist_file) == parsed
    assert len(_entries()) == 1
    checklist_cache._memo.clear()  # as in a new process: served from the JSON entry
    assert load_file(checklist_file) == parsed


def test_changed_file_is_parsed_again(checklist_file: Path) -> None:
    assert load_file(checklist_file).title.en == "Report test basics"
    text = checklist_file.read_text(encoding="utf-8")
    stat = checklist_file.stat()
    # same size, same mtime, different content: only the content hash tells them apart
    checklist_file.write_text(text.replace(TITLE, 'en: "Report test BASICS"'), encoding="utf-8")
    os.utime(checklist_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert checklist_file.stat().st_size == stat.st_size
    assert load_file(checklist_file).title.en == "Report test BASICS"
    checklist_cache._memo.clear()
    assert load_file(checklist_file).title.en == "Report test BASICS"


def test_corrupt_entry_is_ignored(checklist_file: Path) -> None:
    parsed = load_file(checklist_file)
    (entry,) = _entries()
    entry.write_text('{"id": "tampered"')
    checklist_cache._memo.clear()
    assert load_file(checklist_file) == parsed


def test_broken_file_is_never_cached(checklist_file: Path) -> None:
    checklist_file.write_text("id: rpt_basics\nquestions: nope\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--checklists", str(checklist_file.parent), "checklist", "list"]
    )
    assert result.exit_code != 0
    assert str(checklist_file) in result.output
    assert _entries()  # the shipped checklists were cached ...
    assert not any("rpt_basics" in e.read_text(encoding="utf-8") for e in _entries())  # not this


def test_cache_can_be_turned_off(checklist_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(checklist_cache.CACHE_ENV, "off")
    assert "rpt_basics" in load_directories([checklist_file.parent])
    assert checklist_cache.cache_dir() is None


def test_every_shipped_checklist_is_served_from_its_entry() -> None:
    from auditkit import paths
    from auditkit.checklists import checklist_files

    def must_not_parse(path: Path) -> Any:
        raise AssertionError(f"{path.name} was parsed again instead of read from the cache")

    for path in checklist_files(paths.checklists_dir()):
        parsed = load_file(path)
        checklist_cache._memo.clear()
        assert checklist_cache.load(path, must_not_parse) == parsed


def test_summaries_say_what_the_models_say_and_follow_file_changes(tmp_path: Path) -> None:
    from auditkit.checklist_summaries import summaries

    own = tmp_path / "own"
    own.mkdir()
    source = paths.checklists_dir() / "nda.yaml"
    text = source.read_text(encoding="utf-8").replace("nda", "own_nda")
    (own / "own_nda.yaml").write_text(text, encoding="utf-8")
    for _ in range(2):  # parsed, then from the summary entries
        checklist_cache._memo.clear()
        loaded = load_directories((own,))
        listed = summaries((own,))
        assert [s["id"] for s in listed] == list(loaded)
        for facts in listed:
            model = loaded[facts["id"]]
            assert facts["version"] == model.version
            assert facts["title"] == {"en": model.title.en, "ja": model.title.ja}
            assert facts["questions"] == len(model.questions)
            assert facts["critical"] == sum(q.critical for q in model.questions)
            assert facts["conditional"] == (model.applies_if is not None)
    assert 'version: "2.0.0"' in text
    (own / "own_nda.yaml").write_text(text.replace('version: "2.0.0"', 'version: "9.0.0"'), "utf-8")
    (mine,) = [s for s in summaries((own,)) if s["id"] == "own_nda"]
    assert mine["version"] == "9.0.0" == load_directories((own,))["own_nda"].version


def test_summaries_report_duplicates_as_the_loader_does(tmp_path: Path) -> None:
    from auditkit.checklist_summaries import summaries

    own = tmp_path / "own"
    own.mkdir()
    shutil.copy(paths.checklists_dir() / "nda.yaml", own / "nda.yaml")
    with pytest.raises(ValidationProblem) as loader:
        load_directories((own,))
    with pytest.raises(ValidationProblem) as listed:
        summaries((own,))
    assert listed.value.problems == loader.value.problems


def served_from_entry(path: Path) -> bool:
    """Whether a new process would take `path`'s checklist from its cache entry."""
    parsed: list[Path] = []

    def parse(target: Path) -> Any:
        parsed.append(target)
        return parse_file(target)

    checklist_cache._memo.clear()
    checklist_cache.load(path, parse)
    return not parsed


def _entry_of(path: Path) -> Path:
    directory = checklist_cache.cache_dir()
    key = checklist_cache._key(path)
    assert directory is not None and key is not None
    return directory / f"{key}.json"


def test_entry_is_used_only_for_its_exact_key(
    checklist_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_file(checklist_file)
    assert served_from_entry(checklist_file)
    # path: the same bytes elsewhere have an entry of their own
    elsewhere = tmp_path / "other" / checklist_file.name
    elsewhere.parent.mkdir()
    shutil.copy2(checklist_file, elsewhere)
    assert not served_from_entry(elsewhere)
    assert served_from_entry(elsewhere)
    # mtime: the same bytes touched
    stat = checklist_file.stat()
    os.utime(checklist_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not served_from_entry(checklist_file)
    # size: one byte more
    with checklist_file.open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert not served_from_entry(checklist_file)
    assert served_from_entry(checklist_file)
    # the framework catalogue the references were checked against
    catalog = tmp_path / "catalog.yaml"
    catalog.write_bytes(paths.framework_catalog().read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(paths, "framework_catalog", lambda: catalog)
    assert not served_from_entry(checklist_file)
    assert served_from_entry(checklist_file)
    # the auditkit version
    monkeypatch.setattr(paths, "package_version", lambda: "99.0.0")
    assert not served_from_entry(checklist_file)


def test_modified_entry_is_never_used(checklist_file: Path) -> None:
    parsed = load_file(checklist_file)
    entry = _entry_of(checklist_file)
    text = entry.read_text(encoding="utf-8")
    assert "Report test basics" in text
    entry.write_text(text.replace("Report test basics", "Report test TAMPERED"), encoding="utf-8")
    assert not served_from_entry(checklist_file)
    checklist_cache._memo.clear()
    assert load_file(checklist_file) == parsed
    assert served_from_entry(checklist_file)  # the entry was written again


def test_entry_of_another_file_is_never_used(checklist_file: Path) -> None:
    load_file(checklist_file)
    shipped = paths.checklists_dir() / "nda.yaml"
    load_file(shipped)
    # a genuine entry of another checklist, copied under this file's key
    shutil.copy(_entry_of(shipped), _entry_of(checklist_file))
    assert not served_from_entry(checklist_file)
    assert load_file(checklist_file).id == "rpt_basics"


def test_entry_signed_with_another_key_is_never_used(checklist_file: Path) -> None:
    import hashlib
    import hmac
    import secrets

    load_file(checklist_file)
    entry = _entry_of(checklist_file)
    _, _, body = entry.read_bytes().partition(b"\n")
    body = body.replace(b"Report test basics", b"Report test FORGED")
    forged = hmac.new(secrets.token_bytes(32), entry.name.encode() + b"\0" + body, hashlib.sha256)
    entry.write_bytes(forged.hexdigest().encode() + b"\n" + body)
    assert not served_from_entry(checklist_file)
    checklist_cache._memo.clear()
    assert load_file(checklist_file).title.en == "Report test basics"


def test_key_readable_by_others_disables_the_cache(checklist_file: Path) -> None:
    load_file(checklist_file)
    assert served_from_entry(checklist_file)
    directory = checklist_cache.cache_dir()
    assert directory is not None
    key = directory / checklist_cache.KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    key.chmod(0o644)
    assert not served_from_entry(checklist_file)
    assert not served_from_entry(checklist_file)  # nor written under a key others can read
    key.unlink()
    assert not served_from_entry(checklist_file)  # a new key: old entries do not verify
    assert served_from_entry(checklist_file)


def test_served_checklist_carries_its_content_hash(checklist_file: Path) -> None:
    from auditkit.models.record import checklist_content, content_hash, sha256_of

    load_file(checklist_file)
    checklist_cache._memo.clear()
    served = load_file(checklist_file)
    assert served_from_entry(checklist_file)
    assert content_hash(served) == sha256_of(checklist_content(parse_file(checklist_file)))
