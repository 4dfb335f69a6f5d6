"""Every command speaks Japanese under --lang ja: no line of English prose in the output.

Reports, verify, doctor and the demo are checked by their own tests; JSON output is data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from auditkit import paths
from tests.builders import run_json

# Two lower-case English words in a row on a line with no Japanese: a sentence left untranslated.
PROSE = re.compile(r"\b[a-z]{2,} [a-z]{2,}\b")
VENDOR = "さくらホスティング株式会社"


def _english_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.isascii() and PROSE.search(line)]


def test_every_command_speaks_japanese(run: Callable[..., Result], tmp_path: Path) -> None:
    nda = tmp_path / "nda.pdf"
    nda.write_bytes(b"%PDF-1.4 signed NDA")
    questionnaire = tmp_path / "q.yaml"
    profile = ["--personal-data", "medium", "--system-access", "limited"]
    steps: list[tuple[str, ...]] = [
        ("checklist", "list"),
        ("checklist", "show", "ssl_tls"),
        ("checklist", "validate", str(paths.checklists_dir() / "nda.yaml")),
        ("vendor", "add", VENDOR, *profile),
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
        ("audit", "diff", "1", "2"),
        ("due",),
    ]
    english = {}
    for args in steps:
        result = run("--lang", "ja", *args)
        assert result.exit_code == 0, (args, result.output)
        if found := _english_lines(result.output):
            english[" ".join(args[:2])] = found
    interview = run("--lang", "ja", "audit", "interview", "2", input="s\n\n1\n\nq\n")
    assert interview.exit_code == 0, interview.output
    if found := _english_lines(interview.output):
        english["audit interview"] = found
    assert english == {}
    assert run_json(run, "audit", "show", "2")["status"] == "draft"


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
