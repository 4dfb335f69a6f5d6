"""Cache entries only their owner could have written: each starts with an HMAC-SHA256 of its
name and contents under a random key kept beside the entries (readable by its owner only), so
an entry that was modified, or copied under another name, or written by anyone without the key,
is never used (the checklist, label, listing-statement and compiled-template caches)."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from auditkit.errors import AuditkitError

KEY_FILE = "entries.key"  # the HMAC key, beside the entries
KEY_BYTES = 32


def read(entry: Path) -> bytes | None:
    """An entry's contents when its HMAC is right (None when missing or not authentic)."""
    secret = _secret(entry.parent, create=False)
    try:
        mac, _, body = entry.read_bytes().partition(b"\n")
    except OSError:
        return None
    if secret is None or not hmac.compare_digest(mac, _mac(secret, entry.name, body)):
        return None
    return body


def write(entry: Path, contents: str | bytes) -> None:
    """Store `contents` (text is stored as UTF-8) signed with this user's key."""
    from auditkit.outputs import write_bytes

    body = contents.encode("utf-8") if isinstance(contents, str) else contents
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        secret = _secret(entry.parent, create=True)
        if secret is None:
            return
        write_bytes(entry, _mac(secret, entry.name, body) + b"\n" + body)
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
    import secrets

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
