"""PDF/A-3b rendering with weasyprint: reproducible bytes, the audit JSON embedded.

The only module that imports weasyprint (`auditkit --help` must stay fast).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import weasyprint

from auditkit.gc_pause import collector_paused
from auditkit.report import parts
from auditkit.report.environment import template_dirs
from auditkit.report.fetcher import AssetFetcher
from auditkit.report.fonts import resolve

ATTACHMENT_NAME = "audit.json"
DESCRIPTION = "auditkit audit export (canonical JSON)"
PDF_VARIANT = "pdf/a-3b"
COLOURS_ONLY = frozenset({"_theme.css"})
logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused URLs are expected, not news


def fetcher(org_dir: Path | None) -> AssetFetcher:
    """Fonts resolved by fonts.py, plus the `assets/` directories of the template dirs."""
    return AssetFetcher([f.path for f in resolve()], [d / "assets" for d in template_dirs(org_dir)])


def base_url(org_dir: Path | None) -> str:
    """Relative URLs resolve inside the bundled assets directory (and nowhere else)."""
    return template_dirs(None)[0].joinpath("assets").resolve().as_uri() + "/"


def options(
    json_bytes: bytes,
    moment: dt.datetime,
    url_fetcher: AssetFetcher,
    name: str = ATTACHMENT_NAME,
    description: str = DESCRIPTION,
) -> dict[str, Any]:
    """The write_pdf options: fixed identifier and dates, the export attached as its source."""
    naive = moment.astimezone(dt.UTC).replace(tzinfo=None)
    attachment = weasyprint.Attachment(
        string=json_bytes,
        name=name,
        description=description,
        created=naive,
        modified=naive,
        relationship="Source",
        url_fetcher=url_fetcher,
    )
    return {
        "pdf_variant": PDF_VARIANT,
        "attachments": [attachment],
        "pdf_identifier": hashlib.sha256(json_bytes).hexdigest()[:32].encode(),
        "presentational_hints": False,
        "optimize_images": False,
    }


@contextmanager
def source_date_epoch(moment: dt.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to the audit's date while rendering (for any library reading it)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def render(
    html: str,
    json_bytes: bytes,
    moment: dt.datetime,
    org_dir: Path | None,
    attachment: tuple[str, str] = (ATTACHMENT_NAME, DESCRIPTION),
) -> bytes:
    """`attachment`: the embedded JSON's file name and description."""
    url_fetcher = fetcher(org_dir)
    written = options(json_bytes, moment, url_fetcher, *attachment)
    pieces = None if overrides_layout(org_dir) else parts.cut(html)
    with source_date_epoch(moment), collector_paused():
        if pieces is not None:
            return _in_parts(pieces, written, base_url(org_dir), url_fetcher)
        document = weasyprint.HTML(string=html, base_url=base_url(org_dir), url_fetcher=url_fetcher)
        pdf: bytes = document.write_pdf(**written)
    return pdf


def overrides_layout(org_dir: Path | None) -> bool:
    """Whether an organisation's template directory replaces a template or style sheet other
    than the colours (then a long report is not cut into parts: the cuts follow the bundled
    layout). Its logo, labels and colours change nothing the cuts rely on."""
    if org_dir is None:
        return False
    bundled = template_dirs(None)[0]
    return any(
        (org_dir / path.name).exists()
        for path in bundled.iterdir()
        if path.is_file() and path.name not in COLOURS_ONLY
    )


def _in_parts(
    pieces: parts.Parts, written: dict[str, Any], base: str, url_fetcher: AssetFetcher
) -> bytes:
    """A long report laid out part by part, only one part's layout in memory at a time (see
    `auditkit.report.parts`); the first part last, when the pages of the others are known."""
    from auditkit.report import assemble  # pypdf: only long reports need it

    plain = written | {"attachments": []}
    later = [
        _part(pieces.document(i), plain, base, url_fetcher) for i in range(1, len(pieces.bodies))
    ]
    wanted = pieces.links()
    anchors: dict[int, list[str]] = {}
    pages = 0
    for part in later:
        for number, names in enumerate(part.anchors):
            anchors.setdefault(pages + number, []).extend(names & wanted)
        pages += part.pages
    first = _part(pieces.document(0, parts.padding(pages, anchors)), written, base, url_fetcher)
    first.pages -= pages
    for number, names in enumerate(first.anchors[first.pages :]):
        if names != set(anchors.get(number, ())):
            raise RuntimeError("the contents page's stand-in pages did not keep their places")
    return assemble.join([first, *later])


def _part(
    html: str, written: dict[str, Any], base: str, url_fetcher: AssetFetcher
) -> parts.Rendered:
    """One part laid out and written; its layout released before the next is laid out."""
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=url_fetcher).render(
        **written
    )
    rendered = parts.Rendered(
        document.write_pdf(**written),
        len(document.pages),
        [page.height for page in document.pages],
        [list(page.bookmarks) for page in document.pages],
        [set(page.anchors) for page in document.pages],
    )
    del document
    gc.collect()  # the layout's boxes and styles hold each other in cycles
    return rendered
