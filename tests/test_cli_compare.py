"""`auditkit compare` end to end: the demo database plus a fourth and a fifth logistics
candidate added through the CLI; the comparison PDF read back in both languages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from auditkit.checklists import load_directories
from auditkit.cli.main import cli
from auditkit.report import fonts
from auditkit.services.demo import seed
from auditkit.storage.db import close

SAKURA = "Sakura Commerce Operations KK (さくらコマースオペレーションズ株式会社)"
HOSHIZORA = "Hoshizora Support & Logistics KK (ほしぞらサポート＆ロジスティクス株式会社)"
KUMO = "Kumo Digital Studio LLC (合同会社クモデジタルスタジオ)"
MINATO = "株式会社みなと物流サービス"
NISHIKAZE = "Nishikaze Logistics GK"
LOGISTICS_PROFILE = (
    "--service", "logistics", "--service", "customer_support", "--service", "inventory",
    "--personal-data", "medium", "--system-access", "limited", "--criticality", "medium",
)  # fmt: skip


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


# the critical controls the auditor verified at Hoshizora (see auditkit/demo): imported answers
# are self-attested, and a self-attested knock-out control needs a verification to pass
VERIFIED = (
    "audit_logging.admin_and_data_access", "audit_logging.external_audit_frequency",
    "contract_exit.data_ownership", "encryption.personal_data_at_rest",
    "file_sharing.approved_platform", "governance.security_officer",
    "incident_response.notification_commitment", "nda.return_and_deletion",
    "patching.critical_patch_days", "patching.end_of_life", "redundancy.backups",
    "redundancy.restore_test",
)  # fmt: skip


def _add_candidate(invoke: Callable[..., Result], name: str, answers_file: Path) -> int:
    """A logistics vendor whose audit starts from the answers of the demo's Hoshizora audit,
    its critical controls verified in an interview as Hoshizora's were."""
    _ok(invoke("vendor", "add", name, *LOGISTICS_PROFILE))
    audit_id = json.loads(
        _ok(invoke("audit", "start", name, "--as-of", "2026-11-01", "--json")).output
    )["id"]
    text = answers_file.read_text(encoding="utf-8").replace(
        "audit_id: 3\n", f"audit_id: {audit_id}\n"
    )
    mine = answers_file.with_name(f"answers-{audit_id}.yaml")
    mine.write_text(text, encoding="utf-8")
    _ok(invoke("audit", "import", str(audit_id), str(mine)))
    for question_id in VERIFIED:
        note = "confirmed in the interview"
        _ok(invoke("audit", "verify-answer", str(audit_id), question_id, "--how", "interview",
                   "--note", note))  # fmt: skip
    return int(audit_id)


@pytest.fixture(scope="module")
def candidates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo vendors (audits 1-4), then Minato (audit 5, draft, answers its 24x7 contact
    question better than Hoshizora) and Nishikaze (audit 6 final, no admin MFA; audit 7 a
    newer draft that must not be picked)."""
    folder = tmp_path_factory.mktemp("candidates")
    db = str(folder / "demo.db")
    seed(db, load_directories())
    close(db)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", db, "--as", "tester", *args])

    exported = folder / "hoshizora.yaml"
    _ok(invoke("audit", "export", "3", "-o", str(exported), "--format", "yaml"))
    minato = _add_candidate(invoke, MINATO, exported)
    _ok(invoke("audit", "answer", str(minato), "incident_response.contact_24x7", "yes"))
    nishikaze = _add_candidate(invoke, NISHIKAZE, exported)
    _ok(invoke("audit", "answer", str(nishikaze), "access_control.mfa_admin", "none"))
    _ok(
        invoke(
            "audit",
            "finalize",
            str(nishikaze),
            "--reviewer",
            "R. Reviewer",
            "--approver",
            "A. Approver",
            "--accept-unanswered",
            "test candidate",
        )
    )
    _ok(invoke("audit", "start", NISHIKAZE, "--as-of", "2026-11-20"))
    close(db)
    return folder / "demo.db"


@pytest.fixture
def run(candidates: Path, tmp_path: Path) -> Callable[..., Result]:
    copy = tmp_path / "demo.db"
    shutil.copy(candidates, copy)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", str(copy), *args])

    yield invoke
    close(str(copy))


def _json(run: Callable[..., Result], *args: str) -> Any:
    return json.loads(_ok(run("compare", *args, "--json")).output)


def test_service_picks_every_logistics_vendor_final_audit_preferred(
    run: Callable[..., Result],
) -> None:
    data = _json(run, "--service", "logistics")
    got = [(c["vendor"], c["audit_id"], c["status"], c["draft"]) for c in data["candidates"]]
    assert got == [
        (HOSHIZORA, 3, "draft", True),
        (MINATO, 5, "draft", True),
        (NISHIKAZE, 6, "final", False),  # its final audit, not the newer draft 7
    ]
    hoshizora, minato, nishikaze = data["candidates"]
    assert hoshizora["recommendation"] == "approve_with_conditions"
    assert hoshizora["failed_knockouts"] == []
    # evidence links do not travel in a questionnaire file: two knock-outs lack their evidence
    assert minato["failed_knockouts"] == ["nda.nda_before_access", "ssl_tls.min_version"]
    assert nishikaze["failed_knockouts"] == [
        "access_control.mfa_admin",
        *minato["failed_knockouts"],
    ]
    assert minato["recommendation"] == nishikaze["recommendation"] == "reject"
    assert nishikaze["rating"] in ("high", "critical")
    assert minato["overall"] > nishikaze["overall"]
    assert data["checklist_versions"] == []  # same checklists: nothing to reconcile
    assert set(hoshizora["domains"]) == set(data["domains"])
    gaps = {g["question"] for g in hoshizora["evidence_gaps"]}
    assert gaps < {g["question"] for g in minato["evidence_gaps"]}
    assert hoshizora["open_findings"]["critical"] == 3
    assert sum(minato["open_findings"].values()) > 0  # counted from the audit, synced or not


def test_differences_show_where_candidates_part(run: Callable[..., Result]) -> None:
    data = _json(run, "--service", "logistics")
    by_id = {d["question"]: d for d in data["differences"]}
    mfa = by_id["access_control.mfa_admin"]
    assert mfa["critical"] is True
    assert mfa["results"][2] == {"status": "fail", "score": 0.0}
    assert mfa["spread"] == max(r["score"] for r in mfa["results"])
    spreads = [d["spread"] for d in data["differences"]]
    assert spreads == sorted(spreads, reverse=True) and all(s > 0 for s in spreads)


def test_vendors_and_audits_by_reference_and_the_demo_outcomes(
    run: Callable[..., Result],
) -> None:
    data = _json(
        run,
        "Sakura Commerce Operations KK (さくらコマースオペレーションズ株式会社)",
        "3",
        "--audit",
        "1",
    )
    got = [(c["audit_id"], c["status"], c["recommendation"]) for c in data["candidates"]]
    # audits first, then vendors; the demo's three outcomes
    assert got == [
        (1, "final", "approve_with_conditions"),
        (2, "final", "approve"),
        (4, "draft", "reject"),
    ]
    assert data["candidates"][1]["vendor"] == SAKURA
    assert data["candidates"][2]["vendor"] == KUMO
    assert "access_control.mfa_admin" in data["candidates"][2]["failed_knockouts"]


def test_terminal_table(run: Callable[..., Result]) -> None:
    lines = _ok(run("compare", "--service", "logistics")).output.splitlines()
    assert lines[:3] == [
        f"A = {HOSHIZORA}: audit 3, draft (no final audit yet), as of 2026-11-01",
        f"B = {MINATO}: audit 5, draft (no final audit yet), as of 2026-11-01",
        f"C = {NISHIKAZE}: audit 6, final, as of 2026-11-01",
    ]
    cells = {line[:26].strip(): line[26:].split() for line in lines[6:24]}
    assert cells["recommendation"] == ["approve_with_conditions", "reject", "reject"]
    assert cells["tier"] == ["2", "2", "2"]
    assert cells["failed knock-outs"] == ["0", "2", "3"]
    assert cells["open findings: critical"][0] == "3"
    assert "failed knock-out C: access_control.mfa_admin" in lines
    assert "where they differ most:" in lines


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["4"], 3, "error: compare needs at least two vendors or audits (got 1)"),
        (["4", "Nobody KK"], 4, "error: no vendor 'Nobody KK'"),
        (["--service", "marketing", "--audit", "999"], 4, "error: no audit 999"),
        (
            ["--service", "site_build"],
            3,
            "error: compare needs at least two vendors or audits (got 1)",
        ),
    ],
)
def test_bad_requests_are_one_line_errors(
    run: Callable[..., Result], args: list[str], code: int, message: str
) -> None:
    result = run("compare", *args)
    assert result.exit_code == code
    assert result.output.splitlines()[0].startswith(message)


def test_vendor_without_audit(run: Callable[..., Result]) -> None:
    _ok(run("vendor", "add", "Empty KK"))
    result = run("compare", "4", "Empty KK")
    assert result.exit_code == 4
    assert (
        result.output == "error: vendor 'Empty KK' has no audit yet; start one with 'audit start'\n"
    )


def _font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "title", "final"), [("en", "Vendor comparison", "Final"), ("ja", "委託先比較", "確定")]
)
def test_comparison_pdf(
    run: Callable[..., Result], tmp_path: Path, lang: str, title: str, final: str
) -> None:
    out = tmp_path / f"compare.{lang}.pdf"
    _ok(run("compare", "--service", "logistics", "-o", str(out), "--lang", lang))
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert title in text
    for name in ("Hoshizora Support & Logistics KK", MINATO, NISHIKAZE, "access_control.mfa_admin"):
        assert name in text.replace("\n", " ")
    assert final in text
    if fonts.has_cjk():
        assert any("NotoSansCJK" in n.replace("-", "") for n in _font_names(reader))
    embedded = json.loads(reader.attachments["comparison.json"][0])
    printed = _json(run, "--service", "logistics")
    assert {k: v for k, v in embedded.items() if k != "auditkit_comparison"} == printed
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp


@pytest.mark.slow
def test_comparison_pdf_is_reproducible_and_escapes_vendor_text(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    _ok(
        run(
            "vendor",
            "edit",
            MINATO,  # a draft shows the vendor as it is now (a final audit, as it was frozen)
            "--name",
            '<script>alert(1)</script> <img src="file:///etc/passwd">',
        )
    )
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    _ok(run("compare", "--service", "logistics", "-o", str(first)))
    _ok(run("compare", "--service", "logistics", "-o", str(second)))
    assert first.read_bytes() == second.read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(first).pages)
    assert "<script>alert(1)</script>" in text.replace("\n", " ")  # shown as text, never markup
    html = tmp_path / "c.html"
    _ok(run("compare", "--service", "logistics", "-o", str(html), "--format", "html"))
    assert "&lt;script&gt;" in html.read_text(encoding="utf-8")
    assert "<script>" not in html.read_text(encoding="utf-8")
