"""The renderer registry: one entry per output format, each turning a `ReportInput` into bytes."""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment

from auditkit import catalogue
from auditkit.errors import AuditkitError, NotFound, ValidationProblem
from auditkit.models.common import Lang
from auditkit.report import audit_data, charts, fonts
from auditkit.report.audit_data import ReportInput
from auditkit.report.build import build_context, report_moment
from auditkit.report.environment import build_environment, template_dirs
from auditkit.report.template_context import FontFace, ReportContext, Theme

MAIN_TEMPLATE = "report.html"
MAX_EMBEDDED_FONT = 2 * 1024 * 1024
LOGO_NAMES = ("logo.svg", "logo.png")


@dataclass(frozen=True)
class Prepared:
    """The stages of one report, kept so callers (and benchmarks) can use any of them."""

    document: dict[str, Any]
    json_bytes: bytes
    context: ReportContext
    html: str


def theme(org_dir: Path | None, embed: bool = False) -> Theme:
    """Fonts and logo as file URLs for the PDF renderer's fetcher, or, with `embed`, as
    data: URIs so an HTML report stands on its own (no file:// links). Fonts larger than
    MAX_EMBEDDED_FONT (the CJK collections, about 20 MB each) are not embedded: the browser
    then uses the installed font of the same family name."""
    logo = next(
        (
            d / "assets" / n
            for d in template_dirs(org_dir)
            for n in LOGO_NAMES
            if (d / "assets" / n).is_file()
        ),
        None,
    )
    faces = [FontFace(family=f.family, weight=f.weight, url=f.url) for f in fonts.resolve()]
    colours = charts.colours(template_dirs(org_dir))
    if not embed:
        return Theme(
            fonts=faces, logo_url=logo.resolve().as_uri() if logo else None, colours=colours
        )
    embedded = [
        face.model_copy(update={"url": data_uri(Path(url2pathname(urlsplit(face.url).path)))})
        for face in faces
        if Path(url2pathname(urlsplit(face.url).path)).stat().st_size <= MAX_EMBEDDED_FONT
    ]
    return Theme(fonts=embedded, logo_url=data_uri(logo) if logo else None, colours=colours)


def data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@lru_cache(maxsize=8)
def environment(org_dir: Path | None) -> Environment:
    """One environment per template set and process, so a batch compiles each template once.

    Templates are checked for changes on each use (Jinja's auto-reload), so a long-lived process
    never renders from an edited organisation template's stale compiled form.
    """
    env = build_environment(org_dir)
    env.auto_reload = True
    return env


def render_template(context: ReportContext, org_dir: Path | None) -> str:
    template = environment(org_dir).get_template(MAIN_TEMPLATE)
    return template.render(report=context)


def without_cjk(full: Theme) -> Theme:
    """The theme without the CJK font faces (each a collection of about 20 MB to load)."""
    return full.model_copy(
        update={"fonts": [f for f in full.fonts if f.family != fonts.CJK_FAMILY]}
    )


def prepare(
    data: ReportInput, lang: Lang, org_dir: Path | None = None, embed: bool = False
) -> Prepared:
    """The export, context and HTML of one report.

    The CJK font faces are declared only when the HTML holds a character that needs them
    (Japanese labels, or CJK text in any answer, name or template): the page is rendered
    without them first, and again with them when it does.
    """
    doc = audit_data.document(data, lang)
    full = theme(org_dir, embed)
    latin = without_cjk(full)
    report_id = doc[audit_data.REPORT_KEY]["id"]
    context = build_context(data, report_id, catalogue.load(lang, org_dir), latin)
    html = render_template(context, org_dir)
    if latin.fonts != full.fonts and fonts.contains_cjk(html):
        context = context.model_copy(update={"theme": full})
        html = render_template(context, org_dir)
    return Prepared(doc, audit_data.dumps(doc), context, html)


def render_json(data: ReportInput, lang: Lang, org_dir: Path | None = None) -> bytes:
    return audit_data.dumps(audit_data.document(data, lang))


def render_html(data: ReportInput, lang: Lang, org_dir: Path | None = None) -> bytes:
    return prepare(data, lang, org_dir, embed=True).html.encode("utf-8")


def render_pdf(data: ReportInput, lang: Lang, org_dir: Path | None = None) -> bytes:
    from auditkit.report import pdf  # weasyprint is imported here and nowhere else

    prepared = prepare(data, lang, org_dir)
    if fonts.missing_glyphs(prepared.html) is not None:  # never a PDF of empty boxes
        raise catalogue.error(AuditkitError, "no_cjk_font")
    html, json_bytes = prepared.html, prepared.json_bytes
    del prepared  # the export's dict and the template context are not kept through the layout
    return pdf.render(html, json_bytes, report_moment(data.state.audit), org_dir)


Renderer = Callable[[ReportInput, Lang, Path | None], bytes]
RENDERERS: dict[str, Renderer] = {"pdf": render_pdf, "html": render_html, "json": render_json}
FORMATS = tuple(RENDERERS)


def render(data: ReportInput, fmt: str, lang: Lang, org_dir: Path | None = None) -> bytes:
    """The report in one format, as bytes."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise ValidationProblem(
            [f"unknown report format {fmt!r}; expected one of {', '.join(RENDERERS)}"]
        )
    if org_dir is not None and not org_dir.is_dir():
        raise NotFound(f"{org_dir}: template directory does not exist")
    return renderer(data, lang, org_dir)
