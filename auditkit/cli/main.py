"""`auditkit` entry point: global options, error handling, command registration."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditkit import __version__
from auditkit.cli import click_words
from auditkit.cli.settings import Settings
from auditkit.errors import AuditkitError, ExitStatus, ValidationProblem
from auditkit.models.message import Message

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue


class AuditkitGroup(click.Group):
    """Turns library errors into one-line messages and documented exit codes, and has Click
    speak the command line's language."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, **extra: Any
    ) -> Any:
        given = list(sys.argv[1:] if args is None else args)
        lang = click_words.language(given, os.environ.get("AUDITKIT_LANG", "en"))
        click_words.speak(_table(lang, "click"))
        click_words.speak_help(self, _table(lang, "help"))
        return super().main(given, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AuditkitError as exc:
            words = _words(ctx)
            for line in _lines(words, exc) or [type(exc).__name__]:
                click.echo(words.cli("error", text=line), err=True)
            ctx.exit(int(exc.exit_status))
        except KeyboardInterrupt:
            click.echo(_words(ctx).cli("interrupted"), err=True)
            ctx.exit(130)


def _lines(words: Catalogue, exc: AuditkitError) -> list[str]:
    """What the error says, line by line, in the catalogue's language."""
    if isinstance(exc, ValidationProblem):
        return [line for m in exc.said_lines for line in words.render(m).splitlines()]
    said = words.render(exc.said) if isinstance(exc.said, Message) else str(exc)
    return said.splitlines()


def _table(lang: str, table: str) -> dict[str, str]:
    """Click's messages or the commands' help in `lang`, keyed by the English text (none for
    English, the source's own, or an unknown language)."""
    if lang != "ja":
        return {}
    from auditkit import catalogue

    return catalogue.load("ja").tables[table]


def _words(ctx: click.Context) -> Catalogue:
    """The catalogue in the language the command was given (English before parsing)."""
    from auditkit import catalogue

    settings = ctx.find_object(Settings)
    return catalogue.load(settings.lang if settings else "en")


@click.group(cls=AuditkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditkit")
@click.option(
    "--db",
    "db_url",
    envvar="AUDITKIT_DB",
    metavar="URL",
    help="Database URL or SQLite file path (default: auditkit.db in the user data directory).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "ja"]),
    envvar="AUDITKIT_LANG",
    default="en",
    show_default=True,
    help="Language of questions and text output.",
)
@click.option(
    "--checklists",
    "checklist_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="AUDITKIT_CHECKLISTS",
    help="Extra directory of user checklists (repeatable).",
)
@click.option(
    "--as", "actor", default=None, envvar="AUDITKIT_USER", help="Name recorded in the change log."
)
@click.pass_context
def cli(
    ctx: click.Context,
    db_url: str | None,
    lang: str,
    checklist_dirs: tuple[Path, ...],
    actor: str | None,
) -> None:
    """Security due diligence for outsourced vendors: questionnaires, scoring, reports.

    Exit codes: 0 ok, 1 error, 2 usage, 3 invalid data, 4 not found,
    5 conflict (e.g. final audit), 6 storage, 7 verification failed.
    """
    import getpass

    try:
        who = actor or getpass.getuser()
    except (KeyError, OSError):
        who = "auditkit"
    ctx.obj = Settings(db_url=db_url, lang=lang, checklist_dirs=checklist_dirs, actor=who)  # type: ignore[arg-type]


def _register() -> None:
    from auditkit.cli import (
        audit_cmds,
        audit_history_cmds,
        checklist_cmds,
        compare_cmds,
        demo_cmds,
        due_cmds,
        evidence_cmds,
        exchange_cmds,
        findings_cmds,
        global_options,
        log_cmds,
        probe_cmds,
        report_cmds,
        show_cmds,
        signoff_cmds,
        standards_cmds,
        vendor_cmds,
    )

    for command in (
        *audit_history_cmds.history_commands,
        *exchange_cmds.exchange_audit_commands,
        *signoff_cmds.signoff_commands,
        evidence_cmds.verify_answer,
        show_cmds.show,
    ):
        audit_cmds.audit.add_command(command)
    findings_cmds.findings.add_command(exchange_cmds.findings_export)
    checklist_cmds.checklist.add_command(standards_cmds.convert)
    for group in (
        checklist_cmds.checklist,
        vendor_cmds.vendor,
        audit_cmds.audit,
        findings_cmds.findings,
        evidence_cmds.evidence,
    ):
        cli.add_command(group)
    cli.add_command(due_cmds.due)
    cli.add_command(compare_cmds.compare)
    cli.add_command(demo_cmds.demo)
    cli.add_command(log_cmds.log)
    cli.add_command(probe_cmds.probe)
    for command in report_cmds.report_commands:
        cli.add_command(command)
    global_options.accept_everywhere(cli)


_register()


def main() -> None:
    """The `auditkit` process (tests call `cli` and keep collecting garbage as usual)."""
    from auditkit.gc_pause import skip_final_collection

    try:
        cli(prog_name="auditkit")
    finally:
        skip_final_collection()


__all__ = ["ExitStatus", "cli", "main"]
