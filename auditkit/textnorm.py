"""One normalisation of text that comes from vendors and users, applied where it enters storage.

- Line and paragraph separators (CR LF, CR, NEL, U+2028, U+2029, VT, FF) become "\\n".
- Other control characters and the invisible characters that reorder or hide text
  (bidi overrides, embeddings, isolates and marks, zero-width spaces, BOM, interlinear
  annotation, noncharacters) are shown as visible escapes such as "\\u202e".
- NUL is refused: it is never a legitimate part of a name, an answer or a note.

`normalize` is idempotent (its output normalises to itself). `display` is the lenient form
for text that is already stored: it never refuses, NUL becomes a visible escape too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from auditkit.errors import ValidationProblem
from auditkit.models.message import Message
from auditkit.models.refusals import OWN, refusal

NAME_MAX = 200  # vendor, contact, reviewer, approver, owner, answered by
REFERENCE_MAX = 1_000  # an evidence reference, a file name
TEXT_MAX = 10_000  # comments, text answers, finding notes

_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0/C1 controls except TAB and LF; bidi marks, embeddings, overrides and isolates; zero-width
# and invisible format characters; interlinear annotation; specials and noncharacters.
_HIDDEN = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u061c\u180e\u200b-\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)


def normalize(text: str) -> str:
    """Vendor text as it is stored: separators as newlines, hidden characters escaped.
    A NUL character is refused (a validation error of the model being validated)."""
    if "\x00" in text:
        raise refusal("text_nul")
    return display(text)


def display(text: str) -> str:
    """The same normalisation without refusing anything (for text already stored)."""
    return _HIDDEN.sub(_escape, _BREAKS.sub("\n", text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def limited(limit: int) -> Callable[[str], str]:
    """A validator: normalise, then refuse text longer than `limit` characters."""

    def check(value: str) -> str:
        value = normalize(value)
        if len(value) > limit:
            raise refusal("text_over_limit", length=len(value), limit=limit)
        return value

    return check


Name = Annotated[str, AfterValidator(limited(NAME_MAX))]
Reference = Annotated[str, AfterValidator(limited(REFERENCE_MAX))]
LongText = Annotated[str, AfterValidator(limited(TEXT_MAX))]


def field(name: str, value: str | None, limit: int) -> str | None:
    """One free-text argument checked outside a model; a ValidationProblem names the field."""
    if value is None:
        return None
    try:
        return limited(limit)(value)
    except PydanticCustomError as exc:
        said = Message.of(exc.type.removeprefix(OWN), **(exc.context or {}))
        raise ValidationProblem([Message.of("at", where=name, said=said)]) from None
