"""Data-file problems speak the user's language: each problem one line naming the file, row or
field, Japanese under --lang ja and English as before under --lang en; every message code the
Python source names exists in both catalogues."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import click
import openpyxl
import pytest
import yaml
from click.testing import Result

from auditkit import catalogue, paths
from auditkit.cli import click_words
from auditkit.cli.main import cli
from auditkit.models.refusals import PYDANTIC_TYPES
from tests.test_cli_japanese import english_lines

JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")
VENDOR = "さくらホスティング株式会社"

BROKEN_CHECKLIST = """\
id: mine
version: "1.0"
title: {en: Mine}
unexpected: 1
questions:
  - id: other.q1
    text: {en: Q, ja: 質問}
    type: yes_no
    weight: 0
    severity: high
    remediation: {en: Fix, ja: 直す}
    references: {nope: [x]}
"""


def problem_lines(result: Result, prefix: str) -> list[str]:
    lines = result.output.splitlines()
    assert lines and all(line.startswith(prefix) for line in lines), result.output
    return [line.removeprefix(prefix) for line in lines]


def test_checklist_validate_problems_in_japanese_and_english(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text(BROKEN_CHECKLIST, encoding="utf-8")
    ja = run("--lang", "ja", "checklist", "validate", str(bad))
    assert ja.exit_code == 3
    japanese = problem_lines(ja, "エラー: ")
    assert all(line.startswith(f"{bad}: ") and JAPANESE.search(line) for line in japanese)
    assert (
        f"{bad}: version: パターン '^\\d+\\.\\d+\\.\\d+$' に一致する文字列を指定してください"
        in (japanese)
    )
    assert f"{bad}: title.ja: 必須の項目がありません" in japanese
    assert f"{bad}: questions[0]: 種類 yes_no には choices が必要です" in japanese
    assert f"{bad}: unexpected: 不明な項目です(チェックリストのスキーマにありません)" in japanese
    en = run("checklist", "validate", str(bad))
    assert en.exit_code == 3
    assert problem_lines(en, "error: ") == [
        f"{bad}: version: String should match pattern '^\\d+\\.\\d+\\.\\d+$'",
        f"{bad}: title.ja: required field is missing",
        f"{bad}: questions[0]: type yes_no needs choices",
        f"{bad}: unexpected: unknown field (not part of the checklist schema)",
    ]
    copy = tmp_path / "again" / "nda.yaml"
    copy.parent.mkdir()
    copy.write_bytes((paths.checklists_dir() / "nda.yaml").read_bytes())
    clash = run("--lang", "ja", "checklist", "validate", str(copy))
    assert clash.exit_code == 3
    [line] = problem_lines(clash, "エラー: ")
    assert line.startswith(f"{copy.resolve()}: id: チェックリスト 'nda' は "), line
    assert line.endswith("nda.yaml で既に定義されています"), line


def _import_setup(run: Callable[..., Result], tmp_path: Path, suffix: str) -> Path:
    assert run("vendor", "add", VENDOR).exit_code == 0
    assert run("audit", "start", VENDOR).exit_code == 0
    path = tmp_path / f"q.{suffix}"
    assert run("audit", "export", "1", "-o", str(path)).exit_code == 0
    return path


def test_a_workbook_with_bad_rows_is_refused_in_japanese(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    path = _import_setup(run, tmp_path, "xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = next(s for s in workbook.worksheets if s.cell(1, 8).value == "id" and s.max_row > 4)
    sheet.cell(2, 5).value = "=1+1"  # a formula in the answer cell
    sheet.cell(3, 8).value = "nope.q"  # an edited question id
    sheet.cell(4, 6).value = "x" * 20_000  # a comment over the limit
    workbook.save(path)
    ja = run("--lang", "ja", "audit", "import", "1", str(path))
    assert ja.exit_code == 3
    lines = problem_lines(ja, "エラー: ")
    name = repr(sheet.title)
    assert [line for line in lines if "2 行目" in line] == [
        f"{path}: シート {name} の 2 行目 ({sheet.cell(2, 8).value}): "
        "回答: 数式は受け付けません。値そのものを入力してください"
    ]
    assert any("3 行目 (nope.q): 不明な質問 ID 'nope.q' です" in line for line in lines), lines
    assert any("4 行目" in line and "コメント: 20000 文字あります" in line for line in lines)
    assert all(line.startswith(f"{path}: ") and JAPANESE.search(line) for line in lines)
    en = run("audit", "import", "1", str(path))
    assert f"error: {path}: sheet {name} row 2 ({sheet.cell(2, 8).value}): answer: formulas " in (
        en.output
    )


def test_a_yaml_file_with_bad_entries_is_refused_in_japanese(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    path = _import_setup(run, tmp_path, "yaml")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second, third = document["questions"][:3]
    first["answer"] = {"nested": "map"}
    second["colour"] = "blue"
    third["id"] = "nope.q"
    del document["questions"][3]
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    ja = run("--lang", "ja", "audit", "import", "1", str(path))
    assert ja.exit_code == 3
    lines = problem_lines(ja, "エラー: ")
    assert lines[:2] == [
        f"{path}: questions[0] ({first['id']}): answer: "
        "選択肢の値、選択肢の値のリスト、数値、日付またはテキストを指定してください",
        f"{path}: questions[1] ({second['id']}): colour: 不明な項目です(質問票の形式にありません)",
    ]
    en = run("audit", "import", "1", str(path))
    assert problem_lines(en, "error: ")[1] == (
        f"{path}: questions[1] ({second['id']}): colour: "
        "unknown field (not part of the questionnaire format)"
    )
    del second["colour"]
    first["answer"] = None
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    rows = problem_lines(run("--lang", "ja", "audit", "import", "1", str(path)), "エラー: ")
    assert (
        f"{path}: questions[2] (nope.q): 不明な質問 ID 'nope.q' です(質問 ID は編集しないでください)"
        in rows
    )
    missing = [r for r in rows if "がファイルにありません" in r]
    assert len(missing) == 2 and all(r.startswith(f"{path}: 質問 ") for r in missing), rows


def test_a_bad_vendor_is_refused_in_japanese(run: Callable[..., Result]) -> None:
    result = run("--lang", "ja", "vendor", "add", "x" * 201, "--contact-email", "no at sign")
    assert result.exit_code == 3
    assert problem_lines(result, "エラー: ") == [
        "name: 200 文字以内で指定してください",
        "contact_email: name@example.com のようなメールアドレスを指定してください",
    ]
    english = run("vendor", "add", "12345")
    assert english.output == (
        "error: name: a name of digits only would be taken for a vendor id; add a word\n"
    )


def test_vendor_list_shows_service_labels(run: Callable[..., Result]) -> None:
    assert run("vendor", "add", VENDOR, "--service", "site_hosting").exit_code == 0
    ja = run("--lang", "ja", "vendor", "list").output
    label = catalogue.load("ja").get("services", "site_hosting")
    assert label in ja and "site_hosting" not in ja
    assert "EC site hosting" in run("vendor", "list").output


def test_more_than_fifty_problems_end_with_a_count_in_japanese(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    path = _import_setup(run, tmp_path, "yaml")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in document["questions"][:60]:
        item["extra"] = 1
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    lines = run("--lang", "ja", "audit", "import", "1", str(path)).output.splitlines()
    assert len(lines) == 51 and lines[-1] == "エラー: …ほか 10 件の問題"
    english = run("audit", "import", "1", str(path)).output.splitlines()
    assert english[-1] == "error: ... and 10 more problems"


# `Message.of("code"`, `catalogue.error(Kind, "code"`, `refusal("code"`: codes named literally.
CODE = re.compile(
    r"""(?:Message\.of\(|catalogue\.error\(\s*\w+,\s*|refusal\(|Message\.of\(\s*)\s*"([a-z0-9_]+)\""""
)


def test_every_message_code_in_the_source_exists_in_both_catalogues() -> None:
    package = Path(catalogue.__file__).parent
    codes = {
        code
        for path in package.rglob("*.py")
        for code in CODE.findall(path.read_text(encoding="utf-8"))
    }
    codes |= {f"pydantic_{kind}" for kind in PYDANTIC_TYPES} | {"pydantic_other", "plain"}
    assert len(codes) > 250
    for lang in ("en", "ja"):
        assert sorted(codes - set(catalogue.load(lang).tables["messages"])) == [], lang


USAGE_ERRORS = {
    # what is typed -> a phrase of the Japanese error line
    ("vendor", "add", "X", "--nope"): "オプション '--nope' はありません。",
    ("vendr", "list"): "コマンド 'vendr' はありません。 'vendor' のことですか?",
    ("audit", "score"): "引数がありません 'AUDIT_ID'.",
    ("vendor", "list", "--limit", "abc"): "'--limit' の値が正しくありません",
    ("vendor", "list", "--limit"): "オプション '--limit' には値が必要です。",
}


def test_click_usage_errors_speak_the_language_of_the_command_line(
    run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    for args, phrase in USAGE_ERRORS.items():
        ja = run("--lang", "ja", *args)
        assert ja.exit_code == 2, ja.output
        assert english_lines(ja.output) == [], ja.output
        assert phrase in ja.output and "エラー: " in ja.output
        en = run(*args)  # the next command in the same process speaks English again
        assert en.exit_code == 2
        assert "Error: " in en.output
        assert not JAPANESE.search(en.output)
    after = run("vendor", "add", "X", "--nope", "--lang", "ja").output  # global option after
    assert "オプション '--nope' はありません。" in after
    monkeypatch.setenv("AUDITKIT_LANG", "ja")
    assert "オプション '--nope' はありません。" in run("vendor", "add", "X", "--nope").output
    assert "No such option" in run("--lang", "en", "vendor", "add", "X", "--nope").output


def test_help_headings_speak_the_language_of_the_command_line(run: Callable[..., Result]) -> None:
    ja = run("--lang", "ja", "vendor", "--help").output
    assert "使い方: " in ja and "オプション:" in ja and "コマンド:" in ja
    en = run("vendor", "--help").output
    assert "Usage: " in en and "Options:" in en and "Commands:" in en


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths_ = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            paths_ += _command_paths(command, (*prefix, name))
        else:
            paths_.append((*prefix, name))
    return paths_


def test_every_help_text_has_its_entry_in_the_help_table() -> None:
    """A help text added or changed in the source without its entry fails here."""
    table = catalogue.load("en").tables["help"]
    click_words.speak_help(cli, {})  # English, whatever an earlier command in this process set
    texts = {getattr(o, a) for o, a in click_words.help_texts(cli) if getattr(o, a, None)}
    assert sorted(texts - set(table)) == []
    assert all(english == text for english, text in table.items())  # English is the source's


def test_every_help_page_speaks_the_language_of_the_command_line(
    run: Callable[..., Result],
) -> None:
    for path in _command_paths(cli):
        ja = run("--lang", "ja", *path, "--help")
        assert ja.exit_code == 0, (path, ja.output)
        assert english_lines(ja.output) == [], (path, english_lines(ja.output))
    en = run("audit", "score", "--help").output  # and English again in the same process
    assert "Score an audit" in en and JAPANESE.search(en) is None
