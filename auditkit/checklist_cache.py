"""Parsed checklists cached as JSON in the user cache directory, so commands skip YAML parsing.

An entry is keyed by the file's resolved path, size, mtime_ns and SHA-256 of its bytes, the
SHA-256 of the framework catalogue (references are checked against it) and the auditkit
version, so a changed file is never served from a stale entry. Only files that passed every
check are stored, with the checklist's content hash (so pinning need not compute it again).
Each entry starts with an HMAC-SHA256 of its name and contents under a random key kept beside
the entries (readable by its owner only): an entry that was modified, or copied under another
name, or written by anyone without the key, is never used. A missing, unreadable, corrupt or
unauthenticated entry is simply parsed again. Entries are JSON (dates tagged, as YAML gives
them) validated by the pydantic model on the way back, never pickles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit import paths
from auditkit.errors import AuditkitError

if TYPE_CHECKING:
    from auditkit.models.checklist import Checklist

CACHE_ENV = "AUDITKIT_CACHE_DIR"  # overrides the platform cache directory; "off" disables it
DATE_TAG = "$date"
KEY_FILE = "entries.key"  # the HMAC key, beside the entries
KEY_BYTES = 32
_SHA256 = re.compile("[0-9a-f]{64}")
_memo: dict[str, Checklist] = {}
_catalog: dict[tuple[Path, int, int], tuple[int, int, str] | None] = {}


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("auditkit")) / "checklists"


def _digest(path: Path) -> tuple[int, int, str] | None:
    try:
        stat = path.stat()
        data = path.read_bytes()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest()


def _catalog_digest() -> tuple[int, int, str] | None:
    """The framework catalogue's digest, read again only when its size or mtime changes
    (the catalogue itself is loaded once per process)."""
    path = paths.framework_catalog()
    try:
        stat = path.stat()
    except OSError:
        return None
    seen = (path, stat.st_size, stat.st_mtime_ns)
    if seen not in _catalog:
        _catalog[seen] = _digest(path)
    return _catalog[seen]


def _key(path: Path) -> str | None:
    own = _digest(path)
    catalog = _catalog_digest()
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
    cached = _read_checklist(entry) if entry is not None else None
    if cached is not None:
        _memo[key] = cached
        return cached
    checklist = parse(path)
    if _key(path) != key:  # the file changed while it was parsed: store nothing
        return checklist
    _memo[key] = checklist
    if entry is not None:
        _store(entry, checklist)
    return checklist


def _read_checklist(entry: Path) -> Checklist | None:
    """The checklist in an authentic entry (its content hash remembered), else None. The
    entry is a line of facts, then the checklist's JSON: validated straight from the bytes
    unless it holds dates (only example answers do), which the model wants as dates."""
    from pydantic import ValidationError

    from auditkit.models.checklist import Checklist
    from auditkit.models.record import remember_hash

    body = _read(entry)
    facts_line, _, model_line = (body or b"").partition(b"\n")
    try:
        facts = json.loads(facts_line)
        if not isinstance(facts, dict) or not _SHA256.fullmatch(str(facts.get("sha256"))):
            return None
        if facts.get("dates") is False:
            checklist = Checklist.model_validate_json(model_line)
        else:
            checklist = Checklist.model_validate(json.loads(model_line, object_hook=_hook))
    except (ValueError, ValidationError):
        return None
    remember_hash(checklist, facts["sha256"])
    return checklist


def _store(entry: Path, checklist: Checklist) -> None:
    from auditkit.models.record import content_hash

    data = json.dumps(
        checklist.model_dump(mode="python", by_alias=True), default=_encode, ensure_ascii=False
    )
    dates = f'{{"{DATE_TAG}": ' in data  # also when a text says so: then only slower
    facts = json.dumps({"sha256": content_hash(checklist), "dates": dates})
    _write(entry, f"{facts}\n{data}")


def _read(entry: Path) -> bytes | None:
    """An entry's contents when its HMAC is right (None when missing or not authentic)."""
    secret = _secret(entry.parent, create=False)
    try:
        mac, _, body = entry.read_bytes().partition(b"\n")
    except OSError:
        return None
    if secret is None or not hmac.compare_digest(mac, _mac(secret, entry.name, body)):
        return None
    return body


def _write(entry: Path, text: str) -> None:
    from auditkit.outputs import write_text

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        secret = _secret(entry.parent, create=True)
        if secret is None:
            return
        mac = _mac(secret, entry.name, text.encode("utf-8")).decode("ascii")
        write_text(entry, f"{mac}\n{text}")
    except (OSError, AuditkitError):
        pass  # a cache that cannot be written is only slower


def _mac(secret: bytes, name: str, body: bytes) -> bytes:
    digest = hmac.new(secret, name.encode("utf-8") + b"\0" + body, hashlib.sha256)
    return digest.hexdigest().encode("ascii")


def _secret(directory: Path, create: bool) -> bytes | None:
    """The HMAC key: a file of random bytes that only its owner (this user) can read or
    write; None when there is none (and `create` is false or it cannot be made) or when
    it is not private to this user."""
    path = directory / KEY_FILE
    try:
        return _read_secret(path)
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    try:
        _create_secret(path)
        return _read_secret(path)
    except OSError:
        return None


def _read_secret(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if not mine or info.st_mode & 0o077 or info.st_size != KEY_BYTES:
            return None
        secret = handle.read(KEY_BYTES + 1)
        return secret if len(secret) == KEY_BYTES else None


def _create_secret(path: Path) -> None:
    """A new key, published whole (linked into place) so that no reader sees half of it."""
    draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        os.link(draft, path)
    except FileExistsError:
        pass  # another process made it first
    finally:
        draft.unlink(missing_ok=True)


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
            facts = json.loads(_read(entry) or b"null")
        except ValueError:
            facts = None
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
