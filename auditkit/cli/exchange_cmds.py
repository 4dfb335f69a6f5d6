"""Exchange files: `audit export|import|schema` and `findings export`.

Register with ``audit.add_command(c) for c in exchange_audit_commands`` and
``findings.add_command(findings_export)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.settings import Settings, json_option, pass_settings, print_json, safe
from auditkit.models.lang import Lang

if TYPE_CHECKING:
    from auditkit.exchange.importer import Change, ImportResult

LANG = click.Choice(["en", "ja"])
SHOWN = 60


def _lang(settings: Settings, lang: str | None) -> Lang:
    chosen = lang or settings.lang
    return "ja" if chosen == "ja" else "en"


@click.command("export")
@click.argument("audit_id", type=int)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write (.xlsx, .yaml, .yml or .json).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "yaml", "json"]),
    help="File format (default: from the file name).",
)
@click.option("--lang", type=LANG, help="Language of the questions (default: the global --lang).")
@click.option("--blank", is_flag=True, help="Leave answers empty instead of prefilling them.")
@json_option
@pass_settings
def export(
    settings: Settings,
    audit_id: int,
    output: Path,
    fmt: str | None,
    lang: str | None,
    blank: bool,
    as_json: bool,
) -> None:
    """Export the audit's questionnaire for the vendor to fill in."""
    done = settings.workspace.exchange.export(audit_id, output, fmt, _lang(settings, lang), blank)
    if as_json:
        print_json(
            {
                "audit_id": audit_id,
                "file": str(output),
                "questions": len(done.items),
                "checklists": done.checklists,
            }
        )
        return
    click.echo(
        settings.words.cli(
            "questionnaire_exported",
            questions=len(done.items),
            checklists=len(done.checklists),
            audit=audit_id,
            path=str(output),
        )
    )


@click.command("import")
@click.argument("audit_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; store nothing.")
@click.option(
    "--source",
    type=click.Choice(["vendor", "auditor"]),
    default="vendor",
    show_default=True,
    help="Record the answers as vendor self-attested or verified.",
)
@click.option(
    "--from",
    "standard",
    type=click.Choice(["vsaq", "caiq", "hecvat"]),
    help="FILE is the vendor's filled standard questionnaire (VSAQ answers JSON, CAIQ or "
    "HECVAT workbook): propose answers through a mapping.",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --from: mapping file (default: the shipped checklists/mappings/STANDARD.yaml).",
)
@click.option("--columns", help="With --from: workbook columns, e.g. id=B,answer=D,notes=E.")
@click.option("--replace", is_flag=True, help="With --from: overwrite answers already given.")
@json_option
@pass_settings
def import_(
    settings: Settings,
    audit_id: int,
    file: Path,
    dry_run: bool,
    source: str,
    standard: str | None,
    mapping: Path | None,
    columns: str | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Import a filled questionnaire: all answers are stored, or none.

    Blank cells leave stored answers unchanged. Every problem is listed, one per line.
    With --from, a standard questionnaire's answers are proposed through a mapping; answers
    already given are kept unless --replace; run --dry-run first to see the matches.
    """
    from auditkit.models.audit import Source

    if standard is not None:
        from auditkit.cli.standards_cmds import run_import

        if source != "vendor":
            raise click.UsageError(
                "--from records the source 'vendor standard questionnaire'; drop --source"
            )

        run_import(settings, audit_id, file, standard, mapping, columns, dry_run, replace, as_json)
        return
    if mapping or columns or replace:
        raise click.UsageError("--mapping, --columns and --replace go with --from")

    result = settings.workspace.exchange.import_(audit_id, file, Source(source), dry_run)
    if as_json:
        print_json(_result_json(result))
        return
    for change in result.changes:
        for line in _change_lines(change, settings.lang):
            click.echo(f"  {line}")
    count, words = len(result.changes), settings.words
    if dry_run:
        click.echo(words.cli("import_dry_run", count=count, unchanged=result.unchanged))
    else:
        click.echo(
            words.cli(
                "imported",
                path=str(file),
                audit=audit_id,
                count=count,
                unchanged=result.unchanged,
            )
        )


@click.command("schema")
def schema() -> None:
    """Print the JSON Schema of the YAML/JSON questionnaire document."""
    from auditkit.exchange.yaml_json_model import json_schema

    print_json(json_schema())


@click.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write (.csv or .xlsx).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    help="File format (default: from the file name).",
)
@click.option("--vendor", "vendor_ref", help="Only this vendor's findings.")
@click.option("--open", "open_only", is_flag=True, help="Only open findings.")
@json_option
@pass_settings
def findings_export(
    settings: Settings,
    output: Path,
    fmt: str | None,
    vendor_ref: str | None,
    open_only: bool,
    as_json: bool,
) -> None:
    """Export findings for remediation tracking (CSV or XLSX)."""
    count = settings.workspace.findings.export(output, fmt, settings.lang, vendor_ref, open_only)
    if as_json:
        print_json({"path": str(output), "findings": count})
        return
    click.echo(settings.words.cli("findings_exported", count=count, path=str(output)))


exchange_audit_commands: list[click.Command] = [export, import_, schema]


def printable(text: str) -> str:
    """Vendor text made safe for a terminal: control characters shown escaped, long text cut."""
    shown = safe(text)
    return shown if len(shown) <= SHOWN else shown[: SHOWN - 1] + "…"


def _change_lines(change: Change, lang: Lang) -> list[str]:
    from auditkit.answers import display

    question, old, new = change.question, change.old, change.new
    qid = question.id
    lines = []
    before = display(question, old.value, lang) if old else ""
    after = display(question, new.value, lang)
    if before != after:
        lines.append(f"{qid}: {printable(before) or '(none)'} → {printable(after) or '(none)'}")
    for name in ("comment", "evidence_ref"):
        was, now = (getattr(old, name) if old else None), getattr(new, name)
        if was != now:
            label = "evidence" if name == "evidence_ref" else name
            lines.append(
                f"{qid} {label}: {printable(was or '') or '(none)'} → "
                f"{printable(now or '') or '(none)'}"
            )
    return lines


def _result_json(result: ImportResult) -> dict[str, object]:
    return {
        "audit_id": result.audit_id,
        "stored": result.stored,
        "unchanged": result.unchanged,
        "changes": [
            {
                "question_id": c.question.id,
                "old": c.old.model_dump(mode="json", include={"value", "comment", "evidence_ref"})
                if c.old
                else None,
                "new": c.new.model_dump(mode="json", include={"value", "comment", "evidence_ref"}),
            }
            for c in result.changes
        ],
    }
