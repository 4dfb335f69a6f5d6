"""Validation errors as catalogue messages.

A model's own validators refuse with `refusal(code, **params)`: a pydantic error whose type
names a `messages` entry of the label catalogue. `said(error)` turns any pydantic error into a
message: ours by their code, pydantic's by its error type and context (`pydantic_<type>`),
and an error type without an entry as the generic `pydantic_other` carrying pydantic's text.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic_core import ErrorDetails, PydanticCustomError

from auditkit.models.message import Message, Param

OWN = "auditkit."

# pydantic error types with a `pydantic_<type>` entry in the catalogue (its context as params).
PYDANTIC_TYPES = frozenset(
    {
        "missing",
        "extra_forbidden",
        "string_type",
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "literal_error",
        "enum",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "finite_number",
        "bool_type",
        "bool_parsing",
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "too_short",
        "too_long",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "frozen_instance",
    }
)


def refusal(code: str, **params: Param) -> PydanticCustomError:
    """A validator's refusal, said by the catalogue message `code` with `params`."""
    return PydanticCustomError(OWN + code, code, params)


def said(error: ErrorDetails) -> Message:
    """What a pydantic error says, as a catalogue message."""
    kind = error["type"]
    ctx = {k: _param(v) for k, v in (error.get("ctx") or {}).items()}
    if kind.startswith(OWN):
        return Message.of(kind.removeprefix(OWN), **ctx)
    if kind in PYDANTIC_TYPES:
        return Message.of(f"pydantic_{kind}", **ctx)
    return Message.of("pydantic_other", detail=error["msg"].removeprefix("Value error, "))


def dotted(loc: Iterable[int | str]) -> str:
    """`questions.0.text.ja`: a location as pydantic gives it, validator names left out."""
    return ".".join(str(p) for p in loc if not str(p).startswith("function-"))


def indexed(loc: Iterable[int | str]) -> str:
    """`questions[0].text.ja`: a location as a data file path."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith("function-"):
            out += f".{part}" if out else part
    return out


def _param(value: object) -> Param:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # as pydantic says it: "less than or equal to 1"
    if isinstance(value, Message | str | int | float):
        return value
    return str(value)
