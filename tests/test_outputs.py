"""Atomic output files: all or nothing, one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditkit.errors import AuditkitError, NotFound
from auditkit.outputs import atomic_write, write_bytes


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(AuditkitError) as caught:
        atomic_write(target, broken)
    assert str(caught.value) == f"{target}: cannot write (No space left on device)"
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_bytes(target, b"{}")
    umask = os.umask(0)
    os.umask(umask)
    assert (target.stat().st_mode & 0o777) == 0o666 & ~umask


def test_missing_directory_and_directory_target(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="output directory does not exist"):
        write_bytes(tmp_path / "nope" / "r.pdf", b"x")
    with pytest.raises(AuditkitError, match="is a directory; give a file name"):
        write_bytes(tmp_path, b"x")
