"""Audits: start, read, answer, score, finalize."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from pathlib import Path

from auditkit import answers as answer_rules
from auditkit import catalogue
from auditkit.assessment import AuditState, Scored, applicable_checklists
from auditkit.errors import Conflict, NotFound, ValidationProblem
from auditkit.models.audit import (
    Answer,
    Audit,
    Change,
    Evidence,
    Source,
)
from auditkit.models.checklist import Checklist, Question
from auditkit.models.common import revise
from auditkit.models.confidence import ConfidenceRules
from auditkit.models.message import Message
from auditkit.models.vendor import Vendor
from auditkit.services import audit_loading, pinning
from auditkit.services import findings as finding_service
from auditkit.storage import change_log
from auditkit.storage import records as record_store
from auditkit.storage import repository as repo
from auditkit.storage import vendors as vendor_store
from auditkit.storage.audit_statements import ConnectionReader
from auditkit.storage.db import Connection, transaction
from auditkit.year_over_year import AuditDiff, diff

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


def start(
    db: str | None,
    vendor_ref: str,
    checklists: dict[str, Checklist],
    actor: str,
    as_of: dt.date | None = None,
    from_previous: bool = False,
) -> Audit:
    with transaction(db) as conn:
        vendor = vendor_store.get_vendor(conn, vendor_ref)
        chosen = applicable_checklists(vendor, checklists)
        previous = record_store.latest_final(conn, vendor.id or 0)
        audit = repo.create_audit(
            conn,
            vendor.id or 0,
            {c.id: c.version for c in chosen},
            vendor.profile.facts(vendor.services),
            as_of or dt.date.today(),
            actor,
            previous.id if previous else None,
            pinning.pin_all(conn, chosen),
        )
        if from_previous and previous is not None:
            known = {q.id for c in chosen for q in c.questions}
            carried = [a for qid, a in repo.get_answers(conn, previous.id).items() if qid in known]
            repo.save_answers(conn, audit, carried, actor)
        return audit


def load(
    conn: Connection,
    audit_id: int,
    checklists: dict[str, Checklist],
    strict: bool = True,
    rules: ConfidenceRules | None = None,
) -> AuditState:
    """A final audit from its frozen record; a draft with its pinned checklist content (see
    `audit_loading.load`); a draft started before contents were pinned is pinned now."""
    adopt = pinning.Adopter(conn)
    state = audit_loading.load(ConnectionReader(conn), audit_id, checklists, strict, rules, adopt)
    adopt.finish(state.audit)
    return state


def state(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    strict: bool = True,
    rules: ConfidenceRules | None = None,
) -> AuditState:
    with transaction(db) as conn:
        return load(conn, audit_id, checklists, strict, rules)


def list_all(
    db: str | None, vendor_ref: str | None = None, limit: int | None = None, offset: int = 0
) -> list[tuple[Audit, Vendor]]:
    with transaction(db, readonly=True) as conn:
        vendor_id = vendor_store.get_vendor(conn, vendor_ref).id if vendor_ref else None
        found = repo.list_audits(conn, vendor_id, limit, offset)
        wanted = {a.vendor_id for a in found} if limit is not None or vendor_id else None
        vendors = {v.id: v for v in vendor_store.list_vendors(conn, ids=wanted)}
        return [(a, vendors[a.vendor_id]) for a in found]


def answer(
    db: str | None,
    audit_id: int,
    question_id: str,
    raw: str,
    checklists: dict[str, Checklist],
    actor: str,
    comment: str | None = None,
    source: Source = Source.AUDITOR,
) -> Answer:
    """Record one answer, validated against its question."""
    with transaction(db) as conn:
        repo.lock_writable(conn, audit_id)
        current = load(conn, audit_id, checklists)
        question = _question(current, question_id)
        if not current.applies(question):
            said = Message.of("does_not_apply_here", question=question_id)
            raise ValidationProblem([_english(said)]).saying(said)
        try:
            value = answer_rules.parse(question, raw, current.audit.as_of)
        except answer_rules.AnswerError as exc:
            said = Message.of("answer_rejected", question=question_id, error=exc.message)
            raise ValidationProblem([_english(said)]).saying(said) from None
        if value is None:
            said = Message.of(
                "empty_answer", question=question_id, expected=answer_rules.Expected(question)
            )
            raise ValidationProblem([_english(said)]).saying(said)
        old = current.answers.get(question_id) or Answer(question_id=question_id)
        try:
            new = revise(
                old,
                value=value,
                source=source,
                answered_by=actor,
                answered_at=None,
                comment=comment if comment is not None else old.comment,
            )
        except ValidationProblem as exc:
            lines = [Message.of("at", where=question_id, said=p) for p in exc.said_lines]
            raise ValidationProblem(lines) from None
        repo.save_answers(conn, current.audit, [new], actor)
        return new


def attach_evidence(
    db: str | None,
    audit_id: int,
    question_id: str,
    path: Path,
    kind: str,
    checklists: dict[str, Checklist],
    actor: str,
    expires: dt.date | None = None,
    issued: dt.date | None = None,
    note: str | None = None,
) -> Evidence:
    """Store a file once by its SHA-256 and link it to an answer; the details (kind, dates,
    note) belong to this link only. Re-attaching to the same answer updates the link."""
    content = read_evidence(path)
    item = Evidence(
        sha256=hashlib.sha256(content).hexdigest(),
        name=path.name[:255],
        kind=kind,
        size=len(content),
        issued=issued,
        expires=expires,
        note=note,
    )
    with transaction(db) as conn:
        repo.lock_writable(conn, audit_id)
        current = load(conn, audit_id, checklists)
        _question(current, question_id)
        repo.add_evidence(conn, item.sha256, item.name, content)
        old = current.answers.get(question_id) or Answer(
            question_id=question_id, source=Source.AUDITOR
        )
        linked = [e for e in old.evidence if e.sha256 != item.sha256] + [item]
        repo.save_answers(conn, current.audit, [revise(old, evidence=linked)], actor)
    return item


def _english(message: Message) -> str:
    return catalogue.load("en").render(message)


def _question(current: AuditState, question_id: str) -> Question:
    question = current.question(question_id)
    if question is None:
        said = Message.of("no_question", audit=current.audit.id, question=repr(question_id))
        raise NotFound(_english(said)).saying(said)
    return question


def read_evidence(path: Path) -> bytes:
    """A regular, non-empty file within the size limit (never a device or a pipe)."""
    limit = f"{MAX_EVIDENCE_BYTES // (1024 * 1024)} MB"
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise catalogue.error(ValidationProblem, "not_regular_file", path=str(path))
        with path.open("rb") as handle:
            content = handle.read(MAX_EVIDENCE_BYTES + 1)
    except FileNotFoundError:
        said = Message.of("no_such_file", path=str(path))
        raise NotFound(_english(said)).saying(said) from None
    except OSError as exc:
        detail = str(exc.strerror)
        raise catalogue.error(
            ValidationProblem, "cannot_read", path=str(path), detail=detail
        ) from None
    if len(content) > MAX_EVIDENCE_BYTES:
        raise catalogue.error(ValidationProblem, "file_too_large", path=str(path), limit=limit)
    if not content:
        raise catalogue.error(ValidationProblem, "empty_file", path=str(path))
    return content


def score(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    rules: ConfidenceRules | None = None,
) -> Scored:
    """The audit and its score; read-only (findings are not touched)."""
    current = state(db, audit_id, checklists, rules=rules)
    return Scored(current, current.score())


def refresh_findings(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    actor: str,
    rules: ConfidenceRules | None = None,
) -> Scored:
    """Score the audit and bring its vendor's findings up to date (unless it is final)."""
    with transaction(db) as conn:
        try:  # the status is read under the row lock a finalize takes: never both at once
            repo.lock_writable(conn, audit_id)
            writable = True
        except Conflict:
            writable = False
        current = load(conn, audit_id, checklists, rules=rules)
        result = current.score()
        if writable:
            finding_service.sync(conn, current, result, actor)
        return Scored(current, result)


def changes(db: str | None, audit_id: int) -> list[Change]:
    with transaction(db, readonly=True) as conn:
        repo.get_audit(conn, audit_id)
        return change_log.list_changes(conn, audit_id)


def diff_audits(
    db: str | None,
    old_id: int,
    new_id: int,
    checklists: dict[str, Checklist],
    rules: ConfidenceRules | None = None,
) -> tuple[AuditState, AuditState, AuditDiff]:
    """Two audits of one vendor, scored (drafts with `rules`), and what changed between them."""
    if old_id == new_id:
        raise catalogue.error(ValidationProblem, "diff_same_audit", audit=old_id)

    with transaction(db) as conn:  # a draft started before pinning is pinned on first read
        old = load(conn, old_id, checklists, rules=rules)
        new = load(conn, new_id, checklists, rules=rules)
    if old.vendor.id != new.vendor.id:
        raise catalogue.error(
            Conflict,
            "diff_other_vendor",
            old=old_id,
            new=new_id,
            old_vendor=repr(old.vendor.name),
            new_vendor=repr(new.vendor.name),
        )
    return old, new, diff(old.score(), new.score(), old.answers, new.answers)
