"""YAML for untrusted files: size and depth limits, no aliases, no custom tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from auditkit.errors import ValidationProblem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases (no billion-laughs)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.constructor.ConstructorError(
                None, None, "aliases are not allowed", event.start_mark
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors are not allowed", event.start_mark
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.constructor.ConstructorError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def loads(text: str, source: str) -> Any:
    """Parse YAML text; `source` names the file in error messages."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ValidationProblem([f"{source}: file is larger than {MAX_BYTES} bytes"])
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - safe subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        raise ValidationProblem([f"{source}{where}: {what}"]) from None
    except yaml.YAMLError as exc:
        raise ValidationProblem([f"{source}: invalid YAML ({exc})"]) from None


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
