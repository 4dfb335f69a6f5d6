"""The checklists as `checklist list` shows them, read from the parse cache's small summary
entries: no model is built, and pydantic and YAML are loaded only for a file not yet cached.
Any problem (a bad file, an id defined twice) is reported by the full loader, word for word."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditkit import checklist_cache, paths
from auditkit.errors import NotFound, ValidationProblem


def checklist_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise NotFound(f"{directory}: checklist directory does not exist")
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))


def summaries(extra: Sequence[Path] = ()) -> list[dict[str, Any]]:
    """Shipped checklists, then the user's directories, in `load_directories`' order."""
    files = checklist_files(paths.checklists_dir())
    for directory in extra:
        files += checklist_files(directory)
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    try:
        for path in files:
            facts = checklist_cache.summary(path, _parse)
            ids = [facts["id"], *facts["question_ids"]]
            if seen.intersection(ids) or len(set(ids)) < len(ids):
                raise ValidationProblem([])  # the full loader names the duplicates
            seen.update(ids)
            found.append(facts)
    except ValidationProblem:
        from auditkit.checklists import load_directories

        load_directories(tuple(extra))  # raises every problem of every file
        raise
    return found


def _parse(path: Path) -> Any:
    from auditkit.checklists import parse_file

    return parse_file(path)
