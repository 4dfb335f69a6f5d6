"""Files that try to hang or exhaust an import: devices, FIFOs, a quadratic-regex JSON.

Each runs the real CLI in a subprocess with a memory cap and a generous timeout, so a
regression fails the test instead of taking the machine down with it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from auditkit.exchange.safety import MAX_TEXT_FILE_BYTES

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]
MEMORY_CAP = 1024 * 1024 * 1024  # 1 GB of address space; a /dev/zero read used 2.6 GB
TIMEOUT = 60  # seconds; a 2 MB hostile JSON took more than 300 s before the fix


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def auditkit(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditkit", "--db", db, "--as", "tester", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=_cap_memory,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def audit_db(db: str) -> str:
    assert auditkit(db, "vendor", "add", "Acme").returncode == 0
    assert auditkit(db, "audit", "start", "Acme").returncode == 0
    return db


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".xlsx"])
def test_a_link_to_dev_zero_is_refused(audit_db: str, tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    result = auditkit(audit_db, "audit", "import", "1", str(link))
    assert (result.returncode, result.stderr) == (
        3,
        f"error: {link}: not a regular file; give the questionnaire file\n",
    )


def test_a_fifo_is_refused_without_hanging(audit_db: str, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    result = auditkit(audit_db, "audit", "import", "1", str(fifo))
    assert (result.returncode, result.stderr) == (
        3,
        f"error: {fifo}: not a regular file; give the questionnaire file\n",
    )


def test_a_missing_file_is_not_found(audit_db: str, tmp_path: Path) -> None:
    result = auditkit(audit_db, "audit", "import", "1", str(tmp_path / "gone.json"))
    assert (result.returncode, result.stderr.count("\n")) == (4, 1)


def test_two_megabytes_of_escaped_quotes_is_refused_in_linear_time(
    audit_db: str, tmp_path: Path
) -> None:
    """`"` then `\\"` repeated: quadratic for the old backtracking pre-scan (>300 s)."""
    path = tmp_path / "quotes.json"
    path.write_bytes(b'"' + b'\\"' * ((MAX_TEXT_FILE_BYTES - 1) // 2))
    assert path.stat().st_size > MAX_TEXT_FILE_BYTES - 2
    result = auditkit(audit_db, "audit", "import", "1", str(path))  # timeout bounds the time
    assert result.returncode == 3
    assert result.stderr == f"error: {path}:1:1: invalid JSON (Unterminated string starting at)\n"


def test_deep_nesting_is_refused_after_a_linear_parse(audit_db: str, tmp_path: Path) -> None:
    for depth, name in ((33, "deep.json"), (200_000, "deeper.json")):
        path = tmp_path / name
        path.write_text("[" * depth + "]" * depth)
        result = auditkit(audit_db, "audit", "import", "1", str(path))
        assert (result.returncode, result.stderr) == (
            3,
            f"error: {path}: nesting deeper than 32 levels\n",
        )


def test_reading_commands_work_on_a_read_only_mount(audit_db: str, tmp_path: Path) -> None:
    """A read-only tmpfs (root only): reads open the file with SQLite mode=ro."""
    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)]).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        copy = mount / "audit.db"
        assert auditkit(str(copy), "vendor", "add", "Mounted KK").returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        for args in (("audit", "list"), ("vendor", "list"), ("findings", "list"), ("due",)):
            result = auditkit(str(copy), *args)
            assert (result.returncode, result.stderr) == (0, ""), args
        assert "Mounted KK" in auditkit(str(copy), "vendor", "list").stdout
        result = auditkit(str(copy), "vendor", "add", "Other KK")
        assert (result.returncode, result.stderr.count("\n")) == (6, 1)
        assert "read-only" in result.stderr or "cannot open" in result.stderr
    finally:
        subprocess.run(["umount", str(mount)], check=False)
