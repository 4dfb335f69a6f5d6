"""`auditkit compare`: candidate vendors side by side (table, JSON or a comparison report)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.choices import SERVICES
from auditkit.cli.settings import (
    Settings,
    json_option,
    pass_settings,
    print_json,
    safe,
    table,
)
from auditkit.cli.settings import columns as columns_of

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue
    from auditkit.comparison import Comparison

FORMATS = ("pdf", "html", "json")


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def comparison_table(comparison: Comparison, words: Catalogue | None = None) -> str:
    """The terminal view: a legend of the candidates, then one column per candidate."""
    from auditkit import catalogue
    from auditkit.comparison import SEVERITIES
    from auditkit.report.comparison_context import candidate_key

    w = words or catalogue.load("en")
    columns = comparison.columns
    keys = [candidate_key(i) for i in range(len(columns))]
    lines = [
        w.cli(
            "compare_legend_draft" if c.draft else "compare_legend",
            name=k,
            vendor=safe(c.vendor),
            audit=c.audit_id,
            status=c.status,
            day=c.as_of.isoformat(),
        )
        for k, c in zip(keys, columns, strict=True)
    ]
    rows: list[list[str]] = [
        [w.cli("compare_tier"), *(str(c.tier) for c in columns)],
        [w.cli("compare_overall"), *(_score(c.overall) for c in columns)],
    ]
    if comparison.versions:
        rows.append([w.cli("compare_shared"), *(_score(c.shared_overall) for c in columns)])
    rows += [
        [
            w.cli("compare_rating"),
            *(w.cli("compare_rating_value", value=c.rating) for c in columns),
        ],
        [
            w.cli("compare_recommendation"),
            *(w.cli("compare_decision_value", value=c.recommendation) for c in columns),
        ],
        [w.cli("compare_knockouts"), *(str(len(c.knockouts)) for c in columns)],
        *(
            [w.cli("compare_open", severity=s), *(str(c.findings[s]) for c in columns)]
            for s in SEVERITIES
        ),
        [w.cli("compare_gaps"), *(str(len(c.evidence_gaps)) for c in columns)],
        *(
            [w.cli("compare_domain", domain=d), *(_score(c.domains.get(d)) for c in columns)]
            for d in comparison.domains
        ),
    ]
    lines += ["", table(rows, ["", *keys])]
    for note in comparison.versions:
        versions = ", ".join(f"{k} v{v}" for k, v in zip(keys, note.versions, strict=True) if v)
        lines.append(
            w.cli(
                "compare_versions_note",
                checklist=note.checklist_id,
                versions=versions,
                shared=note.shared,
                total=note.total,
            )
        )
    if comparison.differences:
        diff_rows = [
            [
                w.cli("compare_knockout_question", question=d.question_id)
                if d.critical
                else d.question_id
            ]
            + [f"{d.spread * 100:.0f}"]
            + [
                "-"
                if cell is None
                else w.cli("compare_cell", status=cell[0], score=_score(_pct(cell[1])))
                for cell in d.cells
            ]
            for d in comparison.differences
        ]
        lines += ["", w.cli("compare_differ"), table(diff_rows, [*columns_of(w, "compare"), *keys])]
    for key, c in zip(keys, columns, strict=True):
        for question_id in c.knockouts:
            lines.append(w.cli("compare_failed_knockout", name=key, question=question_id))
    for key, c in zip(keys, columns, strict=True):
        for question_id, why in c.evidence_gaps:
            lines.append(w.cli("compare_gap", name=key, question=question_id, why=why))
    return "\n".join(lines)


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


@click.command()
@click.argument("vendor_refs", metavar="[VENDOR]...", nargs=-1)
@click.option(
    "--audit", "audit_ids", type=int, multiple=True, help="Compare this audit (repeatable)."
)
@click.option("--service", type=click.Choice(SERVICES), help="Every vendor offering this service.")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a comparison report (PDF unless --format says otherwise).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default=None,
    help="Report language (default: --lang of auditkit).",
)
@click.option(
    "--templates",
    "org_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Organisation template directory: overrides single templates, logo and colours.",
)
@json_option
@pass_settings
def compare(
    settings: Settings,
    vendor_refs: tuple[str, ...],
    audit_ids: tuple[int, ...],
    service: str | None,
    out: Path | None,
    fmt: str,
    lang: str | None,
    org_dir: Path | None,
    as_json: bool,
) -> None:
    """Candidate vendors side by side, each by its latest final audit (else its latest draft).

    Give vendors (id or name), audits (--audit ID) or --service to take every vendor offering
    that service.
    """
    from auditkit.comparison import comparison_dict

    ws = settings.workspace
    found = ws.compare(vendor_refs, audit_ids, service)
    if out is not None:
        written = ws.reports.write_comparison(found, out, fmt, lang or settings.lang, org_dir)  # type: ignore[arg-type]
        said = settings.words.cli("wrote_bytes", path=str(out), size=len(written))
        click.echo(said, err=as_json)
    if as_json:
        print_json(comparison_dict(found))
    elif out is None:
        click.echo(comparison_table(found, settings.words))
