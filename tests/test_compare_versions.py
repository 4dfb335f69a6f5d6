"""Golden: one year-over-year diff across a checklist version change, the same in `audit diff`
and in the report (a control dropped by the new version is dropped, never resolved)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from auditkit import catalogue
from auditkit.assessment import AuditState
from auditkit.checklists import load_file
from auditkit.models.audit import Answer, Audit, AuditStatus
from auditkit.models.vendor import Vendor
from auditkit.report import audit_data
from auditkit.report.audit_data import ReportInput
from auditkit.report.build import build_context
from auditkit.report.template_context import Theme
from auditkit.year_over_year import diff

FIXTURES = Path(__file__).parent / "fixtures" / "yoy"
GOLDEN = Path(__file__).parent / "golden" / "compare" / "yoy_basics.json"
VENDOR = Vendor(id=1, name="Sakura Commerce KK", services=["site_hosting"])

OLD = {  # v1: kept_fixed fails, kept_failing fails, kept_new_fail passes, dropped fails
    "yoy_basics.kept_fixed": "no",
    "yoy_basics.kept_failing": "no",
    "yoy_basics.kept_new_fail": "yes",
    "yoy_basics.dropped": "no",
}
NEW = {  # v2: kept_fixed passes, kept_failing still fails, kept_new_fail fails, added fails
    "yoy_basics.kept_fixed": "yes",
    "yoy_basics.kept_failing": "no",
    "yoy_basics.kept_new_fail": "no",
    "yoy_basics.added": "no",
}


def _state(version: str, audit_id: int, values: dict[str, str], as_of: dt.date) -> AuditState:
    checklist = load_file(FIXTURES / version / "yoy_basics.yaml")
    audit = Audit(
        id=audit_id,
        vendor_id=1,
        status=AuditStatus.FINAL,
        checklists={checklist.id: checklist.version},
        profile=VENDOR.profile.facts(VENDOR.services),
        as_of=as_of,
        started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    answers = {qid: Answer(question_id=qid, value=value) for qid, value in values.items()}
    return AuditState(audit, VENDOR, (checklist,), answers)


def _both() -> tuple[dict[str, Any], dict[str, Any]]:
    old = _state("v1", 1, OLD, dt.date(2025, 11, 1))
    new = _state("v2", 2, NEW, dt.date(2026, 11, 1))
    cli_view = dataclasses.asdict(diff(old.score(), new.score(), old.answers, new.answers))
    data = ReportInput(new, new.score(), (), audit_data.summarise_previous(old))
    context = build_context(data, "AK-2-test", catalogue.load("en"), Theme(fonts=[], logo_url=None))
    assert context.comparison is not None
    return cli_view, context.comparison.model_dump(mode="json")


def test_diff_and_report_agree_across_a_checklist_version_change() -> None:
    cli_view, report_view = _both()
    assert cli_view["resolved"] == ("yoy_basics.kept_fixed",)
    assert list(cli_view["resolved"]) == report_view["resolved_findings"]
    assert list(cli_view["newly_failing"]) == report_view["new_findings"]
    assert "yoy_basics.dropped" in cli_view["only_old"]
    assert report_view["dropped_findings"] == ["yoy_basics.dropped"]
    assert "yoy_basics.dropped" not in report_view["resolved_findings"]


def test_year_over_year_golden() -> None:
    cli_view, report_view = _both()
    got = json.loads(json.dumps({"audit_diff": cli_view, "report": report_view}, sort_keys=True))
    if os.environ.get("AUDITKIT_REGEN_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8")), (
        f"regenerate with AUDITKIT_REGEN_GOLDEN=1 if intended: {GOLDEN}"
    )
