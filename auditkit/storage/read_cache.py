"""Compiled read statements (see `compiled_reads`: the listings', an audit's reads to score it),
cached as a JSON file in the user cache directory, so a listing or `audit score` on a SQLite
file can run without importing SQLAlchemy. The file is named after its key, so two releases
installed side by side keep their own statements rather than rewriting one file in turn.

The file is authenticated (`auditkit.cache_entries`) and holds a key beside the statements. The
key covers everything a compiled
statement depends on: the file format, auditkit's version, SQLAlchemy's version (read from its
package without importing it), SQLite's version, the schema revision the code expects and the
source of every module the statements are built from. A file with another key, an edited or
copied file (its HMAC does not match), or one that cannot be read or parsed is not used; the
next listing through SQLAlchemy writes it anew.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

from auditkit import cache_entries, paths
from auditkit.storage.revision import HEAD

FORMAT = 1
FILE_PREFIX = "statements-"
_PACKAGE = Path(__file__).resolve().parents[1]
# the modules the statements are built from (a test checks every auditkit import is here)
SOURCES = (
    "storage/listings.py",
    "storage/audit_statements.py",
    "storage/audit_shapes.py",
    "storage/listing_reads.py",
    "storage/compiled_reads.py",
    "storage/schema.py",
    "models/listing.py",
    "models/states.py",
    "risk.py",
)

Statements = dict[str, dict[str, Any]]


def cache_file() -> Path | None:
    """The cache file for this release's statements; None when caching is off."""
    directory, name = paths.cache_dir("listings"), file_name()
    return None if directory is None or name is None else directory / name


def file_name() -> str | None:
    """`statements-<first 16 hex of the key>.json`; None when the key cannot be made."""
    current = key()
    return None if current is None else f"{FILE_PREFIX}{current[:16]}.json"


@cache
def key() -> str | None:
    """The key compiled statements are stored under; None when a part cannot be read."""
    parts = key_parts()
    return None if parts is None else hashlib.sha256("\0".join(parts).encode()).hexdigest()


def key_parts() -> list[str] | None:
    """Format, auditkit's, SQLAlchemy's and SQLite's versions, the schema revision, then the
    SHA-256 of each source in SOURCES; None when one cannot be read."""
    ours = paths.source_version()
    spec = importlib.util.find_spec("sqlalchemy")
    theirs = None if spec is None or spec.origin is None else paths.version_in(Path(spec.origin))
    if theirs is None:
        return None
    parts = [str(FORMAT), ours, theirs, sqlite3.sqlite_version, HEAD]
    for source in SOURCES:
        try:
            parts.append(hashlib.sha256((_PACKAGE / source).read_bytes()).hexdigest())
        except OSError:
            return None
    return parts


def load() -> Statements:
    """The cached statements by shape key; empty when there is no usable file."""
    path, current = cache_file(), key()
    if path is None or current is None:
        return {}
    try:
        data = json.loads(cache_entries.read(path) or b"null")
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("key") != current:
        return {}
    statements = data.get("statements")
    return statements if isinstance(statements, dict) else {}


def store(new: Statements) -> None:
    """Add statements to the cache file (written whole, atomically; a cache that cannot be
    written is only slower)."""
    path, current = cache_file(), key()
    if path is None or current is None or not new:
        return
    data = {"key": current, "statements": {**load(), **new}}
    cache_entries.write(path, json.dumps(data, ensure_ascii=False, sort_keys=True))
