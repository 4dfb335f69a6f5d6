"""A long report's HTML cut into parts that are laid out one at a time.

weasyprint keeps the layout of every page of a document until it has written the PDF, about
1.3 MiB a page, so a 600-page report would need some 900 MiB at once. Cut into parts of about
PART_BYTES bytes of HTML (some 30 pages), only one part's layout is alive at a time; the
PDFs are then joined (`auditkit.report.assemble`).

The cuts follow the bundled layout (`report.html` and its partials): between the body's sections
and, inside them, between the domains of "Results by domain" (never inside one), between the
entries of the remediation plan, and between the headings and entries of the appendix, each piece
wrapped in its section's (and list's) tags again. Vendor text cannot
fake a cut: every text in the HTML is escaped, so a `<` never comes from it. Each part starts a
page.

The first part holds the cover, the contents and the summary, and is the only one that links
inside the report. It is laid out last, when the later parts' pages are known, followed by as
many empty pages as they have (`padding`), each linked heading's id on the page where that
heading was laid out: the contents page then numbers every entry, and "page X of Y" counts the
whole report. Those empty pages carry the page headers and footers of the later parts' pages,
which are laid out without any (`Parts.document`) and get them painted over when joined. A
report that does not fit these rules (another layout, links elsewhere, a short report) is
rendered as one document, as before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape, unescape

PART_BYTES = 150_000
"""Bytes of HTML (UTF-8) per part, about 30 pages of the bundled layout in either language."""
SPLIT_FROM = 600_000
"""A report whose body is shorter (UTF-8 bytes) is one document, as before: its layout fits in
memory (about 120 pages)."""

_SECTION = re.compile(
    r'\n<(?:section|nav|div) class="(cover|toc|summary|domains|findings|evidence|frameworks|'
    r'methodology|appendix|signoff)"'
)
_FIRST = ("cover", "toc", "summary")
# where each section may be cut: before a domain; before an entry of the remediation plan; before
# a heading or an entry of the appendix (a domain's own entries sit inside its <div>: not there)
_ENTRY = r"|\n    <dt>"
_CUTS = {
    "domains": re.compile(r'\n<div class="domain"'),
    "findings": re.compile(_ENTRY.removeprefix("|")),
    "appendix": re.compile(r"\n  <h2>" + _ENTRY),
}
_LIST_OPEN = '<dl class="entries">'
_LIST_CLOSE = "</dl>"
_LINK = re.compile(r'href="#([^"]+)"')
_MARGINS = (
    "top-left-corner",
    "top-left",
    "top-center",
    "top-right",
    "top-right-corner",
    "right-top",
    "right-middle",
    "right-bottom",
    "bottom-right-corner",
    "bottom-right",
    "bottom-center",
    "bottom-left",
    "bottom-left-corner",
    "left-bottom",
    "left-middle",
    "left-top",
)
_PAGE = ".ak-page { break-before: page; height: 0; margin: 0; padding: 0; border: 0; }"
NO_MARGIN_BOXES = (
    "<style>"
    + _PAGE
    + " @page { "
    + " ".join(f"@{name} {{ content: none; }}" for name in _MARGINS)
    + " } @page :first { "
    + " ".join(f"@{name} {{ content: none; }}" for name in _MARGINS)
    + " }</style>\n"
)
PAGES = "<style>" + _PAGE + "</style>\n"


@dataclass(frozen=True)
class Parts:
    """The report's HTML: what precedes the body's content, what follows it, and the parts."""

    head: str
    tail: str
    bodies: tuple[str, ...]

    def document(self, index: int, padding: str = "") -> str:
        """Part `index` as an HTML document: the first with the page headers and footers and
        `padding` after its content, the others without headers and footers."""
        style = PAGES if index == 0 else NO_MARGIN_BOXES
        return self.head + style + self.bodies[index] + padding + self.tail

    def links(self) -> set[str]:
        """The ids the first part links to (as weasyprint reads them: entities decoded)."""
        return {unescape(target) for target in _LINK.findall(self.bodies[0])}


def cut(html: str, limit: int | None = None, split_from: int | None = None) -> Parts | None:
    """The parts of a long report in the bundled layout, or None: render it as one document.
    `limit` and `split_from` default to PART_BYTES and SPLIT_FROM."""
    limit = PART_BYTES if limit is None else limit
    split_from = SPLIT_FROM if split_from is None else split_from
    start = html.find("<body")
    opened = html.find(">", start) + 1
    closed = html.rfind("</body>")
    if start < 0 or opened <= 0 or closed < opened:
        return None
    head, body, tail = html[:opened], html[opened:closed], html[closed:]
    if _size(body) < split_from:
        return None
    marks = list(_SECTION.finditer(body))
    if [m.group(1) for m in marks[: len(_FIRST)]] != list(_FIRST):
        return None
    bounds = [m.start() for m in marks[len(_FIRST) :]] + [len(body)]
    first = body[: bounds[0]]
    pieces = [p for a, b in itertools.pairwise(bounds) for p in _pieces(body[a:b], limit)]
    later = list(_packed(pieces, limit))
    if not later or any('href="#' in part for part in later):
        return None
    return Parts(head, tail, (first, *later))


def _pieces(section: str, limit: int) -> list[str]:
    """A section, or the section cut before domains, appendix headings and entries into pieces of
    about `limit` bytes, each closed and opened again as the section (and its list) was."""
    if _size(section) <= limit:
        return [section]
    opening = re.match(r'\n?(<section class="([a-z]+)">)', section)
    closing = section.rfind("</section>")
    if opening is None or closing < 0 or opening.group(2) not in _CUTS:
        return [section]
    reopen, inner = opening.group(1), section[opening.end() : closing]
    cuts: list[tuple[int, bool]] = []  # where a piece starts, and whether a list is open there
    scanned, size, in_list = 0, 0, False  # size: bytes since the last cut
    for match in _CUTS[opening.group(2)].finditer(inner):
        at = match.start()
        in_list = _list_open_after(inner[scanned:at], in_list)
        size += _size(inner[scanned:at])
        scanned = at
        if size >= limit:
            cuts.append((at, in_list))
            size = 0
    starts = [(0, False), *cuts]
    ends = [(at, in_list) for at, in_list in cuts] + [(len(inner), False)]
    out = []
    for index, ((begin, reopened), (end, closed)) in enumerate(zip(starts, ends, strict=True)):
        text = (_LIST_OPEN if reopened else "") + inner[begin:end] + (_LIST_CLOSE if closed else "")
        before = section[: opening.end()] if index == 0 else "\n" + reopen
        after = section[closing:] if index == len(cuts) else "</section>\n"
        out.append(before + text + after)
    return out


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _list_open_after(segment: str, was_open: bool) -> bool:
    """Whether a list is open at the end of `segment`, given it was (or not) at its start."""
    opened, closed = segment.rfind(_LIST_OPEN), segment.rfind(_LIST_CLOSE)
    if opened == closed:  # neither
        return was_open
    return opened > closed


def _packed(pieces: Iterable[str], limit: int) -> Iterable[str]:
    """Consecutive pieces joined into parts of at most about `limit` bytes."""
    part, size = "", 0
    for piece in pieces:
        weight = _size(piece)
        if part and size + weight > limit:
            yield part
            part, size = "", 0
        part += piece
        size += weight
    if part:
        yield part


def padding(pages: int, anchors: Mapping[int, Iterable[str]]) -> str:
    """`pages` empty pages after the first part's content, page `i` holding the ids in
    `anchors[i]`: they stand in for the later parts' pages, so that the contents page numbers
    their headings, and carry their page headers and footers."""
    out = []
    for page in range(pages):
        ids = "".join(
            f'<span id="{escape(name)}"></span>' for name in sorted(anchors.get(page, ()))
        )
        out.append(f'<div class="ak-page">{ids}</div>')
    return "".join(out)


@dataclass
class Rendered:
    """One part as written by weasyprint: its PDF, how many of its pages belong to the report
    (the first part's padding pages do not), and each page's height (CSS pixels) and bookmarks
    (`weasyprint.Page.bookmarks`: level, label, (x, y) in CSS pixels, state)."""

    pdf: bytes
    pages: int
    heights: list[float] = field(default_factory=list)
    bookmarks: list[list[tuple[int, str, tuple[float, float], str]]] = field(default_factory=list)
    anchors: list[set[str]] = field(default_factory=list)
    """The ids laid out on each page."""
