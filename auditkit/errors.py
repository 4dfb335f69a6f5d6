"""The library's error hierarchy. Only the CLI turns these into exit codes."""

from __future__ import annotations

from enum import IntEnum


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
    """One or more problems in a data file. Each problem is one line."""

    exit_status = ExitStatus.INVALID_DATA

    def __init__(self, problems: list[str]) -> None:
        if len(problems) > MAX_PROBLEMS:  # the first ones show the pattern; the rest is noise
            hidden = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], f"... and {hidden} more problems"]
        self.problems = problems
        super().__init__("\n".join(problems))


class NotFound(AuditkitError):
    exit_status = ExitStatus.NOT_FOUND


class Conflict(AuditkitError):
    exit_status = ExitStatus.CONFLICT


class StorageError(AuditkitError):
    exit_status = ExitStatus.STORAGE


class VerificationFailed(AuditkitError):
    exit_status = ExitStatus.VERIFY_FAILED
