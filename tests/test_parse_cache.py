"""The label catalogue comes from the parse cache when its file is unchanged: a command with a
warm cache imports no YAML, and a changed file, a corrupt or invalid entry or a cache turned
off give what parsing the file gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit import cache_entries, catalogue, paths
from auditkit.errors import ValidationProblem
from tests.test_listing_queries import _modules

LABELS = "ratings:\n  high: High ({n})\n"


def _read(path: Path) -> dict[str, dict[str, str]]:
    return catalogue._read(path, required=False)


def test_a_changed_label_file_is_read_again(tmp_path: Path) -> None:
    labels = tmp_path / "en.yaml"
    labels.write_text(LABELS, encoding="utf-8")
    assert _read(labels) == {"ratings": {"high": "High ({n})"}}
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1
    labels.write_text(LABELS.replace("High", "Hoch"), encoding="utf-8")
    assert _read(labels) == {"ratings": {"high": "Hoch ({n})"}}


@pytest.mark.parametrize(
    ("entry", "sign"),
    [(b"", False), (b"{", False), (b'{"ratings": {"high": "Forged"}}', False), (b"\xff", False),
     (b"[1]", True), (b'{"ratings": {"high": 1}}', True)],
)  # fmt: skip
def test_a_corrupt_forged_or_invalid_entry_is_parsed_again(
    tmp_path: Path, entry: bytes, sign: bool
) -> None:
    labels = tmp_path / "en.yaml"
    labels.write_text(LABELS, encoding="utf-8")
    expected = _read(labels)
    (cached,) = (tmp_path / "cache").glob("*.json")
    if sign:  # authentic but not a table of labels
        cache_entries.write(cached, entry.decode("utf-8"))
    else:
        cached.write_bytes(entry)
    assert _read(labels) == expected


def test_a_file_that_fails_its_checks_is_never_cached(tmp_path: Path) -> None:
    labels = tmp_path / "en.yaml"
    labels.write_text("ratings: [high]\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ValidationProblem):
            _read(labels)
    assert list((tmp_path / "cache").glob("*.json")) == []


def test_with_the_cache_off_the_file_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.CACHE_ENV, "off")
    labels = tmp_path / "en.yaml"
    labels.write_text(LABELS, encoding="utf-8")
    assert _read(labels) == {"ratings": {"high": "High ({n})"}}
    assert not (tmp_path / "cache").exists()


@pytest.mark.slow
def test_a_command_with_a_warm_cache_imports_no_yaml(tmp_path: Path) -> None:
    db = str(tmp_path / "audit.db")
    for lang in ("en", "ja"):
        args = ("--lang", lang, "--db", db, "vendor", "list")
        assert "yaml" in _modules(tmp_path, *args)  # parses the label files, fills the caches
        assert "yaml" not in _modules(tmp_path, *args)
