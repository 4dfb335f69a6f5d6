"""Shared builders for the exchange tests: a small stable checklist set, a vendor's edits, a CLI.

Kept in a test module (no tests of its own) so the exchange tests do not depend on the shipped
checklists' wording, which changes as the checklists are written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner, Result

from auditkit.exchange.textdoc import dump_yaml
from auditkit.models.checklist import Checklist
from auditkit.services import audits, vendors
from auditkit.storage import db as db_service
from auditkit.storage import repository as repo
from tests.conftest import AS_OF, make_vendor
from tests.factories import checklist, question

GOLDEN = Path(__file__).parent / "golden" / "exchange"
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
    with db_service.transaction(db) as conn:
        stored = {k: a.model_dump() for k, a in repo.get_answers(conn, audit_id).items()}
        return repo.count(conn, "answers"), repo.count(conn, "changes"), stored


def stored(db: str, audit_id: int) -> dict[str, Any]:
    with db_service.transaction(db) as conn:
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
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        target.write_text(dump_yaml(data), encoding="utf-8")
    return target


def exchange_cli() -> click.Group:
    """The real CLI with the exchange commands added (until the main CLI registers them)."""
    from auditkit.cli.exchange_cmds import exchange_audit_commands, findings_export
    from auditkit.cli.main import AuditkitGroup, cli

    groups: dict[str, click.Command] = dict(cli.commands)
    audit = groups["audit"]
    findings = groups["findings"]
    assert isinstance(audit, click.Group) and isinstance(findings, click.Group)
    groups["audit"] = click.Group(
        "audit",
        commands={**audit.commands, **{c.name or "": c for c in exchange_audit_commands}},
        help=audit.help,
    )
    groups["findings"] = click.Group(
        "findings", commands={**findings.commands, "export": findings_export}, help=findings.help
    )
    return AuditkitGroup("auditkit", params=cli.params, callback=cli.callback, commands=groups)


def make_run(db: str) -> Callable[..., Result]:
    root = exchange_cli()
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(root, ["--db", db, "--as", "tester", *args])

    return invoke


def regen() -> bool:
    return os.environ.get("AUDITKIT_REGEN_GOLDEN") == "1"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if regen():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; create it with AUDITKIT_REGEN_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (AUDITKIT_REGEN_GOLDEN=1)"


DAY_BEFORE = AS_OF - dt.timedelta(days=1)
