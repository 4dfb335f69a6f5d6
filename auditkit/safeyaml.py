"""YAML for untrusted files: size and depth limits, no aliases or anchors, no custom tags.

The document's events are scanned first (libyaml's C parser when available) and refused on
the first anchor, alias or excessive nesting; only then is it loaded with the safe loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from auditkit.errors import ValidationProblem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refuse(source: str, event: Any, what: str) -> ValidationProblem:
    mark = event.start_mark
    return ValidationProblem([f"{source}:{mark.line + 1}:{mark.column + 1}: {what}"])


def _check_events(text: str, source: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(source, event, "aliases are not allowed")
        if getattr(event, "anchor", None) is not None:
            raise _refuse(source, event, "anchors are not allowed")
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise _refuse(source, event, f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, _CLOSE):
            depth -= 1


def loads(text: str, source: str) -> Any:
    """Parse YAML text; `source` names the file in error messages."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ValidationProblem([f"{source}: file is larger than {MAX_BYTES} bytes"])
    try:
        _check_events(text, source)
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        raise ValidationProblem([f"{source}{where}: {what}"]) from None
    except yaml.YAMLError as exc:
        raise ValidationProblem([f"{source}: invalid YAML ({exc})"]) from None
    except (ValueError, RecursionError) as exc:  # e.g. a 5,000-digit number, a bad date
        raise ValidationProblem([f"{source}: invalid YAML ({describe_value_error(exc)})"]) from None


def describe_value_error(exc: Exception) -> str:
    """A parser's ValueError in words for the user."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "integer string conversion" in text:
        return "a number has too many digits"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return text


def load_file(path: Path) -> Any:
    """Read and parse a YAML file, checking its size before reading it whole."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationProblem([f"{path}: file is larger than {MAX_BYTES} bytes"])
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValidationProblem([f"{path}: not UTF-8 text"]) from None
    except OSError as exc:
        raise ValidationProblem([f"{path}: cannot read ({exc.strerror})"]) from None
    return loads(text, str(path))
