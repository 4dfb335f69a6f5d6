"""Process-level rendering: the garbage collector paused around the render (same bytes, its
state restored) and one template environment per template set reused, yet never stale."""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import weasyprint

from auditkit.checklist_cache import CACHE_ENV
from auditkit.cli.main import main
from auditkit.gc_pause import collector_paused
from auditkit.report import pdf, renderers
from auditkit.report.environment import (
    CompiledTemplates,
    build_environment,
    compiled_templates_dir,
)
from auditkit.report.template_context import ReportContext
from tests.builders import REPORT_FIXTURES, basics, fixed_input, start_audit

MOMENT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
HTML = "<html><body><h1>Report</h1>" + "<p>line</p>" * 200 + "</body></html>"


@pytest.mark.slow
def test_render_with_the_collector_paused_gives_the_bytes_of_a_plain_render() -> None:
    json_bytes = b'{"audit": 1}\n'
    tuned = pdf.render(HTML, json_bytes, MOMENT, None)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    fetcher = pdf.fetcher(None)
    document = weasyprint.HTML(string=HTML, base_url=pdf.base_url(None), url_fetcher=fetcher)
    with pdf.source_date_epoch(MOMENT):
        plain = document.write_pdf(**pdf.options(json_bytes, MOMENT, fetcher))
    assert tuned == plain


def test_collector_state_is_restored_after_an_error_and_when_nested() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves the outer one's pause in place
        raise RuntimeError("layout failed")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a collector disabled before stays disabled
    finally:
        gc.enable()


def test_environment_is_reused_and_an_edited_override_is_picked_up(tmp_path: Path) -> None:
    assert renderers.environment(tmp_path) is renderers.environment(tmp_path)
    override = tmp_path / "_cover.html"
    override.write_text("<section>first cover</section>\n", encoding="utf-8")
    assert "first cover" in renderers.render_html(fixed_input(), "en", tmp_path).decode()
    override.write_text("<section>second cover</section>\n", encoding="utf-8")
    later = override.stat().st_mtime_ns + 2_000_000_000
    os.utime(override, ns=(later, later))
    html = renderers.render_html(fixed_input(), "en", tmp_path).decode()
    assert "second cover" in html
    assert "first cover" not in html


def test_compiled_templates_are_kept_for_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    context = renderers.prepare(fixed_input(), "en").context
    first = build_environment(None).get_template(renderers.MAIN_TEMPLATE).render(report=context)
    directory = compiled_templates_dir()
    assert directory is not None and any(directory.glob("*.cache"))

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again although the compiled template was cached")

    later = build_environment(None)  # as in the next process
    monkeypatch.setattr(later, "compile", no_compiling)
    assert later.get_template(renderers.MAIN_TEMPLATE).render(report=context) == first


def test_a_cache_that_cannot_be_written_does_not_stop_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocked))
    html = (
        build_environment(None)
        .get_template(renderers.MAIN_TEMPLATE)
        .render(report=renderers.prepare(fixed_input(), "en").context)
    )
    assert "<html" in html
    monkeypatch.setenv(CACHE_ENV, "off")
    assert compiled_templates_dir() is None
    assert build_environment(None).bytecode_cache is None


def test_the_template_context_is_not_kept_while_the_pdf_is_laid_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alive: list[int] = []
    real_render = pdf.render

    def counting_render(*args: Any, **kwargs: Any) -> bytes:
        gc.collect()
        alive.append(sum(isinstance(o, ReportContext) for o in gc.get_objects()))
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf, "render", counting_render)
    assert renderers.render_pdf(fixed_input(), "en").startswith(b"%PDF-")
    assert alive == [0]


def test_the_auditkit_process_skips_the_last_collection_at_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["auditkit", "--help"])
    try:
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == 0
        assert "Usage" in capsys.readouterr().out
        assert gc.get_freeze_count() > 0  # nothing left for the interpreter's final scan
    finally:
        gc.unfreeze()


@pytest.mark.slow
def test_a_report_process_leaves_no_temporary_font_files(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    audit_id = start_audit(db, {"rpt_basics": basics()})
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "AUDITKIT_CACHE_DIR": str(tmp_path / "c")}
    out = tmp_path / "r.pdf"
    command = [sys.executable, "-m", "auditkit", "--db", db, "--checklists", str(REPORT_FIXTURES)]
    command += ["report", str(audit_id), "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert out.read_bytes().startswith(b"%PDF-")
    assert list(scratch.iterdir()) == []


def test_a_compiled_template_entry_not_signed_by_this_user_is_never_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are code: an entry someone else wrote (here: forged code under the
    real entry's name, checksum and signature line) is compiled anew, never run."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    context = renderers.prepare(fixed_input(), "en").context
    env = build_environment(None)
    first = env.get_template(renderers.MAIN_TEMPLATE).render(report=context)
    cache = env.bytecode_cache
    assert isinstance(cache, CompiledTemplates)
    source, filename, _ = env.loader.get_source(env, renderers.MAIN_TEMPLATE)  # type: ignore[union-attr]
    bucket = cache.get_bucket(env, renderers.MAIN_TEMPLATE, filename, source)
    entry = cache.entry(bucket)
    signature = entry.read_bytes().partition(b"\n")[0]
    bucket.code = env.compile("FORGED", renderers.MAIN_TEMPLATE, filename)
    forged = io.BytesIO()
    bucket.write_bytecode(forged)
    entry.write_bytes(signature + b"\n" + forged.getvalue())

    later = build_environment(None)
    assert later.get_template(renderers.MAIN_TEMPLATE).render(report=context) == first
