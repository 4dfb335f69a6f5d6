"""Output files are written beside their destination and renamed into place."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from auditkit.errors import AuditkitError


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(temporary_path)`, then rename it to `path`; no half-written file is left."""
    if path.is_dir():
        raise AuditkitError(f"{path}: is a directory; give a file name")
    if not path.parent.is_dir():
        raise AuditkitError(f"{path.parent}: directory does not exist")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise AuditkitError(f"{path}: cannot write ({exc.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
