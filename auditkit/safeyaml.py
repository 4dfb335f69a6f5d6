"""YAML for untrusted files: size and depth limits, no aliases or anchors, no custom tags.

The document's events are scanned first (libyaml's C parser when available) and refused on
the first anchor, alias or excessive nesting; only then is it loaded with the safe loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from auditkit.errors import ValidationProblem
from auditkit.models.message import Message

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refuse(source: str, event: Any, what: Message) -> ValidationProblem:
    mark = event.start_mark
    line, column = mark.line + 1, mark.column + 1
    return ValidationProblem(
        [Message.of("at_position", path=source, line=line, column=column, said=what)]
    )


def _check_events(text: str, source: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(source, event, Message.of("yaml_alias"))
        if getattr(event, "anchor", None) is not None:
            raise _refuse(source, event, Message.of("yaml_anchor"))
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise _refuse(source, event, Message.of("too_deep", depth=MAX_DEPTH))
        elif isinstance(event, _CLOSE):
            depth -= 1


def loads(text: str, source: str) -> Any:
    """Parse YAML text; `source` names the file in error messages."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ValidationProblem([Message.of("larger_than_bytes", path=source, limit=MAX_BYTES)])
    try:
        _check_events(text, source)
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context
        said = Message.of("yaml_syntax", detail=what) if what else Message.of("invalid_yaml_bare")
        if mark is None:
            raise ValidationProblem([Message.of("at", where=source, said=said)]) from None
        line, column = mark.line + 1, mark.column + 1
        raise ValidationProblem(
            [Message.of("at_position", path=source, line=line, column=column, said=said)]
        ) from None
    except yaml.YAMLError as exc:
        said = Message.of("invalid_yaml", detail=str(exc))
        raise ValidationProblem([Message.of("at", where=source, said=said)]) from None
    except (ValueError, RecursionError) as exc:  # e.g. a 5,000-digit number, a bad date
        said = Message.of("invalid_yaml", detail=describe_value_error(exc))
        raise ValidationProblem([Message.of("at", where=source, said=said)]) from None


def describe_value_error(exc: Exception) -> Message:
    """A parser's ValueError in words for the user (the parser's own text when unknown)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "integer string conversion" in text:
        return Message.of("number_too_long")
    if isinstance(exc, RecursionError):
        return Message.of("nested_too_deeply")
    return Message.of("plain", text=text)


def load_file(path: Path) -> Any:
    """Read and parse a YAML file, checking its size before reading it whole."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationProblem(
                [Message.of("larger_than_bytes", path=str(path), limit=MAX_BYTES)]
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValidationProblem([Message.of("not_utf8", path=str(path))]) from None
    except OSError as exc:
        said = Message.of("cannot_read", path=str(path), detail=str(exc.strerror))
        raise ValidationProblem([said]) from None
    return loads(text, str(path))
