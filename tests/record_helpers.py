"""Shared helpers for the frozen-record tests: the CLI on one database, a user checklist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from auditkit.cli.main import cli

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report_checklists" / "rpt_basics.yaml"
OPEN = ("--accept-unanswered", "shipped domains are out of scope for this test")
SIGN = ("--reviewer", "Kenji Sato", "--approver", "Yuki Tanaka", *OPEN)


def write_checklist(directory: Path, version: str = "1.0.0", edit: str | None = None) -> Path:
    """A user checklist 'acme_sec' made from the report fixture; `edit` changes one question."""
    text = FIXTURE.read_text(encoding="utf-8").replace("rpt_basics", "acme_sec")
    text = text.replace('version: "1.0.0"', f'version: "{version}"')
    if edit == "weight":  # same questions, the TLS control weighs less
        text = text.replace("    weight: 5\n", "    weight: 1\n", 1)
    elif edit == "replace":  # patch_days dropped, a new question added, MFA reworded
        text = text.replace("acme_sec.patch_days", "acme_sec.patch_sla")
        text = text.replace("for administrators?", "for every administrator?")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "acme_sec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class Cli:
    """The auditkit CLI on one database, with optional user checklist directories."""

    def __init__(self, db: str, tmp_path: Path) -> None:
        self.db, self.tmp = db, tmp_path
        self.runner = CliRunner()

    def __call__(
        self, *args: str, dirs: tuple[Path, ...] = (), env: dict[str, str] | None = None
    ) -> Result:
        options = [o for d in dirs for o in ("--checklists", str(d))]
        return self.runner.invoke(
            cli, ["--db", self.db, "--as", "tester", *options, *args], env=env
        )

    def ok(self, *args: str, dirs: tuple[Path, ...] = ()) -> str:
        result = self(*args, dirs=dirs)
        assert result.exit_code == 0, result.output
        return result.output

    def json(self, *args: str, dirs: tuple[Path, ...] = ()) -> Any:
        return json.loads(self.ok(*args, "--json", dirs=dirs))

    def snapshot(self, audit_id: int, dirs: tuple[Path, ...] = ()) -> dict[str, Any]:
        """Everything a final audit says: score, findings, tier, show, report bytes."""
        out = self.tmp / f"report-{audit_id}.json"
        self.ok("report", str(audit_id), "--format", "json", "-o", str(out), dirs=dirs)
        vendor = self.json("audit", "show", str(audit_id), dirs=dirs)["vendor"]
        return {
            "score": self.json("audit", "score", str(audit_id), dirs=dirs),
            "show": self.json("audit", "show", str(audit_id), dirs=dirs),
            "vendor": vendor,
            "report": out.read_bytes(),
        }


def final_audit(ak: Cli, dirs: tuple[Path, ...], tmp_path: Path, vendor: str = "Acme") -> int:
    """A tier-1 vendor's audit with evidence, answered and signed off."""
    ak.ok("vendor", "add", vendor, "--card-data", "--criticality", "high", dirs=dirs)
    audit_id = int(ak.json("audit", "start", vendor, "--as-of", "2026-11-01", dirs=dirs)["id"])
    for question, value in (
        ("acme_sec.tls", "yes"),
        ("acme_sec.mfa", "partial"),
        ("acme_sec.patch_days", "20"),
    ):
        ak.ok("audit", "answer", str(audit_id), question, value, dirs=dirs)
    report = tmp_path / "pentest.pdf"
    report.write_bytes(b"%PDF-1.4 pentest 2026")
    ak.ok(
        "audit", "evidence", str(audit_id), "acme_sec.pentest", str(report),
        "--kind", "pentest_report", "--expires", "2027-06-30", dirs=dirs,
    )  # fmt: skip
    ak.ok("audit", "finalize", str(audit_id), *SIGN, dirs=dirs)
    return audit_id
