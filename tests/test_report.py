"""Report pipeline without PDFs: export, context, templates, safety filters, golden HTML.

Regenerate the golden files after an intended template change with
    AUDITKIT_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_report.py -k golden
and review the diff before committing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditkit import paths
from auditkit.models.checklist import Checklist
from auditkit.report import audit_data, fonts, renderers
from auditkit.report.environment import build_environment, safe_url
from tests.builders import basics, fixed_input

GOLDEN = Path(__file__).parent / "golden" / "report"
UTC = dt.UTC


def test_report_id_is_stable_and_derived_from_the_audit() -> None:
    doc = audit_data.document(fixed_input(), "en")
    again = audit_data.document(fixed_input(), "ja")
    assert doc["report"]["id"] == again["report"]["id"]
    assert doc["report"]["id"].startswith("AK-7-") and len(doc["report"]["id"]) == len("AK-7-") + 8
    changed = audit_data.document(fixed_input(comment="different"), "en")
    assert changed["report"]["id"] != doc["report"]["id"]


def test_json_export_is_canonical_and_round_trips() -> None:
    data = fixed_input()
    raw = renderers.render_json(data, "en")
    doc = json.loads(raw)
    assert raw == audit_data.dumps(doc)  # sorted keys, stable layout
    assert list(doc) == sorted(doc)
    [entry] = doc["checklists"]
    assert (entry["id"], entry["version"]) == ("rpt_basics", "1.0.0")
    assert entry["sha256"] == audit_data.content_hash(entry["content"])
    assert Checklist.model_validate(entry["content"]) == basics()  # all it was scored against
    assert doc["risk"]["tier"] == doc["scores"]["tier"]
    [domain] = doc["scores"]["domains"]
    statuses = {q["id"]: q["status"] for q in domain["questions"]}
    assert (domain["id"], statuses["rpt_basics.mfa"]) == ("rpt_basics", "partial")
    assert doc["findings"][0]["owner"] == "Vendor IT"
    rebuilt = audit_data.from_document(doc)
    assert renderers.render_json(rebuilt, "en") == raw


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.com/x", True),
        ("mailto:a@example.com", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("http://example.com", False),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,<b>x</b>", False),
        ("//evil.example/x", False),
        ("java\nscript:alert(1)", False),
        ('https://a.example/"onmouseover=x', False),
        ("", False),
    ],
)
def test_safe_url_keeps_only_https_and_mailto(url: str, kept: bool) -> None:
    assert safe_url(url) == (url if kept else "")


def test_environment_is_strict_and_escapes() -> None:
    env = build_environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()


def test_hostile_vendor_text_is_escaped_in_html() -> None:
    payload = '<link rel=attachment href=file:///etc/passwd><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
    html = renderers.render_html(
        fixed_input(comment=payload, vendor_name="<script>alert(1)</script>"), "en"
    ).decode()
    assert "<script>alert(1)" not in html
    assert "<link rel=attachment" not in html and "<img src=x" not in html
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in html
    assert 'href="javascript:' not in html


def test_english_and_japanese_html_carry_their_labels() -> None:
    data = fixed_input()
    en = renderers.render_html(data, "en").decode()
    ja = renderers.render_html(data, "ja").decode()
    for text in (
        "Executive summary",
        "Remediation plan",
        "Evidence register",
        "Framework coverage",
        "Sign-off",
        "Require MFA for every administrative login.",
        "PCI DSS v4.0",
    ):
        assert text in en, text
    for text in (
        "評価結果の要約",
        "是正計画",
        "証跡一覧",
        "フレームワーク対応状況",
        "承認",
        "すべての管理者ログインで多要素認証を必須にしてください。",
        "管理者に多要素認証を必須としていますか。",
        "条件付き承認",
        "前回評価からの変化",
    ):
        assert text in ja, text
    assert "Executive summary" not in ja


def test_organisation_directory_overrides_single_templates(tmp_path: Path) -> None:
    (tmp_path / "_signoff.html").write_text(
        "<p>ORG SIGN-OFF {{ report.report_id }}</p>", encoding="utf-8"
    )
    html = renderers.render_html(fixed_input(), "en", tmp_path).decode()
    assert "ORG SIGN-OFF AK-7-" in html
    assert "Executive summary" in html  # everything else still comes from the shipped templates


def _normalised_html(lang: str, monkeypatch: pytest.MonkeyPatch) -> str:
    fake = (
        fonts.FontFile(fonts.LATIN_FAMILY, 400, Path("/fonts/latin.ttf")),
        fonts.FontFile(fonts.CJK_FAMILY, 400, Path("/fonts/cjk.ttc")),
    )
    monkeypatch.setattr(fonts, "resolve", lambda: fake)
    # the template output as the PDF renderer gets it (asset URLs, not embedded data:)
    html = renderers.prepare(fixed_input(), lang).html  # type: ignore[arg-type]
    return html.replace(paths.templates_dir().resolve().as_uri(), "TEMPLATES")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_golden_html(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    html = _normalised_html(lang, monkeypatch)
    golden = GOLDEN / f"small_audit.{lang}.html"
    if os.environ.get("AUDITKIT_REGEN_GOLDEN") == "1":
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), (
        f"regenerate with AUDITKIT_REGEN_GOLDEN=1 if intended: {golden}"
    )


def test_light_imports_do_not_load_weasyprint() -> None:
    code = "import auditkit.cli.main, auditkit.cli.report_cmds, auditkit.report.renderers, auditkit.services.reports"
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )
    assert "weasyprint" not in out.stderr


def test_numbers_carry_units_and_resolved_findings_their_titles() -> None:
    en = renderers.render_html(fixed_input(), "en").decode()
    ja = renderers.render_html(fixed_input(), "ja").decode()
    assert "21 days" in en and "21日" in ja
    context = renderers.prepare(fixed_input(), "en").context
    assert context.comparison is not None
    assert context.comparison.resolved_findings == ["rpt_basics.tls"]  # as `audit diff` has it
    assert context.comparison.resolved_titles == ["Is TLS 1.2 or newer enforced on every endpoint?"]
    assert "rpt_basics.tls" not in en.split('id="summary"')[1].split("</section>")[0]


def test_question_id_columns_are_headed_as_ids() -> None:
    ja = renderers.render_html(fixed_input(), "ja").decode()
    en = renderers.render_html(fixed_input(), "en").decode()
    assert "質問数" not in ja and "<th>質問ID</th>" in ja
    assert "<th>Question IDs</th>" in en


def test_long_sections_are_laid_out_as_blocks_not_tables() -> None:
    """The appendix, remediation plan and domain results hold no table (table layout is the
    renderer's costliest), and every answer, comment and finding still appears."""
    data = fixed_input(comment="Checked on site, ticket SEC-42.")
    html = renderers.render_html(data, "en").decode()
    for section in ("appendix", "findings", "domains"):
        body = html.split(f'<section class="{section}">')[1].split("</section>")[0]
        assert "<table" not in body, section
    appendix = html.split('<section class="appendix">')[1]
    assert "Checked on site, ticket SEC-42." in appendix
    for question in data.state.checklists[0].questions:
        assert question.id in appendix
