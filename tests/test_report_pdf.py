"""Real PDFs read back with pypdf and pdftotext: content, fonts, safety, reproducibility, verify."""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from auditkit.cli.main import cli
from auditkit.errors import VerificationFailed
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.report import fonts, renderers
from auditkit.services import audits, signoff, vendors
from auditkit.services.signoff import SignOffRequest
from auditkit.services.verify import verify
from tests.builders import AS_OF, REPORT_FIXTURES, basics, fixed_input

pytestmark = pytest.mark.slow

HOSTILE = [
    "<link rel=attachment href=file:///etc/passwd>",
    '<a href="javascript:alert(1)">click</a> javascript:alert(1)',
    '<div style="background: url(file:///etc/passwd)">css</div>',
    "<style>@import url(file:///etc/shadow); body { background: url(data:image/png;base64,AAAA) }</style>",
]


def text_of(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        return out.stdout.decode("utf-8")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def link_uris(pdf: bytes) -> list[str]:
    uris = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None:
                uris.append(str(action.get_object().get("/URI", action.get_object().get("/S"))))
    return uris


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    data = fixed_input()
    return {lang: renderers.render_pdf(data, lang) for lang in ("en", "ja")}  # type: ignore[arg-type]


def test_english_pdf_content(pdfs: dict[str, bytes]) -> None:
    text = " ".join(text_of(pdfs["en"]).split())  # words wrapped across lines still match
    for needle in (
        "Vendor security due-diligence report",
        "Sakura Commerce KK",
        "FINAL",
        "Executive summary",
        "Approve with conditions",
        "Remediation plan",
        "Require MFA for every",
        "Vendor IT",
        "2027-01-31",
        "pentest-2026.pdf",
        "PCI DSS v4.0",
        "Sign-off",
        "Aiko Tanaka",
        "Page 2 of",
    ):
        assert needle in text, needle
    assert text.count("AK-7-") >= len(
        PdfReader(io.BytesIO(pdfs["en"])).pages
    )  # report id on every page
    assert 4 <= len(PdfReader(io.BytesIO(pdfs["en"])).pages) <= 12


def test_japanese_pdf_content_and_cjk_font(pdfs: dict[str, bytes]) -> None:
    if not fonts.has_cjk():
        pytest.skip("CJK font not installed (auditkit doctor)")
    text = text_of(pdfs["ja"])
    for needle in (
        "委託先セキュリティ評価報告書",
        "評価結果の要約",
        "条件付き承認",
        "是正計画",
        "すべての管理者ログインで多要素認証を必須にしてください。",
        "証跡一覧",
        "確定版",
    ):
        assert needle in text.replace(" ", ""), needle
    assert any("NotoSansCJK" in name.replace("-", "") for name in font_names(pdfs["ja"]))


def test_pdf_is_pdfa3_with_the_json_export_attached(pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs["en"]))
    assert list(reader.attachments) == ["audit.json"]
    assert reader.attachments["audit.json"][0] == renderers.render_json(fixed_input(), "en")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert reader.metadata is not None and "Sakura Commerce KK" in str(reader.metadata.title)


@pytest.fixture
def canary() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


def test_hostile_content_fetches_nothing_and_links_nothing(
    tmp_path: Path, canary: tuple[int, list[str]]
) -> None:
    port, hits = canary
    remote = f"http://127.0.0.1:{port}"
    payload = " ".join(
        [*HOSTILE, f"<img src={remote}/img>", f"<link rel=stylesheet href={remote}/css>"]
    )
    # The organisation's own template is trusted markup; even so the fetcher serves nothing foreign.
    (tmp_path / "_signoff.html").write_text(
        f'<link rel="attachment" href="file:///etc/passwd"><a rel="attachment" href="{remote}/att">a</a>'
        f'<img src="{remote}/img2"><img src="../../../../../../etc/passwd"><img src="data:image/svg+xml,<svg/>">'
        f'<div style="background: url({remote}/bg)">x</div><link rel="stylesheet" href="{remote}/s.css">'
        f"<a href=\"{{{{ 'javascript:alert(1)' | safe_url }}}}\">js</a>",
        encoding="utf-8",
    )
    data = fixed_input(comment=payload, vendor_name=f"<img src={remote}/name> Evil KK")
    pdf = renderers.render_pdf(data, "en", tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    assert list(reader.attachments) == ["audit.json"]
    assert all(uri.startswith(("https:", "mailto:")) for uri in link_uris(pdf)), link_uris(pdf)
    assert "mailto:security@sakura.example" in link_uris(pdf)
    assert hits == []
    assert b"root:x:0:0" not in pdf


def test_naughty_strings_render(naughty_strings: list[str]) -> None:
    for start in (0, 100, 200, 300):  # a comment holds at most 10,000 characters
        comment = "\n".join(naughty_strings[start : start + 100])
        pdf = renderers.render_pdf(fixed_input(comment=comment), "en")
        assert list(PdfReader(io.BytesIO(pdf)).attachments) == ["audit.json"]


RENDER_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.builders import fixed_input
from auditkit.report import renderers
sys.stdout.buffer.write(renderers.render_pdf(fixed_input(), {lang!r}))
"""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_byte_identical_in_separate_processes(lang: str, pdfs: dict[str, bytes]) -> None:
    script = RENDER_SCRIPT.format(root=str(Path(__file__).parents[1]), lang=lang)
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] == pdfs[lang]


def db_audit(db: str) -> int:
    checklists = {"rpt_basics": basics()}
    vendor = vendors.add(
        db,
        Vendor(
            name="Fuji Logistics",
            services=["logistics"],
            profile=VendorProfile(personal_data="low"),
        ),
        "tester",
    )
    audit_id = audits.start(db, vendor.name, checklists, "tester", as_of=AS_OF).id
    for question_id, raw in (
        ("rpt_basics.tls", "yes"),
        ("rpt_basics.mfa", "no"),
        ("rpt_basics.patch_days", "7"),
    ):
        audits.answer(db, audit_id, question_id, raw, checklists, "tester", comment="checked")
    signoff.finalize(
        db,
        audit_id,
        checklists,
        SignOffRequest("Aiko Tanaka", "Approver", accept_unanswered="test"),
        "tester",
    )
    return audit_id


def invoke(db: str, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--db", db, "--as", "tester", "--checklists", str(REPORT_FIXTURES), *args]
    )


def test_cli_report_and_verify(db: str, tmp_path: Path) -> None:
    audit_id = db_audit(db)
    out = tmp_path / "r.pdf"
    result = invoke(db, "report", str(audit_id), "-o", str(out), "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    result = invoke(db, "verify", str(out))
    assert result.exit_code == 0, result.output
    assert "in the database gives the same data" in result.output
    assert "byte-identical" in result.output and result.output.rstrip().endswith(
        "matches the database"
    )
    json_out = tmp_path / "r.json"
    assert (
        invoke(
            db, "report", str(audit_id), "-o", str(json_out), "--format", "json", "--lang", "ja"
        ).exit_code
        == 0
    )
    assert PdfReader(out).attachments["audit.json"][0] == json_out.read_bytes()


def test_verify_detects_a_one_byte_change(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    assert invoke(db, "report", str(db_audit(db)), "-o", str(out)).exit_code == 0
    pdf = bytearray(out.read_bytes())
    for offset in (len(pdf) // 3, len(pdf) // 2):
        changed = bytearray(pdf)
        changed[offset] ^= 0x01
        bad = tmp_path / f"bad{offset}.pdf"
        bad.write_bytes(bytes(changed))
        result = invoke(db, "verify", str(bad))
        assert result.exit_code == 7, result.output
        assert len([line for line in result.output.splitlines() if line.startswith("error:")]) == 1


def test_verify_standalone_and_database_mismatch(db: str, tmp_path: Path) -> None:
    """A final audit's report keeps verifying after the vendor is edited (it is frozen); a
    draft's report follows the live data, so an edit makes it differ."""
    checklists = {"rpt_basics": basics()}
    out = tmp_path / "fixed.pdf"
    out.write_bytes(renderers.render_pdf(fixed_input(), "en"))
    assert verify(out, db, checklists, standalone=True).outcome == "self-consistent"
    audit_id = db_audit(db)
    with pytest.raises(VerificationFailed, match="audit 7 is not in this database"):
        verify(out, db, checklists)  # before: "verified standalone", exit 0
    final = tmp_path / "final.pdf"
    assert invoke(db, "report", str(audit_id), "-o", str(final)).exit_code == 0
    assert verify(final, db, checklists).outcome == "database"
    vendors.edit(db, "Fuji Logistics", {"contact_name": "Someone Else"}, "tester")
    assert verify(final, db, checklists).outcome == "database"
    vendor = vendors.add(db, Vendor(name="Draft KK"), "tester")
    draft_id = audits.start(db, vendor.name, checklists, "tester", as_of=AS_OF).id
    draft = tmp_path / "draft.pdf"
    assert invoke(db, "report", str(draft_id), "-o", str(draft)).exit_code == 0
    assert verify(draft, db, checklists).outcome == "database"
    vendors.edit(db, "Draft KK", {"contact_name": "Someone Else"}, "tester")
    with pytest.raises(VerificationFailed, match="differs"):
        verify(draft, db, checklists)


def test_batch_renders_every_vendors_latest_audit(db: str, tmp_path: Path) -> None:
    db_audit(db)
    checklists = {"rpt_basics": basics()}
    vendor = vendors.add(db, Vendor(name="Kumo <Hosting>"), "tester")
    audits.start(db, vendor.name, checklists, "tester", as_of=AS_OF)
    result = invoke(
        db, "report", "--all", "--out-dir", str(tmp_path / "out"), "--jobs", "2", "--format", "html"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".auditkit-render.json",  # the render cache's manifest
        "audit-1-fuji-logistics.en.html",
        "audit-2-kumo-hosting.en.html",
    ]


def test_doctor(run: Callable[..., Result]) -> None:
    result = run("doctor", "--json")
    assert '"harfbuzz_subset"' in result.output


def test_bookmarks_name_sections_without_scores(pdfs: dict[str, bytes]) -> None:
    def titles(outline: list[object]) -> list[str]:
        out: list[str] = []
        for item in outline:
            out.extend(titles(item) if isinstance(item, list) else [str(item.title)])  # type: ignore[attr-defined]
        return out

    marks = titles(PdfReader(io.BytesIO(pdfs["en"])).outline)
    assert "1. Report test basics" in marks, marks
    assert not [m for m in marks if m[:1].isdigit() and "." in m.split(" ")[0][:-1]], marks


def test_short_chapters_share_a_page_instead_of_leaving_it_half_empty(
    pdfs: dict[str, bytes],
) -> None:
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdfs["en"])).pages]
    chapters = pages[2:]  # after the cover and the contents
    [frameworks] = [n for n, text in enumerate(chapters) if "Framework coverage" in text]
    assert "Evidence register" in chapters[frameworks]  # no page break before the short chapter


def test_page_margin_texts_keep_their_spaces_and_mark_every_page(pdfs: dict[str, bytes]) -> None:
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdfs["en"])).pages]
    marked = [" ".join(text.split()) for text in pages]
    assert all("Confidential: for procurement, audit and the vendor named" in t for t in marked)


def test_contents_print_the_page_of_each_chapter(pdfs: dict[str, bytes]) -> None:
    import re

    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdfs["en"])).pages]
    toc = pages[1]
    for entry, found_on_page in (
        ("Methodology", "How this report scores a vendor"),
        ("Remediation plan", "Require MFA for every"),
        ("Appendix: all questions and answers", "Question IDs · Answer · Result"),  # its key line
    ):
        match = re.search(re.escape(entry) + r"[ .]*(\d+)", toc)
        assert match is not None, (entry, toc)
        assert found_on_page in pages[int(match.group(1)) - 1], entry
