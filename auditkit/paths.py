"""Where the shipped data lives: one place for checklists and report templates.

In a source checkout they sit beside the package; in an installed wheel they are
packaged as `auditkit/_data/...` (see `[tool.hatch.build]` in pyproject.toml).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

CACHE_ENV = "AUDITKIT_CACHE_DIR"  # overrides the platform cache directory; "off" disables it

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def checklists_dir() -> Path:
    return _shipped("checklists")


def templates_dir() -> Path:
    return _shipped("report_templates")


def framework_catalog() -> Path:
    return checklists_dir() / "frameworks" / "catalog.yaml"


@cache
def package_version() -> str:
    """The installed auditkit version (read without importing the package's API)."""
    from importlib import metadata

    try:
        return metadata.version("auditkit")
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_dir(part: str) -> Path | None:
    """Where the caches of `part` (checklists, listings) live: the directory AUDITKIT_CACHE_DIR
    names (shared by every part), or the part's folder in the user cache directory; None when
    caching is off."""
    configured = os.environ.get(CACHE_ENV)
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("auditkit")) / part


_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def version_in(package_file: Path) -> str | None:
    """A package's `__version__`, read from its `__init__.py` without importing it."""
    try:
        found = _VERSION.search(package_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return None if found is None else found.group(1)


@cache
def source_version() -> str:
    """auditkit's version as its source says (no package metadata read, nothing imported)."""
    return version_in(_PACKAGE / "__init__.py") or "unknown"
