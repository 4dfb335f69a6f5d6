"""The audit data: the canonical JSON a report is made from and carries inside it.

`document()` turns a `ReportInput` into plain data with sorted keys; `from_document()` turns
that data back into a `ReportInput`, so a PDF can be re-rendered from its embedded JSON.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from auditkit import catalogue
from auditkit.assessment import AuditState
from auditkit.errors import VerificationFailed
from auditkit.models.audit import Answer, Audit, Finding
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.models.confidence import NEUTRAL, ConfidenceRules
from auditkit.models.message import Message
from auditkit.models.record import canonical_json, checklist_content, sha256_of
from auditkit.models.record import content_hash as pinned_hash
from auditkit.models.vendor import Vendor
from auditkit.records import result_dict
from auditkit.risk import inherent_risk
from auditkit.scoring import AuditResult

# 2: the checklists' full content and the inherent risk embedded;
# 3: reasons and notes as {code, params} messages
FORMAT = "auditkit.report/3"
REPORT_KEY = "report"  # the part of the document that is not hashed into the report id


@dataclass(frozen=True)
class Comparison:
    """The previous audit of the same vendor, reduced to what the report shows."""

    audit_id: int
    as_of: str
    overall: float | None
    rating: str
    domains: dict[str, float | None]
    failing: tuple[str, ...]  # question ids that were findings then

    def as_dict(self) -> dict[str, Any]:
        return {
            "audit_id": self.audit_id,
            "as_of": self.as_of,
            "overall": _round(self.overall),
            "rating": self.rating,
            "domains": {k: _round(v) for k, v in self.domains.items()},
            "failing": list(self.failing),
        }


@dataclass(frozen=True)
class ReportInput:
    """Everything one report is made from."""

    state: AuditState
    result: AuditResult
    findings: tuple[Finding, ...] = ()
    comparison: Comparison | None = None


def summarise_previous(previous: AuditState) -> Comparison:
    result = previous.score()
    return Comparison(
        audit_id=previous.audit.id,
        as_of=previous.audit.as_of.isoformat(),
        overall=result.overall,
        rating=result.rating,
        domains={d.checklist_id: d.score for d in result.domains},
        failing=tuple(sorted(r.question.id for r in result.findings)),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _scores(result: AuditResult) -> dict[str, Any]:
    return result_dict(result)  # the same view as `auditkit audit score --json`


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of a checklist's content in canonical JSON (sorted keys, no spaces): the same
    hash a draft pins and a final audit's record freezes (`auditkit.models.record`)."""
    return sha256_of(content)


def embedded_checklist(checklist: Checklist) -> dict[str, Any]:
    """Everything the audit was scored against: every question, choice, band, weight,
    condition and text in both languages, with its content hash.

    Made once per checklist object (checklists are immutable, and a batch embeds the same
    ones in every report): the entry is shared, so a document is never changed in place."""
    key = id(checklist)
    known = _EMBEDDED.get(key)
    if known is not None and known[0]() is checklist:
        return known[1]
    entry = {
        "id": checklist.id,
        "version": checklist.version,
        "sha256": pinned_hash(checklist),
        "content": checklist_content(checklist),
    }
    _EMBEDDED[key] = (weakref.ref(checklist, lambda _gone: _EMBEDDED.pop(key, None)), entry)
    return entry


_EMBEDDED: dict[int, tuple[weakref.ref[Checklist], dict[str, Any]]] = {}


def _risk(vendor: Vendor) -> dict[str, Any]:
    """The inherent risk as it was judged; each factor in English words with its points."""
    risk, english = inherent_risk(vendor.profile), catalogue.load("en")
    factors = [[english.render(text), points] for text, points in risk.factors]
    return {"tier": risk.tier, "points": risk.points, "factors": factors}


def document(data: ReportInput, lang: Lang) -> dict[str, Any]:
    """The canonical export, including the report block (id, language).

    The checklists are the ones in `data.state`, in audit order: whoever loads the audit
    decides which content it was scored against, and the export carries exactly that."""
    state = data.state
    body: dict[str, Any] = {
        "format": FORMAT,
        "vendor": state.vendor.model_dump(mode="json"),
        "risk": _risk(state.vendor),
        "audit": state.audit.model_dump(mode="json"),
        "checklists": [embedded_checklist(c) for c in state.checklists],
        "answers": {
            qid: state.answers[qid].model_dump(mode="json") for qid in sorted(state.answers)
        },
        "scores": _scores(data.result),
        "findings": [f.model_dump(mode="json") for f in data.findings],
        "comparison": data.comparison.as_dict() if data.comparison else None,
        "confidence": state.confidence.content(),
    }
    body[REPORT_KEY] = {"id": report_id(body), "lang": lang}
    return body


def dumps(doc: dict[str, Any]) -> bytes:
    """Stable bytes: sorted keys, UTF-8, fixed separators, trailing newline."""
    return (json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def canonical(doc: dict[str, Any]) -> bytes:
    """The canonical JSON of `doc` (sorted keys, UTF-8, no whitespace): what `dumps` holds,
    several times faster to make (without indentation CPython's C encoder does the work)."""
    return canonical_json(doc).encode("utf-8")


def report_id(doc: dict[str, Any]) -> str:
    """`AK-<audit id>-<first 8 hex of sha256 of the canonical JSON without the report block>`."""
    body = {k: v for k, v in doc.items() if k != REPORT_KEY}
    return f"AK-{body['audit']['id']}-{sha256_of(body)[:8]}"


def from_document(doc: dict[str, Any]) -> ReportInput:
    """Rebuild the report input from an export alone, re-scoring it with the checklists it
    carries (in the order it lists them)."""
    try:
        audit = Audit.model_validate(doc["audit"])
        vendor = Vendor.model_validate(doc["vendor"])
        answers = {k: Answer.model_validate(v) for k, v in doc["answers"].items()}
        findings = tuple(Finding.model_validate(f) for f in doc["findings"])
        comparison = _comparison(doc.get("comparison"))
        pinned = tuple(_checklist(entry, audit) for entry in doc["checklists"])
        raw_rules = doc.get("confidence")  # reports made before the rules score without them
        rules = NEUTRAL if raw_rules is None else ConfidenceRules.model_validate(raw_rules)
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise catalogue.error(VerificationFailed, "embedded_not_export", detail=_why(exc)) from None
    missing = sorted(set(audit.checklists) - {c.id for c in pinned})
    if missing or len(pinned) != len(audit.checklists):
        which = ", ".join(missing) if missing else Message.of("duplicates")
        raise catalogue.error(VerificationFailed, "embedded_checklists", which=which)
    state = AuditState(audit, vendor, pinned, answers, confidence=rules)
    return ReportInput(state, state.score(), findings, comparison)


def _checklist(entry: dict[str, Any], audit: Audit) -> Checklist:
    checklist = Checklist.model_validate(entry["content"])
    named = {"checklist": str(entry["id"]), "version": str(entry["version"])}
    if (checklist.id, checklist.version) != (entry["id"], entry["version"]):
        found = f"{checklist.id} {checklist.version}"
        raise catalogue.error(VerificationFailed, "embedded_content_is", found=found, **named)
    if content_hash(entry["content"]) != entry["sha256"]:
        raise catalogue.error(VerificationFailed, "embedded_sha256", **named)
    if checklist.id not in audit.checklists:
        raise catalogue.error(VerificationFailed, "embedded_not_audits", **named)
    return checklist


def comparison_from(raw: Any) -> Comparison | None:
    """A comparison as stored (a frozen record) or embedded (a report), or None."""
    return _comparison(raw)


def _comparison(raw: Any) -> Comparison | None:
    if raw is None:
        return None
    return Comparison(
        audit_id=int(raw["audit_id"]),
        as_of=str(raw["as_of"]),
        overall=raw["overall"],
        rating=str(raw["rating"]),
        domains=dict(raw["domains"]),
        failing=tuple(raw["failing"]),
    )


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
