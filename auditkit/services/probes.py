"""Record a TLS probe in an audit: answers with source `probe` and a `probe_result` file.

One transaction: the evidence file, every answer and every finding, or nothing. A probe never
overwrites an auditor-verified answer; where it differs from the vendor's own answer, the vendor's
answer stays visible in the comment (and the change log), the measurement is what scores, and a
finding "vendor answer contradicted by measurement" is opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from auditkit import answers as answer_rules
from auditkit import catalogue
from auditkit.assessment import AuditState
from auditkit.checklists import get as get_checklist
from auditkit.errors import AuditkitError, Conflict
from auditkit.models.audit import Answer, Evidence, Finding, FindingStatus, Source
from auditkit.models.checklist import Checklist, Question
from auditkit.probe import mapping as probe_mapping
from auditkit.probe.results import ProbeReport
from auditkit.services import audits
from auditkit.storage import findings as finding_store
from auditkit.storage import repository as repo
from auditkit.storage.db import Connection, transaction

CONTRADICTED = "vendor answer contradicted by measurement"
Action = Literal["answered", "confirmed", "contradicted", "kept auditor answer", "not recorded"]


@dataclass(frozen=True)
class RecordedAnswer:
    question_id: str
    value: str
    action: Action
    previous: str | None
    note: str


@dataclass(frozen=True)
class Recorded:
    audit_id: int
    evidence: Evidence
    answers: tuple[RecordedAnswer, ...]


def measure_tls(
    targets: Sequence[str], ca_file: Path | None = None, timeout: float = 5.0, concurrency: int = 10
) -> ProbeReport:
    """Probe each HOST[:PORT] (only those); needs the optional `probe` extra."""
    from auditkit.probe import tls

    return tls.probe(targets, ca_file, timeout, concurrency)


def evidence_bytes(report: ProbeReport) -> bytes:
    return (report.model_dump_json(indent=2) + "\n").encode()


def check_audit(db: str | None, audit_id: int, checklists: dict[str, Checklist]) -> None:
    """Refuse early (before any network traffic) an audit the probe could not record into."""
    with transaction(db) as conn:
        _writable_with_checklist(conn, audit_id, checklists, probe_mapping.load().checklist)


def _writable_with_checklist(
    conn: Connection, audit_id: int, checklists: dict[str, Checklist], checklist_id: str
) -> AuditState:
    repo.lock_writable(conn, audit_id)
    current = audits.load(conn, audit_id, checklists)
    if checklist_id not in current.audit.checklists:
        raise catalogue.error(
            Conflict, "probe_no_checklist", audit=audit_id, checklist=checklist_id
        )
    return current


def record(
    db: str | None,
    audit_id: int,
    report: ProbeReport,
    checklists: dict[str, Checklist],
    actor: str,
    evidence_days: int = 90,
    mapping_path: Path | None = None,
) -> Recorded:
    if all(e.error for e in report.endpoints):
        raise catalogue.error(AuditkitError, "probe_nothing", audit=audit_id)
    content = evidence_bytes(report)
    day = report.started_at.date()
    evidence = Evidence(
        sha256=hashlib.sha256(content).hexdigest(),
        name=f"probe-tls-{report.started_at:%Y%m%dT%H%M%SZ}.json",
        kind="probe_result",
        size=len(content),
        issued=day,
        expires=day + dt.timedelta(days=evidence_days),
    )
    with transaction(db) as conn:
        mapping = probe_mapping.load(mapping_path)
        current = _writable_with_checklist(conn, audit_id, checklists, mapping.checklist)
        checklist = get_checklist(checklists, mapping.checklist)
        problems = mapping.problems(checklist, str(mapping_path or probe_mapping.default_path()))
        if problems:
            raise AuditkitError(problems[0])
        proposed = probe_mapping.evaluate(mapping, checklist, report.endpoints, day)
        repo.add_evidence(conn, evidence.sha256, evidence.name, content)
        outcomes, new_answers = [], []
        for item in proposed:
            question = current.question(item.question_id)
            if question is None:
                continue
            outcome, answer = _merge(
                question, item, current.answers.get(item.question_id), evidence, current.audit.as_of
            )
            outcomes.append(outcome)
            if answer is not None:
                new_answers.append(answer.model_copy(update={"answered_by": actor}))
            if outcome.action == "contradicted":
                _contradiction(conn, current, question, outcome, actor)
        repo.save_answers(conn, current.audit, new_answers, actor)
    return Recorded(audit_id, evidence, tuple(outcomes))


def _merge(
    question: Question,
    item: probe_mapping.Proposed,
    old: Answer | None,
    evidence: Evidence,
    as_of: dt.date,
) -> tuple[RecordedAnswer, Answer | None]:
    try:
        value = answer_rules.parse(question, item.value, as_of)
    except answer_rules.AnswerError as exc:
        return RecordedAnswer(item.question_id, item.value, "not recorded", None, str(exc)), None
    previous = _shown(old.value) if old is not None and old.value is not None else None
    if old is not None and old.source is Source.AUDITOR and old.value is not None:
        note = f"auditor-verified answer {previous} kept; measured {item.value}"
        return RecordedAnswer(
            item.question_id, item.value, "kept auditor answer", previous, note
        ), None
    action: Action = "answered"
    comment = f"probe: {item.value} ({item.because})"
    if old is not None and old.source is Source.VENDOR and old.value is not None:
        differs = old.value != value and question.choices is not None
        action = "contradicted" if differs else "confirmed"
        lead = f"vendor answered {previous}" + ("" if differs else ", confirmed by the probe")
        comment = f"{lead}; {comment}"
    elif old is not None and old.comment and old.comment.startswith("vendor answered"):
        comment = f"{old.comment.split('; probe:', 1)[0]}; {comment}"
    if (
        old is not None
        and old.comment
        and not old.comment.startswith(("vendor answered", "probe:"))
    ):
        comment += f"\n{old.comment}"
    linked = [e for e in (old.evidence if old else []) if e.sha256 != evidence.sha256]
    answer = Answer(
        question_id=item.question_id,
        value=value,
        comment=comment,
        source=Source.PROBE,
        evidence=[*linked, evidence],
        evidence_ref=old.evidence_ref if old else None,
    )
    return RecordedAnswer(item.question_id, item.value, action, previous, comment), answer


def _shown(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _contradiction(
    conn: Connection,
    current: AuditState,
    question: Question,
    outcome: RecordedAnswer,
    actor: str,
) -> None:
    """One finding per question: an open one is updated, never duplicated."""
    vendor_id = current.vendor.id or 0
    # the notes keep the contradiction when scoring later rewrites the summary
    notes = f"{CONTRADICTED}: vendor answered {outcome.previous}; measured {outcome.value}"
    summary = f"{CONTRADICTED}: {question.text.en}"
    live = [
        f
        for f in finding_store.list_findings(conn, vendor_id)
        if f.question_id == question.id and f.status is not FindingStatus.REMEDIATED
    ]
    if live:
        finding_store.update_finding(
            conn, live[0], actor, audit_id=current.audit.id, summary=summary, notes=notes
        )
        return
    finding_store.add_finding(
        conn,
        Finding(
            vendor_id=vendor_id,
            audit_id=current.audit.id,
            question_id=question.id,
            severity=question.severity,
            summary=summary,
            notes=notes,
        ),
        actor,
    )
