"""Standard questionnaires: `checklist convert` and `audit import --from ...`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.settings import Settings, json_option, pass_settings, print_json, safe

if TYPE_CHECKING:
    from auditkit.catalogue import Catalogue
    from auditkit.exchange.standards.propose import Proposal
    from auditkit.services.standards import StandardImport

STANDARD = click.Choice(["vsaq", "caiq", "hecvat"])
COLUMNS_HELP = (
    "Workbook columns when the headers are not recognised, e.g. "
    "id=B,question=C,answer=D,notes=E (also question_ja=, section=)."
)


@click.command("convert")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "standard", type=STANDARD, required=True, help="The file's format.")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory for the checklist YAML files (and mappings/PREFIX.yaml).",
)
@click.option("--prefix", help="Start of the checklist ids (default: the format name).")
@click.option("--columns", help=COLUMNS_HELP)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@json_option
@pass_settings
def convert(
    settings: Settings,
    file: Path,
    standard: str,
    out_dir: Path,
    prefix: str | None,
    columns: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Convert a VSAQ, CAIQ or HECVAT template into auditkit checklists, one per section.

    Also writes the mapping that imports a filled copy back (audit import --from).
    """
    from auditkit import catalogue
    from auditkit.exchange.standards.files import convert_file

    done = convert_file(file, standard, out_dir, prefix, columns, force)
    if as_json:
        print_json(
            {
                "files": [str(f) for f in done.files],
                "mapping": str(done.mapping_file),
                "questions": done.questions,
                "conditions": done.conditions,
                "warnings": [catalogue.load("en").render(w) for w in done.warnings],
            }
        )
        return
    words = settings.words
    for warning in done.warnings:
        click.echo(words.cli("warning", text=safe(words.render(warning))), err=True)
    for path in done.files:
        click.echo(words.cli("wrote", path=str(path)))
    click.echo(
        words.cli(
            "converted",
            questions=done.questions,
            conditions=done.conditions,
            checklists=len(done.files),
            mapping=str(done.mapping_file),
        )
    )


def run_import(
    settings: Settings,
    audit_id: int,
    file: Path,
    standard: str,
    mapping: Path | None,
    columns: str | None,
    dry_run: bool,
    replace: bool,
    as_json: bool,
) -> None:
    done = settings.workspace.exchange.import_standard(
        audit_id, file, standard, mapping, columns, dry_run, replace
    )
    if as_json:
        print_json(_as_json(done))
        return
    for line in _lines(done, settings.words, dry_run):
        click.echo(line)


def _lines(done: StandardImport, words: Catalogue, dry_run: bool) -> list[str]:
    plan = done.plan
    lines = [words.cli("std_would_store" if dry_run else "std_stored", count=len(plan.store))]
    lines += [f"  {_proposal(p, words)}" for p in plan.store]
    conflicts = [words.cli("std_kept", proposal=_proposal(p, words)) for p in plan.kept]
    lines.append(words.cli("std_conflicting", count=len(conflicts) + len(plan.clashes)))
    lines += [f"  {safe(c)}" for c in [*conflicts, *map(words.render, plan.clashes)]]
    lines.append(words.cli("std_unmatched", count=len(plan.unmatched)))
    if dry_run:
        lines += [f"  {safe(words.render(u))}" for u in plan.unmatched]
    lines.append(
        words.cli("std_pending", same=len(plan.same), pending=plan.pending, audit=done.audit_id)
    )
    if dry_run:
        lines.append(words.cli("std_dry_run"))
    else:
        lines.append(words.cli("std_evidence", sha=done.sha256))
    return lines


def _proposal(proposal: Proposal, words: Catalogue) -> str:
    from auditkit.answers import display

    question = proposal.question
    shown = display(question, proposal.value, words.lang)
    sources = ", ".join(proposal.sources)
    said = f"{question.id} <- {sources}: {shown}"
    if proposal.old:
        said += words.cli("std_was", value=display(question, proposal.old.value, words.lang))
    return safe(said)[:200]


def _as_json(done: StandardImport) -> dict[str, object]:
    def item(p: Proposal) -> dict[str, object]:
        return {
            "question_id": p.question.id,
            "value": p.value,
            "sources": list(p.sources),
            "old": p.old.value if p.old else None,
        }

    from auditkit import catalogue

    english = catalogue.load("en")  # JSON is data: stable English text
    plan = done.plan
    return {
        "audit_id": done.audit_id,
        "standard": done.standard,
        "mapping": str(done.mapping),
        "sha256": done.sha256,
        "stored": done.stored and bool(plan.store),
        "matched": [item(p) for p in plan.store],
        "same": [item(p) for p in plan.same],
        "conflicting": [item(p) for p in plan.kept],
        "disagreements": [english.render(m) for m in plan.clashes],
        "unmatched": [english.render(m) for m in plan.unmatched],
        "pending": plan.pending,
    }


__all__ = ["convert", "run_import"]
