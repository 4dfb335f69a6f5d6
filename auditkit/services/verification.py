"""An auditor verifies an answer (interview, demo, on-site): stored with the answer, logged in the
change log in the same transaction, refused on a final audit."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from auditkit import catalogue
from auditkit.errors import NotFound, ValidationProblem
from auditkit.models.audit import Answer, Knowledge, Verification, VerifyHow
from auditkit.models.checklist import Checklist
from auditkit.models.common import problems, revise
from auditkit.models.confidence import ConfidenceRules
from auditkit.models.message import Message
from auditkit.scoring import AuditResult, DomainResult, QuestionResult
from auditkit.services import audits
from auditkit.storage import change_log
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction


@dataclass(frozen=True)
class Verified:
    """The verified answer and what the verification changed in its score."""

    answer: Answer
    domain: str
    knowledge: tuple[Knowledge | None, Knowledge | None]  # before, after
    score: tuple[float | None, float | None]  # the answer's 0..1 score, before and after
    domain_score: tuple[float | None, float | None]  # 0..100
    overall: tuple[float | None, float | None]


def _where(result: AuditResult, question_id: str) -> tuple[DomainResult, QuestionResult]:
    for domain in result.domains:
        for item in domain.questions:
            if item.question.id == question_id:
                return domain, item
    raise catalogue.error(ValidationProblem, "verify_not_scored", question=question_id)


def verify_answer(
    db: str | None,
    audit_id: int,
    question_id: str,
    how: str,
    note: str | None,
    checklists: dict[str, Checklist],
    actor: str,
    rules: ConfidenceRules | None = None,
) -> Verified:
    """Mark the answer to `question_id` verified by the auditor (`actor`), with how and a note."""
    with transaction(db) as conn:
        repo.lock_writable(conn, audit_id)  # a final audit: Conflict, nothing written
        current = audits.load(conn, audit_id, checklists, rules=rules)
        if current.question(question_id) is None:
            raise catalogue.error(
                NotFound, "no_question", audit=audit_id, question=repr(question_id)
            )
        old = current.answers.get(question_id)
        if old is None or old.value is None:
            raise catalogue.error(
                ValidationProblem, "verify_no_answer", audit=audit_id, question=question_id
            )
        try:
            check = Verification(
                how=VerifyHow(how), note=(note or "").strip() or None, by=actor, at=change_log.now()
            )
        except ValueError as exc:
            found = (
                problems(exc)
                if isinstance(exc, ValidationError)
                else [Message.of("plain", text=str(exc))]
            )
            said = [Message.of("at", where=question_id, said=p) for p in found]
            raise ValidationProblem(said) from None
        new = revise(old, verification=check)
        before = current.score()
        repo.save_answers(conn, current.audit, [new], actor)
        after = audits.load(conn, audit_id, checklists, rules=rules).score()
    (d0, q0), (d1, q1) = _where(before, question_id), _where(after, question_id)
    return Verified(
        answer=new,
        domain=d1.checklist_id,
        knowledge=(q0.knowledge, q1.knowledge),
        score=(q0.score, q1.score),
        domain_score=(d0.score, d1.score),
        overall=(before.overall, after.overall),
    )
