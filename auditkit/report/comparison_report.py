"""The comparison report: PDF (PDF/A-3b, the comparison JSON embedded), HTML or JSON, rendered
with the audit report's environment, fonts, URL fetcher and safety rules."""

from __future__ import annotations

from pathlib import Path

from auditkit import catalogue
from auditkit.comparison import Comparison
from auditkit.errors import NotFound, ValidationProblem
from auditkit.models.common import Lang
from auditkit.report import audit_data, comparison_context
from auditkit.report.environment import build_environment
from auditkit.report.renderers import theme

TEMPLATE = "comparison.html"
ATTACHMENT = ("comparison.json", "auditkit vendor comparison (canonical JSON)")
FORMATS = ("pdf", "html", "json")


def html(comparison: Comparison, lang: Lang, org_dir: Path | None = None) -> str:
    context = comparison_context.build(comparison, catalogue.load(lang, org_dir), theme(org_dir))
    return build_environment(org_dir).get_template(TEMPLATE).render(report=context)


def render(
    comparison: Comparison, fmt: str, lang: Lang = "en", org_dir: Path | None = None
) -> bytes:
    """The comparison in one format, as bytes."""
    if fmt not in FORMATS:
        raise ValidationProblem([f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}"])
    if org_dir is not None and not org_dir.is_dir():
        raise NotFound(f"{org_dir}: template directory does not exist")
    json_bytes = audit_data.dumps(comparison_context.document(comparison))
    if fmt == "json":
        return json_bytes
    page = html(comparison, lang, org_dir)
    if fmt == "html":
        return page.encode("utf-8")
    from auditkit.report import pdf  # weasyprint is imported here and nowhere else

    moment = comparison_context.moment(comparison)
    return pdf.render(page, json_bytes, moment, org_dir, ATTACHMENT)
