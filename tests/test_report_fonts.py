"""The CJK font check: no PDF of empty boxes, one line naming the package, doctor agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from auditkit.cli.main import cli
from auditkit.models.vendor import Vendor
from auditkit.report import fonts
from auditkit.services import audits, vendors
from tests.builders import AS_OF, REPORT_FIXTURES, basics

pytestmark = pytest.mark.slow


def invoke(db: str, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--db", db, "--as", "tester", "--checklists", str(REPORT_FIXTURES), *args]
    )


def start(db: str, name: str, **fields: str) -> int:
    vendors.add(db, Vendor(name=name, **fields), "tester")  # type: ignore[arg-type]
    return audits.start(db, name, {"rpt_basics": basics()}, "tester", as_of=AS_OF).id


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, str(empty))
    return empty


@pytest.mark.parametrize(
    ("name", "fields", "lang"),
    [
        ("Plain Vendor Ltd", {}, "ja"),
        ("株式会社さくら", {}, "en"),
        ("Plain Vendor Ltd", {"contact_name": "田中 愛子"}, "en"),
    ],
)
def test_cjk_text_without_a_cjk_font_is_refused(
    db: str, tmp_path: Path, no_fonts: Path, name: str, fields: dict[str, str], lang: str
) -> None:
    audit_id = start(db, name, **fields)
    out = tmp_path / "r.pdf"
    result = invoke(db, "report", str(audit_id), "-o", str(out), "--lang", lang)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert len(errors) == 1 and "fonts-noto-cjk" in errors[0], result.output
    assert not out.exists() and list(tmp_path.glob("r.pdf*")) == []


def test_cjk_answer_without_a_cjk_font_is_refused(db: str, tmp_path: Path, no_fonts: Path) -> None:
    audit_id = start(db, "Plain Vendor Ltd")
    audits.answer(
        db,
        audit_id,
        "rpt_basics.tls",
        "yes",
        {"rpt_basics": basics()},
        "tester",
        comment="確認済み",
    )
    result = invoke(db, "report", str(audit_id), "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 1 and "fonts-noto-cjk" in result.output, result.output
    said = invoke(db, "--lang", "ja", "report", str(audit_id), "-o", str(tmp_path / "r.pdf"))
    assert (said.exit_code, said.output) == (
        1,
        "エラー: 日本語(CJK)フォントが見つかりません: Noto Sans CJK をインストールしてください"
        "(Debian/Ubuntu: apt install fonts-noto-cjk)\n",
    )


def test_latin_only_report_and_html_need_no_cjk_font(
    db: str, tmp_path: Path, no_fonts: Path
) -> None:
    audit_id = start(db, "Plain Vendor Ltd")
    html = tmp_path / "r.html"
    assert invoke(db, "report", str(audit_id), "-o", str(html), "--lang", "ja", "--format", "html")
    assert html.exists()  # a browser picks its own fonts
    pdf = tmp_path / "r.pdf"
    result = invoke(db, "report", str(audit_id), "-o", str(pdf))
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")


def test_doctor_names_the_package(no_fonts: Path) -> None:
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert fonts.CJK_PACKAGE_HINT in result.output.splitlines()
    data = json.loads(CliRunner().invoke(cli, ["doctor", "--json"]).output)
    assert data["checks"]["cjk_font"] is False and data["font_dirs"] == [str(no_fonts)]


def test_contains_cjk() -> None:
    assert (
        fonts.contains_cjk("株式会社") and fonts.contains_cjk("ｶﾀｶﾅ") and fonts.contains_cjk("한")
    )
    assert not fonts.contains_cjk("Müller & Søn — “quoted” №5 ½")


def _faces(html: str) -> list[str]:
    """The bodies of the page's @font-face rules."""
    import re

    return re.findall(r"@font-face \{([^}]*)\}", html.split("</style>")[0])


def test_cjk_font_faces_are_declared_only_when_the_text_needs_them() -> None:
    from auditkit.report import renderers
    from tests.builders import fixed_input

    if not fonts.has_cjk():
        pytest.skip("CJK font not installed (auditkit doctor)")
    data = fixed_input()
    english = renderers.prepare(data, "en").html
    assert not fonts.contains_cjk(english)
    assert _faces(english) and not [f for f in _faces(english) if fonts.CJK_FAMILY in f]
    japanese = renderers.prepare(data, "ja").html
    assert len([f for f in _faces(japanese) if fonts.CJK_FAMILY in f]) == 2  # regular, bold
    renamed = fixed_input(vendor_name="株式会社さくら")
    assert [f for f in _faces(renderers.prepare(renamed, "en").html) if fonts.CJK_FAMILY in f]


def test_japanese_vendor_name_in_an_english_pdf_uses_the_cjk_font(db: str, tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader

    if not fonts.has_cjk():
        pytest.skip("CJK font not installed (auditkit doctor)")
    audit_id = start(db, "株式会社さくら")
    out = tmp_path / "r.pdf"
    result = invoke(db, "report", str(audit_id), "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    names = {
        str(font.get_object().get("/BaseFont")).replace("-", "")
        for page in PdfReader(io.BytesIO(out.read_bytes())).pages
        for font in (page.get("/Resources") or {}).get("/Font", {}).values()
    }
    assert any("NotoSansCJK" in name for name in names), names
