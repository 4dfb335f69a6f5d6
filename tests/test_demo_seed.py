"""The demo data set: three vendors that tell three different stories, fully answered."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from auditkit import catalogue
from auditkit.assessment import AuditState
from auditkit.demo import dataset
from auditkit.errors import Conflict, ValidationProblem
from auditkit.models.audit import AuditStatus, FindingStatus
from auditkit.models.checklist import Checklist
from auditkit.scoring import AuditResult
from auditkit.services import audits, findings
from auditkit.services.demo import seed
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction
from auditkit.storage.schema import evidence


def _results(
    db: str, ids: list[int], checklists: dict[str, Checklist]
) -> list[tuple[AuditState, AuditResult]]:
    states = [audits.state(db, audit_id, checklists) for audit_id in ids]
    return [(s, s.score()) for s in states]


def test_seed_creates_three_scored_fully_answered_audits(
    db: str, checklists: dict[str, Checklist]
) -> None:
    ids = seed(db, checklists)

    assert len(ids) == 3
    (strong, strong_result), (gaps, gaps_result), (failing, failing_result) = _results(
        db, ids, checklists
    )
    for state, result in ((strong, strong_result), (gaps, gaps_result), (failing, failing_result)):
        assert state.audit.as_of == dataset.AS_OF
        assert result.unanswered == 0, state.vendor.name
        assert findings.list_all(db, state.vendor.name), state.vendor.name

    assert strong_result.recommendation == "approve"
    assert strong_result.rating in ("low", "medium")
    assert not strong_result.critical_failures
    assert strong.audit.status is AuditStatus.FINAL
    assert (strong.audit.reviewer, strong.audit.approver) == ("Kenji Sato", "Yuki Tanaka")

    assert gaps_result.recommendation == "approve_with_conditions"
    assert not gaps_result.critical_failures
    english = catalogue.load("en")
    notes = {english.render(n) for r in gaps_result.findings for n in r.notes}
    assert "evidence expired: capped at 0.5" in notes
    assert "required evidence missing: capped at 0.5" in notes
    assert gaps.audit.status is AuditStatus.DRAFT

    assert failing_result.rating in ("high", "critical")
    assert failing_result.recommendation == "reject"
    assert {r.question.id for r in failing_result.critical_failures} == {
        "access_control.mfa_admin",
        "ec_security.admin_access_restriction",
        "ssl_tls.min_version",
    }


def test_strong_vendor_has_a_worse_final_audit_last_year(
    db: str, checklists: dict[str, Checklist]
) -> None:
    current_id = seed(db, checklists)[0]
    current = audits.state(db, current_id, checklists)
    assert current.audit.previous_id is not None
    previous = audits.state(db, current.audit.previous_id, checklists)

    assert previous.audit.status is AuditStatus.FINAL
    assert previous.audit.as_of == dt.date(2025, 10, 15)
    before, now = previous.score(), current.score()
    assert before.overall is not None and now.overall is not None
    assert before.overall < now.overall
    assert [r.question.id for r in before.critical_failures] == ["access_control.mfa_admin"]
    assert previous.answers["access_control.mfa_admin"].value == "partial_coverage"
    assert current.answers["access_control.mfa_admin"].value == "app_based"

    statuses = {f.question_id: f for f in findings.list_all(db, current.vendor.name)}
    assert statuses["access_control.mfa_admin"].status is FindingStatus.REMEDIATED
    accepted = statuses["redundancy.dependency_resilience"]
    assert (accepted.status, accepted.owner) == (FindingStatus.ACCEPTED, "Yuki Tanaka")
    assert statuses["audit_logging.finding_remediation"].due_date == dt.date(2026, 12, 31)


def test_evidence_is_stored_by_its_sha256_and_reseeding_is_refused(
    db: str, checklists: dict[str, Checklist]
) -> None:
    ids = seed(db, checklists)
    strong = audits.state(db, ids[0], checklists)
    attached = {e.sha256: e for a in strong.answers.values() for e in a.evidence}
    assert attached
    assert any(e.expires and e.expires.year == 2027 for e in attached.values())
    with transaction(db) as conn:
        rows = list(conn.execute(select(evidence.c.sha256, evidence.c.content)))
        counts = {name: repo.count(conn, name) for name in ("vendors", "audits", "answers")}
    assert rows
    assert all(hashlib.sha256(content).hexdigest() == sha for sha, content in rows)

    with pytest.raises(Conflict, match="fresh database"):
        seed(db, checklists)
    with transaction(db) as conn:
        assert counts == {name: repo.count(conn, name) for name in counts}


def test_data_mistakes_name_the_file_and_question(
    tmp_path: Path, checklists: dict[str, Checklist]
) -> None:
    text = (dataset.DEMO_DIR / "kumo_digital.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "kumo_digital.yaml"
    broken.write_text(
        text.replace(
            "access_control.leaver_hours: {value: 24,", "access_control.leaver_hours: {value: soon,"
        )
        .replace("    access_control.least_privilege: partial\n", "")
        .replace(
            "audit_logging.finding_remediation: partial",
            "audit_logging.last_external_audit: 2026-01-05",
        ),
        encoding="utf-8",
    )

    with pytest.raises(ValidationProblem) as caught:
        dataset.load_vendor(broken, checklists)

    problems = caught.value.problems
    assert any(
        p.startswith("kumo_digital.yaml: audit: access_control.leaver_hours: ") for p in problems
    )
    assert not any("leaver_hours: applicable question without an answer" in p for p in problems)
    assert (
        "kumo_digital.yaml: audit: access_control.least_privilege: applicable question without an answer"
        in problems
    )
    assert any(
        "audit_logging.last_external_audit: answered, but the question does not apply" in p
        for p in problems
    )


def test_every_demo_file_loads(checklists: dict[str, Checklist]) -> None:
    loaded = [
        dataset.load_vendor(dataset.DEMO_DIR / name, checklists) for name in dataset.VENDOR_FILES
    ]
    assert len({v.vendor.name for v in loaded}) == 3
    comments = [a.comment or "" for v in loaded for a in v.current.answers]
    assert any("<script" in c for c in comments)
    assert any("&" in c for c in comments)
