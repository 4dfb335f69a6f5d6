"""The render cache of `report --all`: unchanged outputs are skipped, anything that could change
the bytes (an answer, a template, an organisation override, a font) renders again, and so does
an output that was tampered with or deleted."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from auditkit import paths
from auditkit.report import cache, fonts

pytestmark = pytest.mark.slow  # worker processes


def _batch(run: Callable[..., Result], out: Path, *extra: str) -> str:
    result = run("report", "--all", "--format", "html", "--out-dir", str(out), *extra)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[-1]


@pytest.fixture
def two_audits(new_audit: Callable[..., int], run: Callable[..., Result]) -> tuple[int, int]:
    first = new_audit(name="Alpha KK")
    second = new_audit(name="Beta KK")
    assert run("audit", "answer", str(first), "nda.nda_before_access", "yes").exit_code == 0
    return first, second


def test_unchanged_batch_is_skipped_and_force_renders(
    two_audits: tuple[int, int], run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _batch(run, out).startswith("rendered 2, skipped 0 unchanged, failed 0")
    before = {p.name: p.read_bytes() for p in out.glob("*.html")}
    assert _batch(run, out).startswith("rendered 0, skipped 2 unchanged, failed 0")
    assert {p.name: p.read_bytes() for p in out.glob("*.html")} == before
    assert _batch(run, out, "--force").startswith("rendered 2, skipped 0")
    assert (out / cache.MANIFEST_NAME).is_file()


def test_changed_answer_renders_that_report_again(
    two_audits: tuple[int, int], run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _batch(run, out)
    first, _ = two_audits
    assert run("audit", "answer", str(first), "nda.nda_before_access", "no").exit_code == 0
    assert _batch(run, out).startswith("rendered 1, skipped 1")
    assert _batch(run, out).startswith("rendered 0, skipped 2")


def test_tampered_or_deleted_output_renders_again(
    two_audits: tuple[int, int], run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _batch(run, out)
    first, second = sorted(out.glob("*.html"))
    original = first.read_bytes()
    first.write_bytes(original.replace(b"Alpha", b"Alpho"))
    second.unlink()
    assert _batch(run, out).startswith("rendered 2, skipped 0")
    assert first.read_bytes() == original
    assert second.is_file()


def test_organisation_override_change_renders_again(
    two_audits: tuple[int, int], run: Callable[..., Result], tmp_path: Path
) -> None:
    org = tmp_path / "org"
    (org / "assets").mkdir(parents=True)
    logo = org / "assets" / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    out = tmp_path / "out"
    assert _batch(run, out, "--templates", str(org)).startswith("rendered 2")
    assert _batch(run, out, "--templates", str(org)).startswith("rendered 0, skipped 2")
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>')
    assert _batch(run, out, "--templates", str(org)).startswith("rendered 2, skipped 0")
    shutil.copy(paths.templates_dir() / "_cover.html", org / "_cover.html")
    assert _batch(run, out, "--templates", str(org)).startswith("rendered 2, skipped 0")
    assert _batch(run, out).startswith("rendered 2, skipped 0")  # without the overrides


def test_bundled_template_change_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "templates"
    shutil.copytree(paths.templates_dir(), bundled)
    monkeypatch.setattr(paths, "templates_dir", lambda: bundled)
    before = cache.environment_fingerprint(None)
    assert cache.environment_fingerprint(None) == before
    with (bundled / "report.css").open("a") as css:
        css.write("\n/* tweak */\n")
    assert cache.environment_fingerprint(None) != before


def test_font_change_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fonts.resolve()[0].path
    copy = tmp_path / "truetype" / "dejavu" / "DejaVuSans.ttf"
    copy.parent.mkdir(parents=True)
    shutil.copy(real, copy)
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, str(tmp_path))
    before = cache.environment_fingerprint(None)
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    fonts._resolve.cache_clear()  # font files are looked up once per process
    assert cache.environment_fingerprint(None) != before


def test_foreign_or_broken_manifest_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / cache.MANIFEST_NAME).write_text("{not json")
    assert cache.Manifest.load(tmp_path).entries == {}
    (tmp_path / cache.MANIFEST_NAME).write_text('{"format": "other", "outputs": {}}')
    assert cache.Manifest.load(tmp_path).entries == {}
