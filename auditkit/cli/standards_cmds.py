"""Standard questionnaires: `checklist convert` and `audit import --from ...`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditkit.cli.settings import Settings, json_option, print_json, safe

if TYPE_CHECKING:
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
def convert(
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
    from auditkit.exchange.standards.files import convert_file

    done = convert_file(file, standard, out_dir, prefix, columns, force)
    if as_json:
        print_json(
            {
                "files": [str(f) for f in done.files],
                "mapping": str(done.mapping_file),
                "questions": done.questions,
                "conditions": done.conditions,
                "warnings": list(done.warnings),
            }
        )
        return
    for warning in done.warnings:
        click.echo(f"warning: {safe(warning)}", err=True)
    for path in done.files:
        click.echo(f"wrote {path}")
    click.echo(
        f"converted {done.questions} questions ({done.conditions} conditional) into "
        f"{len(done.files)} checklists; mapping: {done.mapping_file}"
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
    for line in _lines(done, settings.lang, dry_run):
        click.echo(line)


def _lines(done: StandardImport, lang: str, dry_run: bool) -> list[str]:
    plan = done.plan
    verb = "would store" if dry_run else "stored"
    lines = [f"matched: {len(plan.store)} answers ({verb})"]
    lines += [f"  {_proposal(p, lang)}" for p in plan.store]
    conflicts = [f"{_proposal(p, lang)} (kept; --replace to overwrite)" for p in plan.kept]
    lines.append(f"conflicting: {len(conflicts) + len(plan.clashes)}")
    lines += [f"  {safe(c)}" for c in [*conflicts, *plan.clashes]]
    lines.append(f"unmatched: {len(plan.unmatched)}")
    if dry_run:
        lines += [f"  {safe(u)}" for u in plan.unmatched]
    lines.append(
        f"{len(plan.same)} already answered the same; {plan.pending} questions of audit "
        f"{done.audit_id} stay pending"
    )
    if dry_run:
        lines.append("dry run: nothing stored")
    else:
        lines.append(f"evidence: sha256 {done.sha256}")
    return lines


def _proposal(proposal: Proposal, lang: str) -> str:
    from auditkit.answers import display

    question = proposal.question
    shown = display(question, proposal.value, "ja" if lang == "ja" else "en")
    before = f" (was: {display(question, proposal.old.value)})" if proposal.old else ""
    sources = ", ".join(proposal.sources)
    return safe(f"{question.id} <- {sources}: {shown}{before}")[:200]


def _as_json(done: StandardImport) -> dict[str, object]:
    def item(p: Proposal) -> dict[str, object]:
        return {
            "question_id": p.question.id,
            "value": p.value,
            "sources": list(p.sources),
            "old": p.old.value if p.old else None,
        }

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
        "disagreements": plan.clashes,
        "unmatched": plan.unmatched,
        "pending": plan.pending,
    }


__all__ = ["convert", "run_import"]
