"""What parsing a small data file gave, cached as JSON in the user cache directory, so a command
needs neither the parser nor its import (the label catalogue: no YAML at start-up).

An entry is keyed by the file's resolved path and the SHA-256 of its bytes, auditkit's version,
the SHA-256 of the source of the module that parses it and a `salt` (the parse's options), so a
changed file or parser is never served from a stale entry. Only a parse that succeeded is stored;
a missing, unreadable, corrupt or invalid entry is parsed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from auditkit import cache_entries, paths

T = TypeVar("T")


def load(
    part: str,
    path: Path,
    parse: Callable[[Path], T],
    valid: Callable[[Any], bool],
    parser_source: Path,
    salt: str = "",
) -> T:
    """`parse(path)`, or its cached result (checked by `valid`) when the file is unchanged."""
    key = _key(path, parser_source, salt)
    directory = paths.cache_dir(part)
    if key is None or directory is None:
        return parse(path)
    entry = directory / f"{key}.json"
    try:
        cached = json.loads(cache_entries.read(entry) or b"null")
    except ValueError:
        cached = None
    if cached is not None and valid(cached):
        return cached  # type: ignore[no-any-return]
    value = parse(path)
    if _key(path, parser_source, salt) == key:  # unchanged while it was parsed
        cache_entries.write(entry, json.dumps(value, ensure_ascii=False))
    return value


def _key(path: Path, parser_source: Path, salt: str) -> str | None:
    try:
        data, parser = path.read_bytes(), parser_source.read_bytes()
    except OSError:
        return None
    head = f"{paths.source_version()}\0{path.resolve()}\0{salt}\0".encode()
    return hashlib.sha256(head + hashlib.sha256(parser).digest() + data).hexdigest()
