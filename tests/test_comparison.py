"""The pure comparison: shared questions across checklist versions, differences, evidence gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from auditkit.assessment import AuditState
from auditkit.comparison import Candidate, compare_candidates, comparison_dict
from auditkit.models.audit import Audit, AuditStatus
from auditkit.models.checklist import Checklist
from auditkit.models.message import Message
from tests.builders import AS_OF, answer, checklist, evidence, make_vendor, question

UTC = dt.UTC


def _candidate(
    audit_id: int,
    checklists: tuple[Checklist, ...],
    answers: dict[str, Any],
    status: AuditStatus = AuditStatus.FINAL,
    closed: frozenset[str] = frozenset(),
) -> Candidate:
    vendor = make_vendor(id=audit_id, name=f"Vendor {audit_id}")
    audit = Audit(
        id=audit_id,
        vendor_id=audit_id,
        status=status,
        checklists={c.id: c.version for c in checklists},
        profile=vendor.profile.facts(vendor.services),
        started_at=dt.datetime(2026, 10, 1, tzinfo=UTC),
        as_of=AS_OF,
    )
    state = AuditState(
        audit,
        vendor,
        checklists,
        {qid: a if not isinstance(a, str) else answer(qid, a) for qid, a in answers.items()},
    )
    return Candidate(state, state.score(), closed)


OLD = checklist(
    "net",
    [question("net.a"), question("net.b"), question("net.gone", weight=5)],
    version="1.0.0",
)
NEW = checklist(
    "net",
    [question("net.a"), question("net.b"), question("net.added", weight=5)],
    version="2.0.0",
)


def test_different_versions_are_compared_on_shared_questions() -> None:
    first = _candidate(1, (OLD,), {"net.a": "yes", "net.b": "no", "net.gone": "yes"})
    second = _candidate(2, (NEW,), {"net.a": "yes", "net.b": "yes", "net.added": "no"})
    result = compare_candidates([first, second])

    assert result.versions[0].versions == ("1.0.0", "2.0.0")
    assert (result.versions[0].shared, result.versions[0].total) == (2, 4)
    one, two = result.columns
    assert one.overall == pytest.approx(100 * 6 / 7)  # the audit's own score, every question
    assert one.domains["net"] == pytest.approx(50.0)  # net.a and net.b only
    assert two.overall == pytest.approx(100 * 2 / 7)
    assert two.domains["net"] == pytest.approx(100.0)
    assert one.shared_overall == pytest.approx(50.0)
    assert [d.question_id for d in result.differences] == ["net.b"]  # net.gone/net.added not shared
    assert result.differences[0].cells == (("fail", 0.0), ("pass", 1.0))


def test_same_version_has_no_version_note_and_differences_are_ordered() -> None:
    ko = question("net.ko", critical=True, severity="critical", type="yes_no_partial")
    low = question("net.low", severity="low")
    high = question("net.high", severity="high")
    same = checklist("net", [low, high, ko])
    first = _candidate(1, (same,), {"net.low": "no", "net.high": "no", "net.ko": "partial"})
    second = _candidate(
        2, (same,), {"net.low": "yes", "net.high": "yes", "net.ko": "yes"}, AuditStatus.DRAFT
    )
    result = compare_candidates([first, second])

    assert result.versions == ()
    assert [d.question_id for d in result.differences] == ["net.high", "net.low", "net.ko"]
    assert [c.draft for c in result.columns] == [False, True]
    assert result.columns[0].knockouts == ("net.ko",)
    assert result.columns[0].findings == {"critical": 1, "high": 1, "medium": 0, "low": 1}
    assert compare_candidates([first, second], top=1).differences[0].question_id == "net.high"


def test_accepted_findings_are_not_open_and_evidence_gaps_say_why() -> None:
    policy = question("doc.policy", evidence={"kinds": ["policy"]})
    listed = checklist("doc", [policy, question("doc.other")])
    expired = answer("doc.policy", "yes", evidence=[evidence(expires=AS_OF - dt.timedelta(1))])
    first = _candidate(1, (listed,), {"doc.policy": expired, "doc.other": "no"})
    second = _candidate(
        2, (listed,), {"doc.policy": "yes", "doc.other": "no"}, closed=frozenset({"doc.other"})
    )
    one, two = compare_candidates([first, second]).columns

    assert one.evidence_gaps == (("doc.policy", Message.of("evidence_expired")),)
    assert two.evidence_gaps == (("doc.policy", Message.of("evidence_missing")),)
    assert sum(one.findings.values()) == 2  # doc.policy partial (capped), doc.other failed
    assert sum(two.findings.values()) == 1  # doc.other accepted


def test_json_view() -> None:
    first = _candidate(1, (OLD,), {"net.a": "yes"})
    second = _candidate(2, (NEW,), {"net.a": "no"})
    data = comparison_dict(compare_candidates([first, second]))
    assert data["checklist_versions"] == [
        {"checklist": "net", "versions": ["1.0.0", "2.0.0"], "shared_questions": 2, "questions": 4}
    ]
    assert [c["vendor"] for c in data["candidates"]] == ["Vendor 1", "Vendor 2"]
    assert data["differences"][0] == {
        "question": "net.a",
        "checklist": "net",
        "critical": False,
        "severity": "medium",
        "spread": 100.0,
        "results": [{"status": "pass", "score": 100.0}, {"status": "fail", "score": 0.0}],
    }
