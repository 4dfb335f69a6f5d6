"""The demo data set, loaded from one YAML file per vendor beside this module and validated.

Pure: nothing here touches the database. Every answer goes through `auditkit.answers.parse`
against its question, and coverage is checked both ways (every applicable question answered,
nothing answered that does not apply), so a mistake in the data fails with file and question id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from auditkit import answers as answer_rules
from auditkit import safeyaml
from auditkit.assessment import applicable_checklists
from auditkit.checklists import load_confidence
from auditkit.errors import ValidationProblem
from auditkit.models.audit import (
    Answer,
    Evidence,
    FindingStatus,
    Source,
    Verification,
    VerifyHow,
)
from auditkit.models.checklist import Checklist, EvidenceKind, Question
from auditkit.models.vendor import Vendor
from auditkit.risk import inherent_risk
from auditkit.scoring import score_audit

DEMO_DIR = Path(__file__).resolve().parent
VENDOR_FILES = ("sakura_commerce.yaml", "hoshizora_support.yaml", "kumo_digital.yaml")
AS_OF = dt.date(2026, 11, 1)
ANSWER_KEYS = {"value", "comment", "evidence_ref", "source", "evidence"}
FINDING_KEYS = {"owner", "due", "notes", "status"}
EVIDENCE_KEYS = {"name", "kind", "title", "body"}  # plus optional issued, expires
DOCUMENT = """{title}
{rule}
Organisation: {vendor}
Document: {name}
Issued: {issued}   Expires: {expires}

{body}

Demo document: fictional company, generated for the auditkit demo.
"""


@dataclass(frozen=True)
class Document:
    """An evidence file: its metadata and the bytes stored under its SHA-256."""

    evidence: Evidence
    content: bytes


@dataclass(frozen=True)
class Round:
    """One audit of a vendor: the day it is judged on, its answers and who signs it off."""

    as_of: dt.date
    answers: tuple[Answer, ...]
    documents: tuple[Document, ...]
    reviewer: str | None = None
    approver: str | None = None


@dataclass(frozen=True)
class FindingUpdate:
    status: FindingStatus | None
    owner: str | None
    due: dt.date | None
    notes: str | None


@dataclass(frozen=True)
class DemoVendor:
    vendor: Vendor
    previous: Round | None  # a finalized audit of the year before, if any
    current: Round
    findings: Mapping[str, FindingUpdate]  # question id -> what to set on its finding


def load_vendor(path: Path, checklists: dict[str, Checklist]) -> DemoVendor:
    """One vendor file, fully validated; every problem names the file and the question."""
    raw = safeyaml.load_file(path)
    where, problems = path.name, list[str]()
    if not isinstance(raw, dict) or not {"vendor", "audit"} <= set(raw):
        raise ValidationProblem([f"{where}: expected a mapping with vendor and audit"])
    try:
        vendor = Vendor.model_validate(raw["vendor"])
    except ValidationError as exc:
        raise ValidationProblem([f"{where}: vendor: {exc}"]) from None
    documents = _documents(raw.get("evidence") or {}, vendor.name, where)
    chosen = applicable_checklists(vendor, checklists)
    specs: dict[str, Any] = dict(raw["audit"].get("answers") or {})
    checks: dict[str, Any] = dict(raw["audit"].get("verified") or {})
    label = f"{where}: audit"
    current = _round(raw["audit"], specs, checks, chosen, vendor, documents, label, problems)
    previous = None
    if raw.get("previous"):  # last year: this year's answers, with the differences given
        earlier = {**specs, **(raw["previous"].get("answers") or {})}
        checked = {**checks, **(raw["previous"].get("verified") or {})}
        label = f"{where}: previous"
        previous = _round(
            raw["previous"], earlier, checked, chosen, vendor, documents, label, problems
        )
    updates = _finding_updates(raw.get("findings") or {}, vendor, chosen, current, where, problems)
    if problems:
        raise ValidationProblem(problems)
    return DemoVendor(vendor, previous, current, updates)


def _finding_updates(
    raw: Mapping[str, Any],
    vendor: Vendor,
    chosen: list[Checklist],
    current: Round,
    where: str,
    problems: list[str],
) -> dict[str, FindingUpdate]:
    """Owner, due date, notes or status for findings that the current answers will open."""
    answers = {a.question_id: a for a in current.answers}
    facts, tier = vendor.profile.facts(vendor.services), inherent_risk(vendor.profile).tier
    result = score_audit(chosen, facts, answers, tier, current.as_of, load_confidence())
    failing = {r.question.id for r in result.findings}
    updates = {}
    for question_id, fields in raw.items():
        label = f"{where}: findings: {question_id}"
        if not isinstance(fields, dict) or set(fields) - FINDING_KEYS:
            problems.append(f"{label}: expected a mapping of {', '.join(sorted(FINDING_KEYS))}")
        elif question_id not in failing:
            problems.append(f"{label}: the answer passes, so there is no finding to update")
        elif fields.get("status", "open") not in set(FindingStatus):
            problems.append(f"{label}: status must be one of {', '.join(FindingStatus)}")
        else:
            status = FindingStatus(fields["status"]) if "status" in fields else None
            due = _date(fields.get("due"), f"{label}.due")
            updates[question_id] = FindingUpdate(
                status, fields.get("owner"), due, fields.get("notes")
            )
    return updates


def _documents(raw: Mapping[str, Any], vendor_name: str, where: str) -> dict[str, Document]:
    """Evidence files are generated: a small text document from the data's title and body."""
    kinds, documents = get_args(EvidenceKind), {}
    for key, spec in raw.items():
        label = f"{where}: evidence.{key}"
        if not isinstance(spec, dict) or EVIDENCE_KEYS - set(spec):
            raise ValidationProblem([f"{label}: needs {', '.join(sorted(EVIDENCE_KEYS))}"])
        if spec["kind"] not in kinds:
            raise ValidationProblem([f"{label}: kind must be one of {', '.join(kinds)}"])
        issued = _date(spec.get("issued"), f"{label}.issued")
        expires = _date(spec.get("expires"), f"{label}.expires")
        text = DOCUMENT.format(
            title=spec["title"],
            rule="=" * len(spec["title"]),
            vendor=vendor_name,
            name=spec["name"],
            issued=issued or "-",
            expires=expires or "-",
            body=spec["body"].rstrip(),
        )
        content = text.encode("utf-8")
        sha256 = hashlib.sha256(content).hexdigest()
        item = Evidence(
            sha256=sha256,
            name=spec["name"],
            kind=spec["kind"],
            size=len(content),
            issued=issued,
            expires=expires,
        )
        documents[key] = Document(item, content)
    return documents


def _round(
    raw: Mapping[str, Any],
    specs: Mapping[str, Any],
    checks: Mapping[str, Any],
    chosen: list[Checklist],
    vendor: Vendor,
    documents: Mapping[str, Document],
    where: str,
    problems: list[str],
) -> Round:
    as_of = _date(raw.get("as_of"), f"{where}.as_of") or AS_OF
    questions = {q.id: q for c in chosen for q in c.questions}
    # Fixed times, so the same data gives the same database (vendor answers, then verification).
    answered_at = {
        Source.VENDOR: dt.datetime.combine(as_of - dt.timedelta(days=14), dt.time(1), dt.UTC),
        Source.AUDITOR: dt.datetime.combine(as_of - dt.timedelta(days=3), dt.time(6), dt.UTC),
    }
    answered_by = {Source.VENDOR: vendor.contact_name, Source.AUDITOR: raw.get("auditor")}
    found: list[Answer] = []
    used: dict[str, Document] = {}
    for question_id, spec in specs.items():
        question = questions.get(question_id)
        try:
            if question is None:
                raise answer_rules.AnswerError("no such question in the vendor's checklists")
            answer, attached = _answer(question, spec, as_of, documents)
            check = checks.get(question_id)
            if check is not None:  # the auditor verified it on the day answers were checked
                answer = answer.model_copy(
                    update={"verification": _verification(check, raw.get("auditor"), answered_at)}
                )
        except answer_rules.AnswerError as exc:
            problems.append(f"{where}: {question_id}: {exc}")
            continue
        except ValidationError as exc:
            error = exc.errors()[0]
            problems.append(f"{where}: {question_id}: {error['loc'][0]}: {error['msg']}")
            continue
        source = answer.source
        stamp: dict[str, Any] = {
            "answered_by": answered_by.get(source),
            "answered_at": answered_at.get(source),
        }
        found.append(answer.model_copy(update=stamp))
        used.update({d.evidence.sha256: d for d in attached})
    for question_id in sorted(set(checks) - set(specs)):
        problems.append(f"{where}: verified: {question_id}: no answer to verify")
    _check_coverage(chosen, vendor, found, set(specs), where, problems)
    signers = raw.get("reviewer"), raw.get("approver")
    return Round(as_of, tuple(found), tuple(used.values()), *signers)


def _verification(spec: Any, auditor: Any, times: Mapping[Source, dt.datetime]) -> Verification:
    """`how: note` (interview, demo or onsite), as the auditor recorded it."""
    if not isinstance(spec, dict) or set(spec) - {"how", "note"} or "how" not in spec:
        raise answer_rules.AnswerError("verified: expected a mapping with how and note")
    if spec["how"] not in set(VerifyHow):
        raise answer_rules.AnswerError(f"verified: how must be one of {', '.join(VerifyHow)}")
    return Verification(
        how=VerifyHow(spec["how"]), note=spec.get("note"), by=auditor, at=times[Source.AUDITOR]
    )


def _answer(
    question: Question, spec: Any, as_of: dt.date, documents: Mapping[str, Document]
) -> tuple[Answer, list[Document]]:
    spec = spec if isinstance(spec, dict) else {"value": spec}
    if set(spec) - ANSWER_KEYS:
        raise answer_rules.AnswerError(f"unknown field(s) {sorted(set(spec) - ANSWER_KEYS)}")
    value = answer_rules.parse(question, spec.get("value"), as_of)
    if value is None:
        raise answer_rules.AnswerError("no value given")
    attached = []
    for key in spec.get("evidence") or []:
        document = documents.get(key)
        if document is None:
            raise answer_rules.AnswerError(f"unknown evidence {key!r}")
        item, allowed = document.evidence, question.evidence
        if allowed is not None and item.kind not in allowed.kinds:
            raise answer_rules.AnswerError(
                f"evidence {key!r} is a {item.kind}; expected {', '.join(allowed.kinds)}"
            )
        if item.issued is not None and item.issued > as_of:
            raise answer_rules.AnswerError(f"evidence {key!r} is issued after {as_of}")
        attached.append(document)
    if spec.get("source", "vendor") not in set(Source):
        raise answer_rules.AnswerError(f"source must be one of {', '.join(Source)}")
    answer = Answer(
        question_id=question.id,
        value=value,
        comment=spec.get("comment"),
        source=Source(spec.get("source", "vendor")),
        evidence=[d.evidence for d in attached],
        evidence_ref=spec.get("evidence_ref"),
    )
    return answer, attached


def _check_coverage(
    chosen: list[Checklist],
    vendor: Vendor,
    found: list[Answer],
    given: set[str],
    where: str,
    problems: list[str],
) -> None:
    """Every applicable question answered, and nothing answered that does not apply.
    `given` holds every id in the data: an answer already reported invalid is not also missing."""
    facts = vendor.profile.facts(vendor.services)
    values = {a.question_id: a.value for a in found}
    applicable = {q.id for c in chosen for q in c.questions if q.applies_to(facts, values)}
    for question_id in sorted(applicable - given):
        problems.append(f"{where}: {question_id}: applicable question without an answer")
    for question_id in sorted(set(values) - applicable):
        problems.append(f"{where}: {question_id}: answered, but the question does not apply")


def _date(raw: Any, where: str) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationProblem([f"{where}: {raw!r} is not a date YYYY-MM-DD"]) from None
