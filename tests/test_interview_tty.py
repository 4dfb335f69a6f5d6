"""The interview at a real terminal (a pseudo-terminal driven by pexpect)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from click.testing import Result

from tests.builders import run_json

pytestmark = pytest.mark.slow
AUDITKIT = str(Path(sys.executable).with_name("auditkit"))


def _audit(run: Callable[..., Result]) -> str:
    assert run("vendor", "add", "Tty Co", "--personal-data", "medium").exit_code == 0
    return str(run_json(run, "audit", "start", "Tty Co", "--as-of", "2026-11-01")["id"])


def _spawn(db: str, *args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "AUDITKIT_DB": db, "AUDITKIT_USER": "tester"}
    return pexpect.spawn(AUDITKIT, list(args), env=env, encoding="utf-8", timeout=60)


def _interrupt(child: pexpect.spawn) -> None:
    """Ctrl-C. A SIGINT that lands after the prompt is printed but before the read starts
    is only noticed at the next signal (CPython checks signals when a read is interrupted),
    so send it again while nothing has happened. Wait long enough that a slow machine is done
    with the first before the second comes (a second one during the first's clean-up would be
    a different test)."""
    for _ in range(4):
        child.sendintr()
        if child.expect(["interrupted", pexpect.TIMEOUT], timeout=10) == 0:
            child.expect(" everything answered so far is saved")
            return
    raise AssertionError("the interview did not stop on Ctrl-C")


def _stored(run: Callable[..., Result], audit_id: str) -> dict[str, object]:
    answers = run_json(run, "audit", "show", audit_id)["answers"]
    return {a["question_id"]: a["value"] for a in answers}


def test_ctrl_c_at_the_comment_prompt_keeps_the_answer_and_exits_130(
    db: str, run: Callable[..., Result]
) -> None:
    audit_id = _audit(run)
    child = _spawn(db, "audit", "interview", audit_id)
    child.expect("answer: ")
    child.sendline("1")
    child.expect("comment \\(optional\\): ")
    _interrupt(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert _stored(run, audit_id) == {"access_control.mfa_admin": "phishing_resistant"}


def test_still_open_agrees_with_the_score_after_an_answer_and_a_skip(
    db: str, run: Callable[..., Result]
) -> None:
    audit_id = _audit(run)
    child = _spawn(db, "audit", "interview", audit_id)
    child.expect("answer: ")
    child.sendline("2")
    child.expect("comment \\(optional\\): ")
    child.sendline("")
    child.expect("answer: ")
    child.sendline("s")
    child.expect("answer: ")
    child.sendline("q")
    child.expect(r"1 answer\(s\) saved; (\d+) question\(s\) still open")
    still_open = int(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert still_open == run_json(run, "audit", "score", audit_id)["unanswered"]


def test_a_bad_answer_is_explained_in_japanese_and_asked_again(
    db: str, run: Callable[..., Result]
) -> None:
    audit_id = _audit(run)
    child = _spawn(db, "audit", "interview", audit_id, "--lang", "ja")
    child.expect("回答: ")
    child.sendline("maybe")
    child.expect("無効な回答です: 不明な選択肢 'maybe' です。回答方法: 次のいずれか: ")
    child.expect("回答: ")
    child.sendline("1")
    child.expect("コメント\\(任意\\): ")
    child.sendline("")
    child.expect("回答: ")
    child.sendline("q")
    child.expect("1 件の回答を保存しました")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert _stored(run, audit_id) == {"access_control.mfa_admin": "phishing_resistant"}
