"""Process-level rendering: GC tuned around the render (same bytes, settings restored) and one
template environment per template set reused, yet never stale."""

from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path

import pytest
import weasyprint

from auditkit.report import pdf, renderers
from tests.builders import fixed_input

MOMENT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
HTML = "<html><body><h1>Report</h1>" + "<p>line</p>" * 200 + "</body></html>"


@pytest.mark.slow
def test_gc_tuned_render_gives_the_bytes_of_an_untuned_render() -> None:
    json_bytes = b'{"audit": 1}\n'
    before = gc.get_threshold()
    tuned = pdf.render(HTML, json_bytes, MOMENT, None)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    fetcher = pdf.fetcher(None)
    document = weasyprint.HTML(string=HTML, base_url=pdf.base_url(None), url_fetcher=fetcher)
    with pdf.source_date_epoch(MOMENT):
        plain = document.write_pdf(**pdf.options(json_bytes, MOMENT, fetcher))
    assert tuned == plain


def test_gc_settings_are_restored_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), pdf.quiet_gc():
        assert gc.get_threshold()[0] >= pdf.GC_THRESHOLD
        raise RuntimeError("layout failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


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
