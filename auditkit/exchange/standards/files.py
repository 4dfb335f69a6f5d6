"""`checklist convert`: a template file in, checked checklist YAML files and a mapping out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditkit import catalogue, outputs
from auditkit.checklists import load_directories, parse_checklist
from auditkit.errors import AuditkitError, ValidationProblem
from auditkit.exchange.standards import mappings
from auditkit.exchange.standards.convert import convert, slug
from auditkit.exchange.standards.readers import read_template
from auditkit.models.mapping import Mapping
from auditkit.models.message import Message

_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: ~10x faster


@dataclass(frozen=True)
class ConvertResult:
    files: tuple[Path, ...]
    mapping_file: Path
    questions: int
    conditions: int
    warnings: tuple[Message, ...]


def convert_file(
    path: Path,
    standard: str,
    out_dir: Path,
    prefix: str | None = None,
    columns: str | None = None,
    force: bool = False,
) -> ConvertResult:
    """Read, convert and check everything first; write only when all of it is valid."""
    template = read_template(path, standard, columns)
    prefix = slug(prefix or standard, "x")
    done = convert(template, prefix)
    shipped = load_directories()
    problems = [
        Message.of("convert_id_clash", path=str(path), id=repr(cid))
        for cid in done.checklists
        if cid in shipped
    ]
    targets = {out_dir / f"{cid}.yaml": doc for cid, doc in done.checklists.items()}
    checked = {}
    for target, doc in targets.items():
        try:
            checked[target] = parse_checklist(doc, str(target), stem=target.stem)
        except ValidationProblem as exc:
            problems += exc.said_lines
    mapping_file = out_dir / "mappings" / f"{prefix}.yaml"
    mapping = Mapping.model_validate(done.mapping)
    problems += mappings.problems(str(mapping_file), mapping, {c.id: c for c in checked.values()})
    if problems:
        raise ValidationProblem(problems)
    existing = [p for p in [*targets, mapping_file] if p.exists()]
    if existing and not force:
        raise catalogue.error(AuditkitError, "convert_exists", path=str(existing[0]))
    try:
        (out_dir / "mappings").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise catalogue.error(
            AuditkitError, "convert_no_out_dir", path=str(out_dir), detail=str(exc)
        ) from None
    for target, doc in targets.items():
        outputs.write_text(target, _yaml(doc))
    outputs.write_text(mapping_file, _yaml(done.mapping))
    return ConvertResult(
        tuple(targets),
        mapping_file,
        sum(len(c.questions) for c in checked.values()),
        sum(q.applies_if is not None for c in checked.values() for q in c.questions),
        done.warnings,
    )


def _yaml(doc: dict[str, Any]) -> str:
    header = "# Converted by 'auditkit checklist convert'; review scores, weights and texts.\n"
    body = yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)
    return header + body
