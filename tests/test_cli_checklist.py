"""`auditkit checklist ...` and the CLI's shape, end to end through CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import Result

from auditkit import __version__
from auditkit.cli.main import cli

HEAVY = ("weasyprint", "sqlalchemy", "openpyxl", "alembic", "pypdf", "jinja2")


def test_version(run: Callable[..., Result]) -> None:
    result = run("--version")
    assert (result.exit_code, result.output) == (0, f"auditkit, version {__version__}\n")


def test_list_json_is_a_list_of_fourteen_domains(run: Callable[..., Result]) -> None:
    data = json.loads(run("checklist", "list", "--json").output)
    assert isinstance(data, list) and len(data) == 14
    assert sum(c["questions"] for c in data) >= 200
    assert set(data[0]) == {"id", "version", "title", "questions", "critical", "conditional"}


def test_list_text_ends_with_totals(run: Callable[..., Result]) -> None:
    result = run("checklist", "list")
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "version", "questions", "critical", "title"]
    assert lines[-1].startswith("14 checklists, ")


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "ja", "checklist", "show", "ssl_tls"],
        ["checklist", "show", "ssl_tls", "--lang", "ja"],
        ["checklist", "show", "--lang=ja", "ssl_tls"],
    ],
)
def test_show_in_japanese_with_lang_before_or_after(
    run: Callable[..., Result], args: list[str]
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("SSL/TLS")
    assert "ID: ssl_tls.min_version  回答形式: single_choice" in result.output
    assert "重大度: 重大" in result.output and "参照規格: " in result.output


def test_global_options_after_the_subcommand(run: Callable[..., Result], tmp_path: Path) -> None:
    db = tmp_path / "after.db"
    added = run("vendor", "add", "After Co", "--db", str(db), "--as", "kenji")
    assert added.exit_code == 0, added.output
    assert db.is_file()
    [vendor] = json.loads(run("--db", str(db), "vendor", "list", "--json").output)
    assert vendor["name"] == "After Co"


def test_show_states_where_each_knockout_triggers(run: Callable[..., Result]) -> None:
    output = run("checklist", "show", "access_control").output
    assert "knock-out below 0.5 (passes at 0.9)" in output  # SMS everywhere is a finding only
    assert "knock-out below 1 (passes at 1)" not in output
    assert "knock-out below 1 (passes at 1)" in run("checklist", "show", "nda").output


def test_show_json_round_trips_through_the_model(run: Callable[..., Result]) -> None:
    from auditkit.models.checklist import Checklist

    data = json.loads(run("checklist", "show", "nda", "--json").output)
    assert Checklist.model_validate(data).id == "nda"


def test_show_unknown_checklist(run: Callable[..., Result]) -> None:
    result = run("checklist", "show", "nope")
    assert result.exit_code == 4
    assert result.output.startswith("error: no checklist 'nope'; known: access_control, ")


def test_validate_reports_every_problem_without_traceback(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: one\ntitle: {en: X}\nquestions: []\n", encoding="utf-8")
    result = run("checklist", "validate", str(bad))
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        f"error: {bad}: version: String should match pattern '^\\d+\\.\\d+\\.\\d+$'",
        f"error: {bad}: title.ja: required field is missing",
        f"error: {bad}: questions: should have at least 1 item(s), not 0",
    ]
    assert "Traceback" not in result.output


def test_validate_accepts_the_shipped_directory(run: Callable[..., Result]) -> None:
    from auditkit import paths

    result = run("checklist", "validate", str(paths.checklists_dir()))
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 14
    data = json.loads(run("checklist", "validate", str(paths.checklists_dir()), "--json").output)
    assert (data["valid"], len(data["checklists"]), data["problems"]) == (True, 14, [])


def test_validate_json_lists_problems_and_exits_3(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: one\ntitle: {en: X}\nquestions: []\n", encoding="utf-8")
    result = run("checklist", "validate", str(bad), "--json")
    assert result.exit_code == 3
    data = json.loads(result.output)
    assert (data["valid"], data["checklists"], len(data["problems"])) == (False, [], 3)


def test_schema_is_json_schema(run: Callable[..., Result]) -> None:
    schema = json.loads(run("checklist", "schema").output)
    assert schema["title"] == "auditkit checklist"
    assert "questions" in schema["properties"]
    assert schema["additionalProperties"] is False


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help(run: Callable[..., Result], path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"auditkit {' '.join(path)}" in readme, (
        f"'auditkit {' '.join(path)}' is not in the README"
    )


@pytest.mark.parametrize("args", [["--help"], ["checklist", "list"], ["vendor", "--help"]])
def test_light_commands_do_not_import_heavy_libraries(args: list[str]) -> None:
    """DESIGN: --help and checklist browsing start fast; heavy libraries load only when used."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "auditkit", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if "|" in line
    }
    assert imported.isdisjoint(HEAVY), imported & set(HEAVY)
    if args[-1] == "--help":
        assert "pydantic" not in imported  # models are built only by commands that use them


def test_cli_choice_lists_match_the_models() -> None:
    from typing import get_args

    from auditkit.cli import choices
    from auditkit.models.audit import FindingStatus, Source
    from auditkit.models.checklist import EvidenceKind
    from auditkit.models.vendor import Service

    assert tuple(s.value for s in Source) == choices.SOURCES
    assert tuple(s.value for s in FindingStatus) == choices.FINDING_STATUSES
    assert tuple(s.value for s in Service) == choices.SERVICES
    assert get_args(EvidenceKind) == choices.EVIDENCE_KINDS


def test_validate_refuses_a_clash_with_a_shipped_checklist(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    from auditkit import paths

    shipped = paths.checklists_dir() / "nda.yaml"
    copy = tmp_path / "nda.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("checklist", "validate", str(tmp_path))
    assert (result.exit_code, result.output) == (
        3,
        f"error: {copy}: id: checklist 'nda' is already defined in {shipped}\n",
    )


def test_coverage_counts_the_citations_in_the_shipped_checklists(
    run: Callable[..., Result],
) -> None:
    import yaml

    from auditkit import paths

    cited: dict[str, set[str]] = {}
    for path in paths.checklists_dir().glob("*.yaml"):
        for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            for framework, refs in question["references"].items():
                cited.setdefault(framework, set()).update(refs)
    catalog = yaml.safe_load(paths.framework_catalog().read_text(encoding="utf-8"))

    data = json.loads(run("checklist", "coverage", "--json").output)
    by_key = {f["key"]: f for f in data["frameworks"]}
    assert set(by_key) == {"pci-dss-4.0", "iso27001-2022", "nist-csf-2.0", "soc2", "meti-scs"}
    for key, item in by_key.items():
        assert item["controls"] == len(catalog[key]["ids"])
        assert set(item["citations"]) == cited[key]
        assert item["cited"] == len(cited[key])
        assert set(item["uncited"]) == set(catalog[key]["ids"]) - cited[key]
    assert "access_control.physical_access" in by_key["pci-dss-4.0"]["citations"]["9.2.1"]


def test_coverage_table_and_one_framework(run: Callable[..., Result]) -> None:
    lines = run("checklist", "coverage").output.splitlines()
    assert lines[0].split()[:4] == ["framework", "controls", "cited", "coverage"]
    assert [line.split()[0] for line in lines[2:]] == [
        "pci-dss-4.0",
        "iso27001-2022",
        "nist-csf-2.0",
        "soc2",
        "meti-scs",
    ]
    detail = run("checklist", "coverage", "--framework", "meti-scs").output
    assert "governance.meti_star" in detail and detail.splitlines()[0].split()[0] == "control"


def test_coverage_of_an_unknown_framework(run: Callable[..., Result]) -> None:
    result = run("checklist", "coverage", "--framework", "cobit")
    assert result.exit_code == 4
    assert result.output.strip().splitlines()[-1].startswith("error: no framework 'cobit'; known:")
