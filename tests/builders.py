"""Builders for tests: checklists, questions and answers built in code; vendors; the exchange
tests' small stable checklist set and a vendor's edits to an exchange file; the report tests'
fixed audit. Tests state only what matters and never depend on the shipped checklists' wording.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from auditkit.assessment import AuditState
from auditkit.checklists import load_file
from auditkit.exchange.yaml_json import dump_yaml
from auditkit.models.audit import Answer, Audit, AuditStatus, Evidence, Finding, Source
from auditkit.models.checklist import Checklist, Question, Severity
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.report.audit_data import Comparison, ReportInput
from auditkit.services import audits, vendors
from auditkit.storage import repository as repo
from auditkit.storage.db import transaction

AS_OF = dt.date(2026, 11, 1)
DAY_BEFORE = AS_OF - dt.timedelta(days=1)
UTC = dt.UTC
REPORT_FIXTURES = Path(__file__).parent / "fixtures" / "report_checklists"

YES_NO = [
    {"value": "yes", "label": {"en": "Yes", "ja": "はい"}, "score": 1.0},
    {"value": "no", "label": {"en": "No", "ja": "いいえ"}, "score": 0.0},
]
YES_NO_PARTIAL = [
    {"value": "yes", "label": {"en": "Yes", "ja": "はい"}, "score": 1.0},
    {"value": "partial", "label": {"en": "Partially", "ja": "一部"}, "score": 0.5},
    {"value": "no", "label": {"en": "No", "ja": "いいえ"}, "score": 0.0},
]


def question(qid: str, **fields: Any) -> Question:
    data: dict[str, Any] = {
        "id": qid,
        "text": {"en": f"Question {qid}?", "ja": f"質問 {qid}?"},
        "type": "yes_no",
        "weight": 1,
        "severity": "medium",
        "remediation": {"en": "Fix it.", "ja": "是正してください。"},
        "references": {"iso27001-2022": ["A.5.1"]},
    }
    data.update(fields)
    if data["type"] == "yes_no" and "choices" not in fields:
        data["choices"] = YES_NO
    if data["type"] == "yes_no_partial" and "choices" not in fields:
        data["choices"] = YES_NO_PARTIAL
    if data["type"] == "number" and "unit" not in fields:
        data["unit"] = {"en": "hours", "ja": "時間"}
    return Question.model_validate(data)


def checklist(cid: str, questions: list[Question], **fields: Any) -> Checklist:
    data: dict[str, Any] = {
        "id": cid,
        "version": "1.0.0",
        "title": {"en": cid.title(), "ja": cid},
        "questions": [q.model_dump(by_alias=True, exclude_none=True) for q in questions],
    }
    data.update(fields)
    return Checklist.model_validate(data)


def answer(qid: str, value: Any, **fields: Any) -> Answer:
    return Answer(question_id=qid, value=value, **fields)


def evidence(name: str = "policy.pdf", expires: Any = None, kind: str = "policy") -> Evidence:
    return Evidence(sha256="a" * 64, name=name, kind=kind, expires=expires)


# Vendors and the CLI


def make_vendor(**overrides: Any) -> Vendor:
    profile = overrides.pop("profile", {})
    data: dict[str, Any] = {
        "name": "Sakura Commerce KK",
        "services": ["site_hosting", "order_handling"],
        "contact_email": "security@sakura.example",
        "profile": VendorProfile(**{"personal_data": "medium", "criticality": "high", **profile}),
    }
    data.update(overrides)
    return Vendor(**data)


def run_json(run: Callable[..., Result], *args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# Exchange: a small stable checklist set and a vendor's edits

EXCHANGE_GOLDEN = Path(__file__).parent / "golden" / "exchange"
TLS = [
    {"value": "tls13", "label": {"en": "TLS 1.3", "ja": "TLS 1.3のみ"}, "score": 1.0},
    {"value": "tls12", "label": {"en": "TLS 1.2, or newer", "ja": "TLS 1.2以上"}, "score": 0.8},
    {"value": "legacy", "label": {"en": "Older", "ja": "旧版"}, "score": 0.0},
]
CHANNELS = [
    {"value": "email", "label": {"en": "E-mail", "ja": "メール"}, "score": 1.0},
    {"value": "phone", "label": {"en": "Phone", "ja": "電話"}, "score": 1.0},
    {"value": "portal", "label": {"en": "Portal", "ja": "ポータル"}, "score": 1.0},
]
BANDS = [{"max": 30, "score": 1.0}, {"score": 0.0}]


def synthetic_checklists() -> dict[str, Checklist]:
    """Every answer type, an answer-dependent follow-up, and profile-dependent exclusions."""
    alpha = checklist("alpha", [
        question("alpha.min_version", type="single_choice", choices=TLS,
                 help={"en": "Scan each host.", "ja": "各ホストをスキャン。"}),
        question("alpha.hsts", type="yes_no"),
        question("alpha.hsts_preload", type="yes_no_partial",
                 applies_if={"answer": "alpha.hsts", "equals": "yes"}),
        question("alpha.channels", type="multi_choice", choices=CHANNELS),
        question("alpha.patch_days", type="number", bands=BANDS, allow_na=True,
                 unit={"en": "days", "ja": "日"}),
        question("alpha.last_test", type="date", bands=BANDS),
        question("alpha.notes", type="text", weight=0),
        question("alpha.policy", type="evidence", evidence={"kinds": ["policy"]}),
        question("alpha.card_only", type="yes_no",
                 applies_if={"profile": "handles_card_data", "equals": True}),
    ])  # fmt: skip
    beta = checklist("beta", [question("beta.backup", type="yes_no", allow_na=True)])
    cards = checklist("cards", [question("cards.scope", type="yes_no")],
                      applies_if={"profile": "handles_card_data", "equals": True})  # fmt: skip
    return {c.id: c for c in (alpha, beta, cards)}


def start_audit(db: str, checklists: dict[str, Checklist], name: str = "Sakura Commerce KK",
                **vendor: Any) -> int:  # fmt: skip
    vendors.add(db, make_vendor(name=name, **vendor), "tester")
    return audits.start(db, name, checklists, "tester", as_of=AS_OF).id


def snapshot(db: str, audit_id: int) -> tuple[int, int, dict[str, Any]]:
    """Row counts and stored answers, to prove a refused import changed nothing."""
    with transaction(db) as conn:
        stored = {k: a.model_dump() for k, a in repo.get_answers(conn, audit_id).items()}
        return repo.count(conn, "answers"), repo.count(conn, "changes"), stored


def stored(db: str, audit_id: int) -> dict[str, Any]:
    with transaction(db) as conn:
        return repo.get_answers(conn, audit_id)


def fill_workbook(path: Path, cells: dict[str, dict[str, Any]], out: Path | None = None) -> Path:
    """Type into a workbook as a vendor would: {question_id: {"answer"|"comment"|"evidence": v}}."""
    import openpyxl

    columns = {"answer": 5, "comment": 6, "evidence": 7}
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in range(2, sheet.max_row + 1):
            qid = sheet.cell(row, 8).value
            for name, value in cells.get(qid, {}).items():
                sheet.cell(row, columns[name]).value = value
    workbook.save(out or path)
    return out or path


def fill_document(path: Path, answers: dict[str, dict[str, Any]], out: Path | None = None) -> Path:
    """Edit a YAML/JSON questionnaire: set fields of the listed questions."""
    import yaml

    is_json = path.suffix == ".json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if is_json else yaml.safe_load(text)
    for item in data["questions"]:
        item.update(answers.get(item["id"], {}))
    target = out or path
    if is_json:
        # Lone surrogates cannot be UTF-8: written as \u escapes, as a vendor's tool would.
        text = json.dumps(data, ensure_ascii=False)
        if any("\ud800" <= c <= "\udfff" for c in text):
            text = json.dumps(data)
        target.write_text(text, encoding="utf-8")
    else:
        target.write_text(dump_yaml(data), encoding="utf-8")
    return target


def make_run(db: str) -> Callable[..., Result]:
    """The real CLI against `db`, acting as "tester"."""
    from auditkit.cli.main import cli

    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", db, "--as", "tester", *args])

    return invoke


def regen() -> bool:
    return os.environ.get("AUDITKIT_REGEN_GOLDEN") == "1"


def check_golden(name: str, actual: str) -> None:
    path = EXCHANGE_GOLDEN / name
    if regen():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; create it with AUDITKIT_REGEN_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (AUDITKIT_REGEN_GOLDEN=1)"


# Report: a small audit with fixed ids and dates


def basics() -> Checklist:
    return load_file(REPORT_FIXTURES / "rpt_basics.yaml")


def fixed_input(
    comment: str = "Confirmed in the admin console.",
    vendor_name: str = "Sakura Commerce KK",
    final: bool = True,
    **vendor_fields: object,
) -> ReportInput:
    """A small audit with fixed ids and dates, built without a database."""
    checklist = basics()
    vendor = Vendor(
        id=1,
        name=vendor_name,
        services=["site_hosting", "order_handling"],
        contact_email="security@sakura.example",
        profile=VendorProfile(personal_data="medium", criticality="high"),
        **vendor_fields,
    )
    audit = Audit(
        id=7,
        vendor_id=1,
        status=AuditStatus.FINAL if final else AuditStatus.DRAFT,
        checklists={checklist.id: checklist.version},
        profile=vendor.profile.facts(vendor.services),
        previous_id=5,
        started_at=dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC),
        as_of=AS_OF,
        reviewer="Aiko Tanaka" if final else None,
        approver="Ken Sato" if final else None,
        finalized_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=UTC) if final else None,
    )
    pentest = Evidence(
        sha256="ab" * 32,
        name="pentest-2026.pdf",
        kind="pentest_report",
        size=1234,
        issued=dt.date(2026, 3, 1),
        expires=dt.date(2026, 9, 30),
    )
    at = dt.datetime(2026, 10, 15, 12, 0, tzinfo=UTC)
    answers = {
        "rpt_basics.tls": Answer(
            question_id="rpt_basics.tls", value="yes", source=Source.PROBE, answered_at=at
        ),
        "rpt_basics.mfa": Answer(
            question_id="rpt_basics.mfa",
            value="partial",
            comment=comment,
            answered_by="vendor-it",
            answered_at=at,
        ),
        "rpt_basics.pentest": Answer(
            question_id="rpt_basics.pentest",
            value="pentest-2026.pdf",
            evidence=[pentest],
            source=Source.AUDITOR,
            answered_at=at,
        ),
        "rpt_basics.patch_days": Answer(
            question_id="rpt_basics.patch_days", value=21.0, answered_at=at
        ),
    }
    state = AuditState(audit, vendor, (checklist,), answers)
    finding = Finding(
        id=3,
        vendor_id=1,
        audit_id=7,
        question_id="rpt_basics.mfa",
        severity=Severity.HIGH,
        summary="mfa",
        owner="Vendor IT",
        due_date=dt.date(2027, 1, 31),
    )
    before = Comparison(
        audit_id=5,
        as_of="2025-11-01",
        overall=60.0,
        rating="high",
        domains={"rpt_basics": 60.0},
        failing=("rpt_basics.tls",),
    )
    return ReportInput(state, state.score(), (finding,), before)
