"""`auditkit demo` end to end: a fresh database, three vendors, real PDFs read back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from auditkit.cli.main import cli
from tests.test_cli_japanese import english_lines


@pytest.mark.slow
def test_demo_writes_a_database_and_readable_reports(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["demo", "--out-dir", str(out), "--lang", "en", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == [
        "audit-2-sakura-commerce-operations-kk.en.pdf",
        "audit-3-hoshizora-support-logistics-kk.en.pdf",
        "audit-4-kumo-digital-studio-llc.en.pdf",
    ]
    assert f"database: {out / 'demo.db'}" in result.output.splitlines()
    with sqlite3.connect(out / "demo.db") as conn:
        assert conn.execute("SELECT count(*) FROM vendors").fetchone()[0] == 3
    summaries = {p.name: PdfReader(p).pages[2].extract_text() for p in pdfs}  # after the contents
    assert "Approve" in summaries[pdfs[0].name]
    assert "Reject" in summaries[pdfs[2].name]
    reasons = " ".join(summaries[pdfs[2].name].split())
    assert "critical control \u201cIs multi-factor authentication enforced" in reasons
    assert "access_control.mfa_admin" not in reasons

    # the demo database is made anew each time; run again, it speaks the user's language
    again = CliRunner().invoke(cli, ["--lang", "ja", "demo", "--out-dir", str(out), "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert f"データベース: {out / 'demo.db'}" in again.output.splitlines()
    assert english_lines(again.output) == []


@pytest.mark.slow
def test_demo_never_touches_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real.db"
    monkeypatch.setenv("AUDITKIT_DB", str(real))
    assert CliRunner().invoke(cli, ["vendor", "add", "My Real Vendor"]).exit_code == 0
    result = CliRunner().invoke(cli, ["demo", "--out-dir", str(tmp_path / "d"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(real) as conn:
        assert conn.execute("SELECT name FROM vendors").fetchall() == [("My Real Vendor",)]
    assert not any("my-real-vendor" in p.name for p in (tmp_path / "d").iterdir())


def test_the_next_hint_names_the_command_as_it_was_typed(tmp_path: Path) -> None:
    from auditkit.cli.demo_cmds import invoked_as

    not_on_path = str(tmp_path / ".venv" / "bin" / "auditkit")
    assert invoked_as(not_on_path) == not_on_path
    assert invoked_as("/usr/lib/python3/dist-packages/auditkit/__main__.py") == "auditkit"
