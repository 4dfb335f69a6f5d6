"""`auditkit checklist ...`: list, show, validate, schema, coverage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditkit.cli.settings import (
    Settings,
    columns,
    json_option,
    pass_settings,
    print_json,
    style,
    table,
)
from auditkit.errors import ValidationProblem

if TYPE_CHECKING:
    from auditkit.checklists import Coverage
    from auditkit.models.checklist import Question


@click.group()
def checklist() -> None:
    """Browse and validate the security questionnaires."""


def _summary(facts: dict[str, Any], settings: Settings) -> dict[str, object]:
    keys = ("id", "version", "title", "questions", "critical", "conditional")
    return {k: facts[k][settings.lang] if k == "title" else facts[k] for k in keys}


@checklist.command("list")
@json_option
@pass_settings
def list_(settings: Settings, as_json: bool) -> None:
    """List the available checklists (shipped and user directories)."""
    rows = [_summary(c, settings) for c in settings.checklist_summaries]
    if as_json:
        print_json(rows)  # a list, like every other listing
        return
    words = settings.words
    click.echo(
        table(
            [[r["id"], r["version"], r["questions"], r["critical"], r["title"]] for r in rows],
            columns(words, "checklists"),
        )
    )
    total = sum(int(str(r["questions"])) for r in rows)
    click.echo("\n" + words.cli("checklists_total", count=len(rows), questions=total))


@checklist.command()
@click.argument("checklist_id")
@json_option
@pass_settings
def show(settings: Settings, checklist_id: str, as_json: bool) -> None:
    """Show every question of one checklist."""
    from auditkit.checklists import get

    item = get(settings.checklists, checklist_id)
    if as_json:
        print_json(item.model_dump(mode="json", by_alias=True, exclude_none=True))
        return
    lang = settings.lang
    click.echo(style(f"{item.title.get(lang)}  [{item.id} v{item.version}]", bold=True))
    if item.description:
        click.echo(item.description.get(lang))
    for number, question in enumerate(item.questions, 1):
        click.echo()
        click.echo(_question_text(number, question, settings))


def _question_text(number: int, question: Question, settings: Settings) -> str:
    lang, words = settings.lang, settings.words
    flag = style(" " + words.cli("critical_flag"), fg="red", bold=True) if question.critical else ""
    lines = [
        f"{number}. {question.text.get(lang)}{flag}",
        "   "
        + words.cli(
            "question_facts",
            id=question.id,
            type=question.type.value,
            weight=f"{question.weight:g}",
            severity=question.severity.value,
        ),
    ]
    if question.help:
        lines.append(f"   {question.help.get(lang)}")
    for choice in question.choices or []:
        lines.append(f"   - {choice.value}: {choice.label.get(lang)} ({choice.score:g})")
    if question.allow_na:
        lines.append("   - n/a")
    if question.critical:
        lines.append(
            "   "
            + words.cli(
                "knockout_rule",
                below=f"{question.knockout_score:g}",
                passes=f"{question.pass_score:g}",
            )
        )
    lines.append("   " + words.cli("question_refs", refs=", ".join(question.reference_list())))
    return "\n".join(lines)


@checklist.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
@pass_settings
def validate(settings: Settings, paths: tuple[Path, ...], as_json: bool) -> None:
    """Validate checklist files (or directories of them) against the schema and the
    shipped checklists (ids must not clash). Exits 3 when any file has a problem.

    With --json: {"valid": bool, "checklists": [{path, id, version, questions}], "problems": [...]}.
    """
    from auditkit import catalogue
    from auditkit.checklists import validate_paths

    loaded, problems = validate_paths(paths)
    if as_json:
        found = [
            {"path": str(p), "id": c.id, "version": c.version, "questions": len(c.questions)}
            for p, c in loaded.items()
        ]
        english = [catalogue.load("en").render(m) for m in problems]  # JSON is data: English
        print_json({"valid": not problems, "checklists": found, "problems": english})
        if problems:
            raise click.exceptions.Exit(int(ValidationProblem.exit_status))
        return
    for path, item in loaded.items():
        click.echo(
            settings.words.cli(
                "checklist_ok",
                path=str(path),
                id=item.id,
                version=item.version,
                questions=len(item.questions),
            )
        )
    if problems:
        raise ValidationProblem(problems)


@checklist.command()
def schema() -> None:
    """Print the JSON Schema of a checklist file (for editors and CI)."""
    from auditkit.models.checklist import Checklist

    schema = Checklist.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "auditkit checklist"
    print_json(schema)


@checklist.command()
@click.option(
    "--framework",
    "framework_key",
    help="List every control of this framework (e.g. pci-dss-4.0) and the questions citing it.",
)
@json_option
@pass_settings
def coverage(settings: Settings, framework_key: str | None, as_json: bool) -> None:
    """Which catalogue controls of each framework the questions cite."""
    from auditkit import catalogue
    from auditkit.checklists import coverage as framework_coverage
    from auditkit.errors import NotFound

    found = framework_coverage(settings.checklists)
    if framework_key is not None:
        found = [c for c in found if c.framework.key == framework_key]
        if not found:
            known = ", ".join(c.framework.key for c in framework_coverage(settings.checklists))
            raise catalogue.error(
                NotFound, "no_framework", framework=repr(framework_key), known=known
            )
    if as_json:
        print_json({"frameworks": [_coverage_json(c) for c in found]})
        return
    if framework_key is not None:
        rows = [[ref, len(q), ", ".join(q) or "-"] for ref, q in found[0].citations.items()]
        click.echo(table(rows, columns(settings.words, "controls")))
        click.echo()
    rows = [
        [
            c.framework.key,
            len(c.citations),
            len(c.cited),
            f"{c.percent:.1f}%",
            c.framework.title_in(settings.lang),
        ]
        for c in found
    ]
    click.echo(table(rows, columns(settings.words, "coverage")))


def _coverage_json(item: Coverage) -> dict[str, object]:
    return {
        "key": item.framework.key,
        "title": item.framework.title,
        "controls": len(item.citations),
        "cited": len(item.cited),
        "percent": round(item.percent, 1),
        "citations": {ref: q for ref, q in item.citations.items() if q},
        "uncited": item.uncited,
    }
