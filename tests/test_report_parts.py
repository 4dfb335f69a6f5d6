"""Long reports laid out in parts and joined: the cuts, and the joined PDF as users get it."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from auditkit import answers as answer_rules
from auditkit.checklists import load_directories
from auditkit.cli.main import cli
from auditkit.models.audit import Answer
from auditkit.models.checklist import AnswerType, Checklist, Question
from auditkit.report import parts, pdf, renderers
from auditkit.services import audits
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction
from tests import pki
from tests.builders import AS_OF, fixed_input, make_vendor

WRAPPERS = re.compile(r'\n?<section class="[a-z]+">|</section>\n?|<dl class="entries">|</dl>|\s+')


def stripped(html: str) -> str:
    """The markup without the section and list tags a cut may add, and without white space."""
    return WRAPPERS.sub("", html)


def body_of(html: str) -> str:
    opened = html.index(">", html.index("<body")) + 1
    return html[opened : html.rindex("</body>")]


def hostile_html() -> str:
    """A report whose comments and names hold the very markup the cuts look for."""
    bait = '\n<section class="appendix">\n  <h2>\n    <dt>\n<div class="domain" href="#x"></dl>'
    data = fixed_input(comment=bait, vendor_name="Bait </h1>" + bait.replace("\n", " "))
    return renderers.render_html(data, "en").decode()


HTML = hostile_html()


def check_parts(html: str, cut: parts.Parts) -> None:
    body = body_of(html)
    assert cut.bodies[0].lstrip().startswith('<section class="cover">')
    assert '<nav class="toc">' in cut.bodies[0] and '<section class="summary">' in cut.bodies[0]
    for later in cut.bodies[1:]:
        assert 'href="#' not in later
        assert later.count("<section") == later.count("</section>")
        assert later.count("<dl") == later.count("</dl>")
        assert later.count("<div") == later.count("</div>")  # no domain cut in two
    # nothing lost, nothing added but the tags that close and open a section or list again
    assert stripped("".join(cut.bodies)) == stripped(body)
    assert "".join(cut.bodies).count("<dt>") == body.count("<dt>")
    assert '<h1 class="vendor vendor-running">Bait &lt;/h1&gt;' in cut.bodies[0]
    assert cut.head + cut.bodies[0] in html


def test_vendor_text_cannot_add_a_cut() -> None:
    cut = parts.cut(HTML, limit=4000, split_from=0)
    assert cut is not None and len(cut.bodies) >= 4
    check_parts(HTML, cut)
    # every cut is one the layout made: none falls inside an escaped comment
    for later in cut.bodies[1:]:
        assert not later.startswith("&lt;") and "&lt;section" not in later[:40]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(limit=st.integers(min_value=200, max_value=60_000))
def test_any_part_size_keeps_every_entry(limit: int) -> None:
    cut = parts.cut(HTML, limit=limit, split_from=0)
    assert cut is not None
    assume(len(cut.bodies) > 2)
    check_parts(HTML, cut)


def test_short_reports_and_other_layouts_are_one_document(tmp_path: Path) -> None:
    assert parts.cut(HTML) is None  # under SPLIT_FROM
    assert parts.cut(HTML.replace('<nav class="toc">', "<nav>"), split_from=0) is None
    assert not pdf.overrides_layout(None)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "_theme.css").write_text(":root { --accent: #123456; }", encoding="utf-8")
    assert not pdf.overrides_layout(tmp_path)  # logo and colours
    (tmp_path / "_scope.html").write_text("<div>ours</div>", encoding="utf-8")
    assert pdf.overrides_layout(tmp_path)


PARTS_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.builders import fixed_input
from auditkit.report import parts, renderers
parts.PART_BYTES, parts.SPLIT_FROM = 2500, 0  # a short report cut into parts of a page or two
sys.stdout.buffer.write(renderers.render_pdf(fixed_input(), {lang!r}))
"""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_parts_give_the_same_bytes_in_every_process(lang: str) -> None:
    """Sets and dictionaries may iterate in another order in another process (hash seeds):
    the joined file must not depend on it."""
    script = PARTS_SCRIPT.format(root=str(Path(__file__).parents[1]), lang=lang)
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    whole = renderers.render_pdf(fixed_input(), lang)  # type: ignore[arg-type]
    joined, single = PdfReader(io.BytesIO(runs[0])), PdfReader(io.BytesIO(whole))
    assert runs[0] != whole and len(joined.pages) > len(single.pages)
    assert list(joined.attachments) == ["audit.json"]
    assert joined.attachments["audit.json"][0] == single.attachments["audit.json"][0]
    assert [str(o.title) for o in joined.outline if not isinstance(o, list)] == [
        str(o.title) for o in single.outline if not isinstance(o, list)
    ]
    total = len(joined.pages)
    word = "Page" if lang == "en" else "ページ"
    for number, page in enumerate(joined.pages, start=1):
        assert re.search(rf"{word}\s*{number}\s*\S+\s*{total}\b", page.extract_text())


# --- a long report through the command line -------------------------------------------------

QUESTIONS = 600  # about 700 kB of HTML and 130 pages: over SPLIT_FROM, so laid out in parts
PER_DOMAIN = 20


def long_checklists(directory: Path) -> dict[str, Checklist]:
    """QUESTIONS shipped questions (reused) in domains of PER_DOMAIN, written to `directory`."""
    shipped = load_directories()
    pool = [q for c in shipped.values() for q in c.questions if q.applies_if is None]
    template = next(iter(shipped.values()))
    out: dict[str, Checklist] = {}
    for first in range(0, QUESTIONS, PER_DOMAIN):
        domain = f"long_{first // PER_DOMAIN:03d}"
        questions = [
            pool[(first + i) % len(pool)].model_copy(
                update={"id": f"{domain}.q{first + i:04d}", "examples": None}
            )
            for i in range(PER_DOMAIN)
        ]
        checklist = template.model_copy(
            update={"id": domain, "questions": questions, "applies_if": None}
        )
        data = checklist.model_dump(mode="json", exclude_none=True, by_alias=True)
        (directory / f"{domain}.yaml").write_text(json.dumps(data, ensure_ascii=False))
        out[domain] = Checklist.model_validate(data)
    return out


def answer_for(question: Question, index: int) -> str | None:
    if question.choices:
        ranked = sorted(question.choices, key=lambda c: -c.score)
        return ranked[index % len(ranked)].value
    return {
        AnswerType.NUMBER: "14",
        AnswerType.DATE: "2026-03-01",
        AnswerType.EVIDENCE: "report-2026.pdf",
    }.get(question.type, "See the policy, reviewed every year.")


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> pki.Pki:
    return pki.make(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def long_audit(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, int]:
    root = tmp_path_factory.mktemp("long")
    (root / "checklists").mkdir()
    checklists = long_checklists(root / "checklists")
    db = str(root / "long.db")
    from auditkit.services import vendors

    vendors.add(db, make_vendor(name="株式会社ながいレポート商事"), "tester")
    audit = audits.start(db, "株式会社ながいレポート商事", checklists, "tester", as_of=AS_OF)
    state = audits.state(db, audit.id, checklists)
    answers = []
    for index, question in enumerate(q for c in state.checklists for q in c.questions):
        raw = answer_for(question, index)
        if raw is not None:
            value = answer_rules.parse(question, raw, AS_OF)
            answers.append(Answer(question_id=question.id, value=value, comment=f"注記 {index}"))
    with transaction(db) as conn:
        repo.save_answers(conn, audit, answers, "tester")
    return db, root / "checklists", audit.id


def run(long_audit: tuple[str, Path, int], *args: str) -> Result:
    db, checklists, _ = long_audit
    return CliRunner().invoke(cli, ["--db", db, "--checklists", str(checklists), *args])


def toc_numbers(reader: PdfReader) -> dict[str, int]:
    """Title -> page number as printed on the contents pages."""
    numbers: dict[str, int] = {}
    for page in reader.pages[:6]:
        for line in page.extract_text().splitlines():
            found = re.match(r"(.+?)\s*\.{4,}\s*(\d+)$", line.strip())
            if found:
                numbers[found.group(1).strip()] = int(found.group(2))
    return numbers


def outline(reader: PdfReader, items: list[Any] | None = None, depth: int = 0) -> list[Any]:
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += outline(reader, item, depth + 1)
        else:
            out.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))
    return out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_long_report_is_one_whole_pdf(
    long_audit: tuple[str, Path, int],
    tmp_path: Path,
    lang: str,
    keys: pki.Pki,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, _, audit_id = long_audit
    out = tmp_path / "long.pdf"
    # the English one signed: pyHanko's incremental update on the joined file
    signing = ["--sign", str(keys.p12), "--sign-password-env", "AK_TEST_PASSWORD"]
    monkeypatch.setenv("AK_TEST_PASSWORD", pki.PASSWORD)
    args = ["report", str(audit_id), "-o", str(out), "--lang", lang]
    result = run(long_audit, *args, *(signing if lang == "en" else []))
    assert result.exit_code == 0, result.output
    html = tmp_path / "long.html"
    result = run(
        long_audit, "report", str(audit_id), "--format", "html", "--lang", lang, "-o", str(html)
    )
    assert result.exit_code == 0, result.output
    cut = parts.cut(html.read_text(encoding="utf-8"))
    assert cut is not None and len(cut.bodies) >= 3  # it was laid out in parts
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    total = len(reader.pages)
    page_word, of_word = ("Page", "of") if lang == "en" else ("ページ", "/")
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        # every page has its footer with the whole report's count, and from page 2 the header
        assert re.search(rf"{page_word}\s*{number}\s*{of_word}\s*{total}\b", text), (
            number,
            text[-200:],
        )
        if number > 1:
            assert "ながいレポート商事" in text
    # the contents page numbers are where the bookmarks (and the headings) are
    printed = toc_numbers(reader)
    marks = outline(reader)
    assert len(printed) >= QUESTIONS // PER_DOMAIN + 5
    first = {title: page for _, title, page in reversed(marks)}  # the appendix repeats domains
    checked = [(title, page) for title, page in first.items() if title in printed]
    assert len(checked) >= QUESTIONS // PER_DOMAIN + 5
    assert [(t, printed[t]) for t, _ in checked] == checked
    # the outline nests as one document's: sections, then a domain entry each, twice
    top = [title for depth, title, _ in marks if depth == 0]
    assert len(top) == len(set(top)) and len([1 for d, _, _ in marks if d == 1]) >= 2 * (
        QUESTIONS // PER_DOMAIN
    )
    # every link on the contents pages goes to a destination of the joined file
    names = reader.named_destinations
    links = [
        annot.get_object()["/Dest"]
        for page in reader.pages[:6]
        for annot in page.get("/Annots") or []
        if "/Dest" in annot.get_object()
    ]
    assert len(links) > QUESTIONS // PER_DOMAIN and all(str(name) in names for name in links)
    # each part's font subsets under names of their own (the same name for two different
    # subsets lets a printer draw one part's text with the other's glyphs)
    fonts: dict[str, set[int]] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts.setdefault(str(ref.get_object()["/BaseFont"]), set()).add(ref.idnum)
    assert len(fonts) > 3 and all(len(objects) == 1 for objects in fonts.values()), fonts
    # PDF/A-3b with the audit export embedded, as a one-document report
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    exported = tmp_path / "long.json"
    result = run(
        long_audit, "report", str(audit_id), "--format", "json", "--lang", lang, "-o", str(exported)
    )
    assert result.exit_code == 0, result.output
    assert reader.attachments["audit.json"][0] == exported.read_bytes()
    assert reader.metadata is not None and reader.metadata.producer is not None
    assert reader.metadata.producer.startswith("pyHanko" if lang == "en" else "WeasyPrint")
    assert reader.pdf_header == "%PDF-1.7"
    assert f'pdf:Producer="{reader.metadata.producer}"'.encode() in xmp
    if lang == "en":
        # reproducible: verify renders it again, and the signed file is those bytes and the
        # signature's update
        result = run(long_audit, "verify", "--ca-file", str(keys.ca_pem), str(out))
        assert result.exit_code == 0, result.output
        assert f"signed by {keys.signer_name}, intact" in result.output


def test_links_and_stand_in_ids_are_read_as_weasyprint_reads_them() -> None:
    """An id with a character HTML escapes: the link's target is the decoded id, and the stand-in
    page carries it escaped again, so both name the same anchor."""
    cut = parts.Parts("<html><body>", "</body></html>", ('<a href="#a&amp;b&quot;c">x</a>', ""))
    assert cut.links() == {'a&b"c'}
    assert parts.padding(2, {1: ['a&b"c']}) == (
        '<div class="ak-page"></div><div class="ak-page"><span id="a&amp;b&quot;c"></span></div>'
    )
