"""`auditkit report`, `verify`, `doctor`: thin wrappers over auditkit.report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.settings import (
    Settings,
    jobs_option,
    json_option,
    pass_settings,
    print_json,
    style,
)
from auditkit.errors import ExitStatus
from auditkit.gc_pause import collector_paused
from auditkit.models.message import Message

if TYPE_CHECKING:
    from auditkit.report.signing import SigningIdentity

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
@click.option(
    "--force",
    is_flag=True,
    help="With --all: render every report, even those unchanged since the last run.",
)
@jobs_option
@click.option(
    "--sign",
    "p12",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sign the PDF (PAdES) with this PKCS#12 key and certificate (.p12/.pfx).",
)
@click.option(
    "--sign-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sign with this private key (PEM/DER); needs --sign-cert.",
)
@click.option(
    "--sign-cert",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The signer's certificate (PEM: the certificate, then its chain).",
)
@click.option(
    "--sign-password-env",
    metavar="VAR",
    help="Environment variable holding the key's password (else asked on a terminal).",
)
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
    force: bool,
    jobs: int,
    p12: Path | None,
    sign_key: Path | None,
    sign_cert: Path | None,
    sign_password_env: str | None,
) -> None:
    """Render an audit's due-diligence report (PDF/A-3b with its data embedded, HTML or JSON).

    With --sign (or --sign-key and --sign-cert) the PDF gets a PAdES signature, appended after
    the reproducible report bytes."""
    chosen = lang or settings.lang
    signer = _signer(settings, p12, sign_key, sign_cert, sign_password_env)
    if all_vendors:
        if audit_id is not None or out is not None or out_dir is None:
            raise click.UsageError("--all takes --out-dir DIR and no AUDIT_ID or -o")
        if signer is not None:
            raise click.UsageError("--sign works on one report, not with --all")
        _batch(settings, out_dir, fmt, chosen, org_dir, jobs, force)
        return
    if audit_id is None or out is None:
        raise click.UsageError("give AUDIT_ID and -o FILE (or --all --out-dir DIR)")
    with collector_paused():  # the imports, reading and rendering make little cyclic garbage
        data = settings.workspace.reports.write(
            audit_id,
            out,
            fmt,
            chosen,  # type: ignore[arg-type]
            org_dir,
            signer=signer,
        )
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    size = f"{len(data):,}"
    if signer:
        said = settings.words.cli(
            "report_wrote_signed", path=str(out), size=size, signer=signer.subject, sha=digest
        )
    else:
        said = settings.words.cli("report_wrote", path=str(out), size=size, sha=digest)
    click.echo(said)


def _signer(
    settings: Settings,
    p12: Path | None,
    key: Path | None,
    cert: Path | None,
    password_env: str | None,
) -> SigningIdentity | None:
    if p12 is None and key is None and cert is None:
        if password_env:
            raise click.UsageError("--sign-password-env goes with --sign or --sign-key")
        return None
    if p12 is not None and (key or cert):
        raise click.UsageError("give --sign KEY.p12, or --sign-key and --sign-cert, not both")
    if p12 is None and not (key and cert):
        raise click.UsageError("--sign-key and --sign-cert go together")
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if password is None:
            raise click.UsageError(f"environment variable {password_env} is not set")
    elif sys.stdin.isatty():
        password = click.prompt(
            settings.words.cli("sign_password", path=str(p12 or key)),
            hide_input=True,
            default="",
            show_default=False,
        )
    return settings.workspace.reports.signer(p12, key, cert, password or None)


def _batch(
    settings: Settings,
    out_dir: Path,
    fmt: str,
    lang: str,
    org_dir: Path | None,
    jobs: int,
    force: bool,
) -> None:
    from auditkit.services import batch

    out_dir.mkdir(parents=True, exist_ok=True)
    checklists = settings.checklists  # fail fast on broken checklists before starting workers
    work = batch.latest_jobs(settings.db_url, out_dir, fmt, lang, org_dir, settings.checklist_dirs)  # type: ignore[arg-type]
    summary = batch.BatchSummary()
    label = settings.words.cli("rendering")
    with click.progressbar(length=len(work), label=label, file=sys.stderr) as bar:
        for result in batch.run_cached(work, checklists, jobs, force):
            summary.add(result)
            bar.update(1)
    said = summary.line(settings.words)
    click.echo(settings.words.cli("batch_done", summary=said, count=len(work), path=str(out_dir)))
    for failed in summary.failed_said:
        click.echo(settings.words.cli("error", text=settings.words.render(failed)), err=True)
    if summary.failed:
        raise click.exceptions.Exit(int(ExitStatus.ERROR))


@click.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@templates_option
@click.option("--standalone", is_flag=True, help="Check the report alone, without any database.")
@click.option(
    "--ca-file",
    "--trust",
    "ca_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust root(s) for the signer's certificate (PEM or DER).",
)
@json_option
@pass_settings
def verify(
    settings: Settings,
    pdf: Path,
    org_dir: Path | None,
    standalone: bool,
    ca_file: Path | None,
    as_json: bool,
) -> None:
    """Check a report and say what it proves: "signed by X, intact" (a valid signature covering
    the whole file, from a certificate under --ca-file), "matches the database", or
    "self-consistent only (unsigned, not authenticated)".

    Every report must be intact: embedded data, recomputed score and re-rendered pages agree.
    Exit 0 for the first two outcomes; exit 7 for self-consistent only, or with a one-line
    reason when any check fails (also when the audit is missing from the database).
    """
    if sys.stderr.isatty():  # a person is waiting; scripts and pipes get clean output
        click.echo(settings.words.cli("verifying", path=str(pdf)), err=True)
    result = settings.workspace.reports.verify(
        pdf, org_dir, standalone=standalone, trust_file=ca_file
    )
    words = settings.words
    if as_json:
        print_json(result.as_dict(words))
    else:
        click.echo(f"sha256 {result.sha256}  {pdf}")
        for check in result.checks_said:
            click.echo(words.cli("check_ok", check=words.render(check)))
        colour = "green" if result.ok else "yellow"
        click.echo(style(f"{result.report_id}: {words.render(result.said)}", fg=colour))
    if not result.ok:
        raise click.exceptions.Exit(int(ExitStatus.VERIFY_FAILED))


@click.command()
@json_option
@pass_settings
def doctor(settings: Settings, as_json: bool) -> None:
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
            {
                "checks": checks,
                "fonts": [str(f.path) for f in found],
                "font_dirs": [str(d) for d in fonts.font_dirs()],
                "ok": all(checks.values()),
            }
        )
    else:
        words = settings.words
        for name, ok in checks.items():
            mark = style("ok", fg="green") if ok else style(words.cli("doctor_missing"), fg="red")
            click.echo(f"{mark:>7}  {name}: {words.cli(f'doctor_{name}')}")
        for font in found:
            said = words.cli("doctor_font", family=font.family, weight=font.weight)
            click.echo(f"         {said}: {font.path}")
        if not checks["cjk_font"]:
            click.echo(words.render(Message.of("no_cjk_font")))
    if not all(checks.values()):
        raise click.exceptions.Exit(int(ExitStatus.ERROR))


report_commands: list[click.Command] = [report, verify, doctor]
