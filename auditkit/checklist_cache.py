"""Parsed checklists cached as JSON in the user cache directory, so commands skip YAML parsing.

An entry is keyed by the file's resolved path, size, mtime_ns and SHA-256 of its bytes, the
SHA-256 of the framework catalogue (references are checked against it) and the auditkit
version, so a changed file is never served from a stale entry. Only files that passed every
check are stored; a missing, unreadable or corrupt entry is simply parsed again. Entries are
JSON (dates tagged, as YAML gives them) validated by the pydantic model on the way back, never
pickles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit import paths
from auditkit.errors import AuditkitError

if TYPE_CHECKING:
    from auditkit.models.checklist import Checklist

CACHE_ENV = paths.CACHE_ENV
DATE_TAG = "$date"
_memo: dict[str, Checklist] = {}


def cache_dir() -> Path | None:
    return paths.cache_dir("checklists")


def _digest(path: Path) -> tuple[int, int, str] | None:
    try:
        stat = path.stat()
        data = path.read_bytes()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest()


def _key(path: Path) -> str | None:
    own = _digest(path)
    catalog = _digest(paths.framework_catalog())
    if own is None:
        return None
    text = f"{paths.package_version()}\0{path.resolve()}\0{own}\0{catalog}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(path: Path, parse: Callable[[Path], Checklist]) -> Checklist:
    """`parse(path)`, or its cached result when the file is unchanged."""
    key = _key(path)
    if key is None:
        return parse(path)
    if key in _memo:
        return _memo[key]
    directory = cache_dir()
    entry = directory / f"{key}.json" if directory is not None else None
    if entry is not None:
        from auditkit.models.checklist import Checklist

        try:
            checklist = Checklist.model_validate(json.loads(entry.read_bytes(), object_hook=_hook))
        except (OSError, ValueError):
            pass
        else:
            _memo[key] = checklist
            return checklist
    checklist = parse(path)
    if _key(path) != key:  # the file changed while it was parsed: store nothing
        return checklist
    _memo[key] = checklist
    if entry is not None:
        _store(entry, checklist)
    return checklist


def _store(entry: Path, checklist: Checklist) -> None:
    data = checklist.model_dump(mode="python", by_alias=True)
    _write(entry, json.dumps(data, default=_encode, ensure_ascii=False))


def _write(entry: Path, text: str) -> None:
    from auditkit.outputs import write_text

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_text(entry, text)
    except (OSError, AuditkitError):
        pass  # a cache that cannot be written is only slower


SUMMARY_FIELDS = ("id", "version", "title", "questions", "critical", "conditional", "question_ids")


def summary(path: Path, parse: Callable[[Path], Checklist]) -> dict[str, Any]:
    """What `checklist list` shows of a file (id, version, title, question and critical
    counts, whether it is conditional) and its question ids, from a small entry beside the
    full one (same key), so listing needs no model; loaded through `load` when missing."""
    key = _key(path)
    directory = cache_dir()
    entry = directory / f"{key}.summary.json" if key is not None and directory else None
    if entry is not None:
        try:
            facts = json.loads(entry.read_bytes())
        except (OSError, ValueError):
            pass
        else:
            if isinstance(facts, dict) and tuple(facts) == SUMMARY_FIELDS:
                return facts
    checklist = load(path, parse)
    facts = {
        "id": checklist.id,
        "version": checklist.version,
        "title": {"en": checklist.title.en, "ja": checklist.title.ja},
        "questions": len(checklist.questions),
        "critical": sum(q.critical for q in checklist.questions),
        "conditional": checklist.applies_if is not None,
        "question_ids": [q.id for q in checklist.questions],
    }
    if entry is not None and _key(path) == key:
        _write(entry, json.dumps(facts, ensure_ascii=False))
    return facts


def _encode(value: object) -> object:
    """Dates (YAML's example answers) as {"$date": ISO}; the model wants them as dates."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {DATE_TAG: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _hook(obj: dict[str, Any]) -> object:
    if len(obj) == 1 and DATE_TAG in obj:
        return dt.date.fromisoformat(obj[DATE_TAG])
    return obj
