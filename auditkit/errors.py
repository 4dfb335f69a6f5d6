"""The library's error hierarchy. Only the CLI turns these into exit codes."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from enum import IntEnum

from auditkit.models.message import Message


class ExitStatus(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    ERROR = 1  # a user or data error: bad input, unknown id, refused write
    USAGE = 2  # Click's own code for bad options/arguments
    INVALID_DATA = 3  # a checklist or exchange file failed validation
    NOT_FOUND = 4  # vendor, audit, finding or file does not exist
    CONFLICT = 5  # the operation is not allowed in the object's state (final audit, ...)
    STORAGE = 6  # the database cannot be opened, is corrupt or read-only
    VERIFY_FAILED = 7  # a report failed verification


MAX_PROBLEMS = 50


class AuditkitError(Exception):
    """Base class: a problem a user can understand and fix. Message is one line.

    `said` optionally holds the same statement as a catalogue message (an
    `auditkit.models.message.Message`), so the CLI can say it in the user's language.
    """

    exit_status: ExitStatus = ExitStatus.ERROR
    said: object = None

    def saying(self, message: object) -> AuditkitError:
        self.said = message
        return self


class ValidationProblem(AuditkitError):
    """One or more problems in a data file. Each problem is one line: a catalogue message
    (`said_lines`, said in the user's language by the CLI) and its English text (`problems`).
    A plain string is a line said as written."""

    exit_status = ExitStatus.INVALID_DATA

    def __init__(self, problems: Sequence[str | Message]) -> None:
        said = [p if isinstance(p, Message) else Message.of("plain", text=p) for p in problems]
        if len(said) > MAX_PROBLEMS:  # the first ones show the pattern; the rest is noise
            hidden = len(said) - MAX_PROBLEMS
            said = [*said[:MAX_PROBLEMS], Message.of("more_problems", count=hidden)]
        self._set(said)

    def saying(self, message: object) -> AuditkitError:
        if isinstance(message, Message):
            self._set([message])
        self.said = message
        return self

    def _set(self, said: list[Message]) -> None:
        self.said_lines = tuple(said)
        self.problems = [_english(m) for m in said]
        super().__init__("\n".join(self.problems))


# How a message reads in English: registered by `auditkit.catalogue` when it is imported. The
# catalogue sits above the models that raise these errors, so this module does not import it.
ENGLISH: list[Callable[[Message], str]] = []


def _english(message: Message) -> str:
    """A line in English: the text of a plain line, else the catalogue's English template."""
    if message.code == "plain":
        return str(message.get("text"))
    if not ENGLISH:
        importlib.import_module("auditkit.catalogue")  # registers its renderer
    return ENGLISH[0](message)


class NotFound(AuditkitError):
    exit_status = ExitStatus.NOT_FOUND


class Conflict(AuditkitError):
    exit_status = ExitStatus.CONFLICT


class StorageError(AuditkitError):
    exit_status = ExitStatus.STORAGE


class VerificationFailed(AuditkitError):
    exit_status = ExitStatus.VERIFY_FAILED
