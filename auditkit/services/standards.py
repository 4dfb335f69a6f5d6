"""`audit import --from caiq|hecvat|vsaq`: a vendor's filled standard questionnaire proposes
answers through a mapping. All of it is stored in one transaction, or nothing.

Stored answers get the source "vendor standard questionnaire", the file itself as evidence
(content-addressed by its SHA-256) and their question ids as the vendor's reference.
Answers already given are kept unless `replace`; questions nothing maps onto stay pending.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from auditkit import catalogue
from auditkit.errors import ValidationProblem
from auditkit.exchange.safety import MAX_TEXT_FILE_BYTES, MAX_XLSX_BYTES, read_regular
from auditkit.exchange.standards import mappings
from auditkit.exchange.standards.propose import Plan, plan
from auditkit.exchange.standards.readers import read_answers
from auditkit.models.audit import Answer, Evidence, Source
from auditkit.models.checklist import Checklist
from auditkit.services import audits
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction

EVIDENCE_KIND = "other"
MAX_REF = 1_000


@dataclass(frozen=True)
class StandardImport:
    audit_id: int
    standard: str
    mapping: Path
    sha256: str
    plan: Plan
    stored: bool


def import_standard(
    db: str | None,
    audit_id: int,
    path: Path,
    standard: str,
    checklists: dict[str, Checklist],
    actor: str,
    mapping_path: Path | None = None,
    columns: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
) -> StandardImport:
    mapping_path = mapping_path or mappings.shipped(standard)
    mapping = mappings.load(mapping_path)
    if mapping.standard != standard:
        raise catalogue.error(
            ValidationProblem,
            "mapping_other_standard",
            path=str(mapping_path),
            found=mapping.standard,
            standard=standard,
        )
    problems = mappings.problems(str(mapping_path), mapping, checklists)
    if problems:
        raise ValidationProblem(problems)
    limit = MAX_TEXT_FILE_BYTES if standard == "vsaq" else MAX_XLSX_BYTES
    content = read_regular(path, limit)
    vendor = read_answers(path, standard, columns)
    sha256 = hashlib.sha256(content).hexdigest()
    if hashlib.sha256(read_regular(path, limit)).hexdigest() != sha256:
        raise catalogue.error(ValidationProblem, "file_changed", path=str(path))
    with transaction(db) as conn:
        repo.lock_writable(conn, audit_id)
        state = audits.load(conn, audit_id, checklists)
        questions = {q.id: q for c in state.checklists for q in c.questions}
        proposed = plan(mapping, vendor, questions, state.answers, state.audit.as_of, replace)
        if not dry_run and proposed.store:
            item = Evidence(
                sha256=sha256, name=path.name[:255], kind=EVIDENCE_KIND, size=len(content)
            )
            repo.add_evidence(conn, item.sha256, item.name, content)
            new = [
                _answer(p.question.id, p.value, p.comment, p.sources, p.old, item, standard)
                for p in proposed.store
            ]
            repo.save_answers(conn, state.audit, new, actor)
    return StandardImport(audit_id, standard, mapping_path, sha256, proposed, not dry_run)


def _answer(
    question_id: str,
    value: object,
    comment: str | None,
    sources: tuple[str, ...],
    old: Answer | None,
    evidence: Evidence,
    standard: str,
) -> Answer:
    kept = [e for e in (old.evidence if old else []) if e.sha256 != evidence.sha256]
    return Answer.model_validate(
        {
            "question_id": question_id,
            "value": value,
            "comment": comment,
            "source": Source.STANDARD,
            "evidence": [*kept, evidence],
            "evidence_ref": f"{standard.upper()} {', '.join(sources)}"[:MAX_REF],
        }
    )
