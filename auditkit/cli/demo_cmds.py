"""`auditkit demo`: three candidate vendors, scored, with their PDF reports."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import cast

import click

from auditkit.cli.settings import Settings, jobs_option, pass_settings
from auditkit.models.lang import LANGS, Lang


@click.command()
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="demo-reports",
    show_default=True,
    help="Folder for the demo database and the PDF reports.",
)
@click.option(
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(["en", "ja"]),
    help="Report language(s) (default: both).",
)
@click.option("--force", is_flag=True, help="Render every report, even those unchanged.")
@jobs_option
@pass_settings
def demo(settings: Settings, out_dir: Path, langs: tuple[str, ...], force: bool, jobs: int) -> None:
    """Create a demo database with three EC-operations vendors and render their reports.

    The vendors: a strong one (approve), one with gaps (approve with conditions), one that
    fails knock-out controls (reject). The demo always uses its own database, OUT_DIR/demo.db,
    made anew each time; it never touches --db or AUDITKIT_DB.
    """
    from auditkit.services import demo as run

    chosen = cast(tuple[Lang, ...], langs) or LANGS
    words = settings.words
    click.echo(words.cli("demo_seeding", count=3 * len(chosen)), err=True)
    url, audit_ids, written, summary = run.run(
        out_dir,
        settings.checklists,
        chosen,
        jobs,
        progress=lambda r: click.echo(
            words.cli("demo_unchanged" if r.skipped else "demo_wrote", path=str(r.job.out)),
            err=True,
        ),
        force=force,
    )
    click.echo(summary.line(words), err=True)
    path = url.removeprefix("sqlite:///")
    click.echo(words.cli("demo_database", path=path))
    for report in written:
        click.echo(words.cli("demo_report", path=str(report)))
    hint = shlex.join([invoked_as(), "--db", path, "audit", "score", str(audit_ids[-1])])
    click.echo(words.cli("demo_next", command=hint))


def invoked_as(argv0: str | None = None) -> str:
    """The command as the user typed it (`.venv/bin/auditkit` stays a path that works)."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    if Path(argv0).name != "auditkit":
        return "auditkit"  # e.g. python -m auditkit
    on_path = shutil.which("auditkit")
    if on_path is not None and Path(on_path).resolve() == Path(argv0).resolve():
        return "auditkit"
    return argv0
