"""A final audit is a frozen record: nothing done after sign-off changes what it says.

End to end through the CLI: editing the vendor, editing or upgrading a checklist (same version
with other content, a bumped version, the checklist gone), and attaching the same evidence bytes
elsewhere with other details never change a final audit's score, findings, tier or report bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.record_helpers import Cli, final_audit, write_checklist


@pytest.fixture
def ak(db: str, tmp_path: Path) -> Cli:
    return Cli(db, tmp_path)


def test_editing_the_vendor_never_changes_a_final_audit(ak: Cli, tmp_path: Path) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = final_audit(ak, dirs, tmp_path)
    before = ak.snapshot(audit_id, dirs)
    assert before["score"]["tier"] == 1
    ak.ok("vendor", "edit", "Acme", "--no-card-data", "--criticality", "low", dirs=dirs)
    assert (
        ak.json("vendor", "show", "Acme", dirs=dirs)["inherent_risk"]["tier"] == 3
    )  # the vendor did change
    assert ak.snapshot(audit_id, dirs) == before


@pytest.mark.parametrize("change", ["same_version_edited", "bumped_version", "checklist_gone"])
def test_changing_a_checklist_never_changes_a_final_audit(
    ak: Cli, tmp_path: Path, change: str
) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = final_audit(ak, dirs, tmp_path)
    before = ak.snapshot(audit_id, dirs)
    if change == "same_version_edited":
        write_checklist(dirs[0], "1.0.0", edit="weight")
    elif change == "bumped_version":
        write_checklist(dirs[0], "1.1.0", edit="replace")
    else:
        dirs = ()  # the user directory is not given any more: the frozen copy still answers
    assert ak.snapshot(audit_id, dirs) == before


def test_reattaching_evidence_elsewhere_never_changes_a_final_audit(
    ak: Cli, tmp_path: Path
) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = final_audit(ak, dirs, tmp_path)
    before = ak.snapshot(audit_id, dirs)
    ak.ok("vendor", "add", "Other", dirs=dirs)
    other = str(ak.json("audit", "start", "Other", dirs=dirs)["id"])
    same_bytes = tmp_path / "renamed.pdf"
    same_bytes.write_bytes(b"%PDF-1.4 pentest 2026")
    for question in ("acme_sec.pentest", "acme_sec.tls"):
        ak.ok(
            "audit", "evidence", other, question, str(same_bytes), "--kind", "other",
            "--expires", "2020-01-01", "--note", "old copy", dirs=dirs,
        )  # fmt: skip
    assert ak.snapshot(audit_id, dirs) == before
    [link] = [a for a in before["show"]["answers"] if a["question_id"] == "acme_sec.pentest"]
    assert [(e["kind"], e["expires"], e["name"]) for e in link["evidence"]] == [
        ("pentest_report", "2027-06-30", "pentest.pdf")
    ]
    answers = {a["question_id"]: a for a in ak.json("audit", "show", other, dirs=dirs)["answers"]}
    assert [(e["kind"], e["expires"], e["note"]) for e in answers["acme_sec.tls"]["evidence"]] == [
        ("other", "2020-01-01", "old copy")
    ]


def test_same_file_on_two_questions_of_one_draft_keeps_two_sets_of_details(
    ak: Cli, tmp_path: Path
) -> None:
    ak.ok("vendor", "add", "Links", "--personal-data", "medium")
    audit_id = str(ak.json("audit", "start", "Links")["id"])
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(b"%PDF-1.4 security policy")
    ak.ok("audit", "evidence", audit_id, "nda.nda_before_access", str(policy), "--kind", "contract",
          "--expires", "2027-01-01")  # fmt: skip
    ak.ok("audit", "evidence", audit_id, "access_control.mfa_admin", str(policy), "--kind",
          "policy", "--issued", "2026-01-01", "--note", "section 4")  # fmt: skip
    answers = {a["question_id"]: a for a in ak.json("audit", "show", audit_id)["answers"]}
    first = answers["nda.nda_before_access"]["evidence"][0]
    second = answers["access_control.mfa_admin"]["evidence"][0]
    assert first["sha256"] == second["sha256"]
    assert (first["kind"], first["expires"], first["issued"], first["note"]) == (
        "contract", "2027-01-01", None, None,
    )  # fmt: skip
    assert (second["kind"], second["expires"], second["issued"], second["note"]) == (
        "policy", None, "2026-01-01", "section 4",
    )  # fmt: skip


def test_diff_of_a_final_audit_reads_its_frozen_checklist(ak: Cli, tmp_path: Path) -> None:
    """After a version bump, diff lists the questions only one audit had (issue: it listed
    none, because the final audit was re-read with the new checklist)."""
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    first = final_audit(ak, dirs, tmp_path)
    write_checklist(dirs[0], "1.1.0", edit="replace")
    second = str(ak.json("audit", "start", "Acme", "--from-previous", dirs=dirs)["id"])
    change = ak.json("audit", "diff", str(first), second, dirs=dirs)
    assert "acme_sec.patch_days" in change["only_old"]
    assert "acme_sec.patch_sla" in change["only_new"]
    frozen = ak.json("audit", "score", str(first), dirs=dirs)
    domain = next(d for d in frozen["domains"] if d["id"] == "acme_sec")
    assert [q["id"] for q in domain["questions"]][-2:] == [
        "acme_sec.patch_days",
        "acme_sec.notes",
    ]


@pytest.mark.sqlite_only
def test_a_tampered_record_is_refused_not_shown(ak: Cli, tmp_path: Path) -> None:
    import sqlite3

    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = str(final_audit(ak, dirs, tmp_path))
    shown = ak.json("audit", "show", audit_id, dirs=dirs)
    assert f"frozen record sha256 {shown['record_sha256']}" in ak.ok("audit", "show", audit_id)
    with sqlite3.connect(ak.db) as conn:
        stored = conn.execute("SELECT content_sha256 FROM audit_records").fetchone()[0]
        assert stored == shown["record_sha256"]
        [content] = conn.execute("SELECT content FROM audit_records").fetchone()
        tampered = content.replace('"tier": 1', '"tier": 3')
        assert tampered != content
        conn.execute("UPDATE audit_records SET content = ?", (tampered,))
    refused = ak("audit", "score", audit_id)
    assert (refused.exit_code, refused.output) == (
        6,
        f"error: the frozen record of audit {audit_id} does not match its hash\n",
    )
