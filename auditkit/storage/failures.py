"""Database errors said as catalogue messages, whichever driver layer raised them."""

from __future__ import annotations

from auditkit import catalogue
from auditkit.errors import StorageError
from auditkit.models.message import Message


def describe_said(exc: Exception) -> Message:
    """What a database error means, as a catalogue message."""
    message = str(getattr(exc, "orig", exc)).splitlines()[0]
    if "file is not a database" in message or "malformed" in message:
        return Message.of("db_corrupt")
    if "readonly" in message or "read-only" in message:
        return Message.of("db_read_only")
    if "unable to open" in message:
        return Message.of("db_cannot_open")
    return Message.of("plain", text=message)


def storage_error(where: str, exc: Exception) -> StorageError:
    """`WHERE: what went wrong`, said in the user's language by the CLI."""
    return catalogue.error(StorageError, "in_file", path=where, said=describe_said(exc))
