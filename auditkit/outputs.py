"""Output files are written beside their destination and renamed into place, so a crash
or a full disk never leaves a half-written report or export."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditkit import catalogue
from auditkit.errors import AuditkitError, NotFound


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(temporary_path)`, then rename the file to `path`."""
    if path.is_dir():
        raise catalogue.error(AuditkitError, "out_is_directory", path=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise catalogue.error(NotFound, "out_no_directory", path=str(directory))
    try:
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        detail = str(exc.strerror)
        raise catalogue.error(
            AuditkitError, "cannot_write", path=str(path), detail=detail
        ) from None
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        _sync_and_open_up(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        detail = str(exc.strerror)
        raise catalogue.error(
            AuditkitError, "cannot_write", path=str(path), detail=detail
        ) from None
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook saved in memory: written to a file, a full disk would fail inside
    ZipFile and leave its destructor printing a second traceback at exit."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def _sync_and_open_up(path: Path) -> None:
    """Flush to disk and give the file the permissions a plain open() would (mkstemp: 0600)."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
