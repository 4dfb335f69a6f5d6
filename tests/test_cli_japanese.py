"""Every command speaks Japanese under --lang ja: no line of English prose in the output.

The walk below runs every command of the registered command tree (or names it in EXCLUDED
with the reason), each group with at least one refused input, and fails when a command is
added to the CLI without being walked. JSON output is data and is only parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import Result

from auditkit import paths
from auditkit.cli.main import cli
from tests.builders import run_json
from tests.standard_files import caiq_workbook, vsaq_files
from tests.tls_lab import Authority, python_https_server

# Two lower-case English words in a row on a line with no Japanese: a sentence left untranslated.
PROSE = re.compile(r"\b[a-z]{2,} [a-z]{2,}\b")
VENDOR = "さくらホスティング株式会社"
OTHER = "ほしぞらロジスティクス株式会社"

# Commands the walk does not run, each with the reason and where it is checked instead.
EXCLUDED = {
    # Seeds three vendors and renders their PDF reports (over a minute on a shared machine);
    # tests/test_cli_demo.py::test_demo_writes_a_database_and_readable_reports runs it a
    # second time under --lang ja and checks its output the same way.
    "demo",
}


def english_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.isascii() and PROSE.search(line)]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """Every runnable command of the tree, as typed: "audit answer", "due", ..."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name))


def _command_of(args: tuple[str, ...]) -> str:
    """The command path the arguments run ("audit import 1 f.yaml" -> "audit import")."""
    group: click.Command = cli
    words: list[str] = []
    for arg in args:
        if not isinstance(group, click.Group) or arg not in group.commands:
            break
        group = group.commands[arg]
        words.append(arg)
    return " ".join(words)


@pytest.fixture
def tls_target(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTPS server on 127.0.0.1 whose certificate expires soon and whose HSTS is short."""
    (tmp_path / "ca").mkdir()
    authority = Authority(tmp_path / "ca")
    leaf = authority.leaf("expiring", days=10)
    with python_https_server(leaf, "max-age=600") as port:
        yield f"localhost:{port}", authority.ca_file


@pytest.mark.slow
def test_every_command_speaks_japanese(
    run: Callable[..., Result], tmp_path: Path, tls_target: tuple[str, Path]
) -> None:
    nda = tmp_path / "nda.pdf"
    nda.write_bytes(b"%PDF-1.4 signed NDA")
    questionnaire = tmp_path / "q.yaml"
    template, _ = vsaq_files(tmp_path)
    caiq = caiq_workbook(tmp_path / "caiq.xlsx", {"IAM-05.1": ("yes", "RBAC")})
    profile = ["--personal-data", "medium", "--system-access", "limited"]
    target, ca_file = tls_target
    steps: list[tuple[str, ...]] = [
        ("checklist", "list"),
        ("checklist", "show", "ssl_tls"),
        ("checklist", "validate", str(paths.checklists_dir() / "nda.yaml")),
        ("checklist", "coverage"),
        ("checklist", "coverage", "--framework", "pci-dss-4.0"),
        ("checklist", "convert", str(template), "--from", "vsaq", "-o", str(tmp_path / "conv")),
        ("vendor", "add", VENDOR, "--service", "site_hosting", *profile),
        ("vendor", "add", OTHER, *profile),
        ("vendor", "list"),
        ("vendor", "show", VENDOR),
        ("vendor", "edit", VENDOR, "--criticality", "high"),
        ("audit", "start", VENDOR, "--as-of", "2025-11-01"),
        ("audit", "answer", "1", "access_control.mfa_admin", "none", "--comment", "未導入"),
        ("audit", "evidence", "1", "nda.nda_before_access", str(nda), "--kind", "contract"),
        ("audit", "list"),
        ("audit", "show", "1"),
        ("audit", "score", "1"),
        ("audit", "export", "1", "-o", str(questionnaire)),
        ("audit", "import", "1", str(questionnaire), "--dry-run"),
        ("audit", "import", "1", str(questionnaire)),
        ("audit", "import", "1", str(caiq), "--from", "caiq", "--dry-run"),
        ("audit", "log", "1"),
        ("findings", "list"),
        ("findings", "update", "1", "--owner", "田中", "--due", "2026-01-31"),
        ("findings", "export", "-o", str(tmp_path / "f.csv")),
        (
            "audit",
            "finalize",
            "1",
            "--reviewer",
            "佐藤",
            "--approver",
            "鈴木",
            "--accept-unanswered",
            "初回",
        ),
        ("audit", "start", VENDOR, "--from-previous"),
        ("audit", "answer", "2", "access_control.mfa_admin", "phishing_resistant"),
        ("audit", "verify-answer", "2", "access_control.mfa_admin", "--how", "demo"),
        ("audit", "show", "2"),
        ("evidence", "list"),
        ("audit", "diff", "1", "2"),
        ("audit", "upgrade", "2"),
        ("audit", "start", OTHER),
        ("due",),
        ("compare", VENDOR, OTHER),
        ("log", "verify"),
        ("probe", "tls", target, "--ca-file", str(ca_file), "--audit", "2"),
        ("report", "1", "-o", str(tmp_path / "r.html"), "--format", "html"),
        ("report", "--all", "--out-dir", str(tmp_path / "all"), "--format", "html"),
        ("doctor",),
    ]
    walked, english = set(), {}
    for args in steps:
        result = run("--lang", "ja", *args)
        assert result.exit_code == 0, (args, result.output)
        walked.add(_command_of(args))
        if found := english_lines(result.output):
            english[" ".join(args[:2])] = found
    interview = run("--lang", "ja", "audit", "interview", "2", input="s\n\n1\n\nq\n")
    assert interview.exit_code == 0, interview.output
    walked.add("audit interview")
    if found := english_lines(interview.output):
        english["audit interview"] = found
    for args in [("checklist", "schema"), ("audit", "schema")]:  # JSON Schema: data only
        assert json.loads(run("--lang", "ja", *args).output)["$schema"]
        walked.add(_command_of(args))
    walked |= _refusals_are_japanese(run, tmp_path)
    assert english == {}
    assert set(_commands(cli)) - walked - EXCLUDED == set()
    assert run_json(run, "audit", "show", "2")["status"] == "draft"


def _refusals_are_japanese(run: Callable[..., Result], tmp_path: Path) -> set[str]:
    """At least one refused input per command group: one line `エラー: ` in Japanese."""
    not_a_database = tmp_path / "not-a-db.sqlite"
    not_a_database.write_bytes(b"this is not a database" * 100)
    refusals: dict[tuple[str, ...], int] = {
        ("checklist", "coverage", "--framework", "nope"): 4,
        ("vendor", "show", "nope"): 4,
        ("audit", "show", "99"): 4,
        ("findings", "update", "1"): 3,
        ("due", "--db", str(not_a_database)): 6,
        ("compare", VENDOR): 3,
        ("log", "verify", "--db", str(not_a_database)): 6,
        ("probe", "tls", "127.0.0.1:1", "--audit", "99"): 4,
        ("report", "99", "-o", str(tmp_path / "x.pdf")): 4,
        ("verify", str(tmp_path / "r.html")): 7,
    }
    for args, code in refusals.items():
        result = run("--lang", "ja", *args)
        [line] = result.output.splitlines()
        assert (result.exit_code, line[:5]) == (code, "エラー: "), (args, result.output)
        unquoted = re.sub(r"'[^']*'", "", line[5:])  # names and commands stay as typed
        assert not unquoted.isascii() and not PROSE.search(unquoted), line
    return {_command_of(args) for args in refusals}


def test_answer_errors_are_in_japanese(run: Callable[..., Result], tmp_path: Path) -> None:
    assert run("vendor", "add", VENDOR).exit_code == 0
    assert run("audit", "start", VENDOR).exit_code == 0
    cases = {
        ("audit", "answer", "1", "ssl_tls.min_version", "maybe"): (
            3,
            "エラー: ssl_tls.min_version: 不明な選択肢 'maybe' です。"
            "回答方法: 次のいずれか: tls13_only, tls12_min, legacy または 該当なし",
        ),
        ("audit", "answer", "1", "nope.q", "yes"): (
            4,
            "エラー: 評価 1 に質問 'nope.q' はありません",
        ),
        ("audit", "evidence", "1", "nda.nda_before_access", str(tmp_path / "x.pdf")): (
            4,
            f"エラー: {tmp_path / 'x.pdf'}: ファイルがありません",
        ),
    }
    for args, (code, line) in cases.items():
        result = run("--lang", "ja", *args)
        assert (result.exit_code, result.output) == (code, line + "\n")


def test_an_empty_answer_is_refused_in_japanese(run: Callable[..., Result]) -> None:
    assert run("vendor", "add", VENDOR).exit_code == 0
    assert run("audit", "start", VENDOR).exit_code == 0
    result = run("--lang", "ja", "audit", "answer", "1", "access_control.mfa_admin", " ")
    assert result.exit_code == 3
    assert result.output.startswith("エラー: access_control.mfa_admin: 回答が空です。回答方法: ")


def test_auditkit_lang_chooses_japanese(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITKIT_LANG", "ja")
    result = run("log", "verify")
    assert (result.exit_code, result.output) == (0, "変更履歴 0 件、チェーンは完全です\n")
    result = run("vendor", "show", "nope")
    assert result.exit_code == 4
    assert result.output.startswith("エラー: 委託先 'nope' はありません")
