"""`auditkit report`, `verify`, `doctor`: thin wrappers over auditkit.report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditkit.cli.settings import (
    Settings,
    jobs_option,
    json_option,
    pass_settings,
    print_json,
    style,
)
from auditkit.errors import AuditkitError, ExitStatus

FORMATS = ("pdf", "html", "json")
templates_option = click.option(
    "--templates",
    "org_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Organisation template directory: overrides single templates, logo (assets/) and colours.",
)


@click.command()
@click.argument("audit_id", type=int, required=False)
@click.option(
    "-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), help="Output file."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    default=None,
    help="Report language (default: --lang of auditkit).",
)
@templates_option
@click.option(
    "--all", "all_vendors", is_flag=True, help="Every vendor's latest audit (needs --out-dir)."
)
@click.option(
    "--out-dir", type=click.Path(file_okay=False, path_type=Path), help="Directory for --all."
)
@jobs_option
@pass_settings
def report(
    settings: Settings,
    audit_id: int | None,
    out: Path | None,
    fmt: str,
    lang: str | None,
    org_dir: Path | None,
    all_vendors: bool,
    out_dir: Path | None,
    jobs: int,
) -> None:
    """Render an audit's due-diligence report (PDF/A-3b with its data embedded, HTML or JSON)."""
    chosen = lang or settings.lang
    if all_vendors:
        if audit_id is not None or out is not None or out_dir is None:
            raise click.UsageError("--all takes --out-dir DIR and no AUDIT_ID or -o")
        _batch(settings, out_dir, fmt, chosen, org_dir, jobs)
        return
    if audit_id is None or out is None:
        raise click.UsageError("give AUDIT_ID and -o FILE (or --all --out-dir DIR)")
    data = settings.workspace.reports.write(audit_id, out, fmt, chosen, org_dir)  # type: ignore[arg-type]
    click.echo(f"wrote {out} ({len(data):,} bytes)")


def _batch(
    settings: Settings, out_dir: Path, fmt: str, lang: str, org_dir: Path | None, jobs: int
) -> None:
    from auditkit.services import batch

    out_dir.mkdir(parents=True, exist_ok=True)
    settings.checklists  # noqa: B018 - fail fast on broken checklists before starting workers
    work = batch.latest_jobs(settings.db_url, out_dir, fmt, lang, org_dir, settings.checklist_dirs)  # type: ignore[arg-type]
    failed: list[str] = []
    with click.progressbar(length=len(work), label="rendering", file=sys.stderr) as bar:
        for result in batch.run_all(work, jobs):
            if result.error:
                failed.append(f"audit {result.job.audit_id}: {result.error}")
            bar.update(1)
    click.echo(f"wrote {len(work) - len(failed)} of {len(work)} reports to {out_dir}")
    if failed:
        raise AuditkitError("; ".join(failed))


@click.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@templates_option
@json_option
@pass_settings
def verify(settings: Settings, pdf: Path, org_dir: Path | None, as_json: bool) -> None:
    """Check a report: embedded data intact, equal to the stored audit, pages re-render identically.

    Exit code 7 with a one-line reason when any check fails.
    """
    click.echo(settings.words.cli("verifying", path=str(pdf)), err=True)
    result = settings.workspace.reports.verify(pdf, org_dir)
    if as_json:
        print_json(result.as_dict())
        return
    click.echo(f"sha256 {result.sha256}  {pdf}")
    for check in result.checks:
        click.echo(f"ok: {check}")
    if result.mode == "standalone":
        click.echo(f"note: audit {result.audit_id} is not in this database; verified standalone")
    click.echo(style(f"verified {result.report_id}", fg="green"))


@click.command()
@json_option
def doctor(as_json: bool) -> None:
    """Check the report prerequisites: fonts (Latin and CJK) and HarfBuzz subsetting."""
    from auditkit.report import fonts

    found = fonts.resolve()
    checks = {
        "harfbuzz_subset": fonts.harfbuzz_subset_available(),
        "cjk_font": fonts.has_cjk(),
        "latin_font": any(f.family == fonts.LATIN_FAMILY for f in found),
    }
    if as_json:
        print_json(
            {"checks": checks, "fonts": [str(f.path) for f in found], "ok": all(checks.values())}
        )
    else:
        hints = {
            "harfbuzz_subset": "libharfbuzz-subset.so.0 (Debian: libharfbuzz-subset0); "
            "without it PDFs are slow",
            "cjk_font": "Noto Sans CJK (Debian: fonts-noto-cjk); needed for --lang ja",
            "latin_font": "DejaVu Sans (Debian: fonts-dejavu-core)",
        }
        for name, ok in checks.items():
            mark = style("ok", fg="green") if ok else style("missing", fg="red")
            click.echo(f"{mark:>7}  {name}: {hints[name]}")
        for font in found:
            click.echo(f"         font: {font.family} {font.weight}: {font.path}")
    if not all(checks.values()):
        raise click.exceptions.Exit(int(ExitStatus.ERROR))


report_commands: list[click.Command] = [report, verify, doctor]
