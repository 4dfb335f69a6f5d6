"""Sign-off rules: unanswered questions, four eyes, decision and dates; 'previous audit'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.record_helpers import OPEN, Cli, final_audit, write_checklist


@pytest.fixture
def ak(db: str, tmp_path: Path) -> Cli:
    return Cli(db, tmp_path)


def nda_draft(ak: Cli, name: str = "Solo", as_of: str = "2026-11-01") -> str:
    """A draft audit of a low-risk vendor, nothing answered yet."""
    if name not in {v["name"] for v in ak.json("vendor", "list")}:
        ak.ok("vendor", "add", name, "--criticality", "low")
    return str(ak.json("audit", "start", name, "--as-of", as_of)["id"])


def test_unanswered_questions_are_listed_and_refused(ak: Cli) -> None:
    audit_id = nda_draft(ak)
    ak.ok("audit", "answer", audit_id, "access_control.mfa_admin", "app_based")
    score = ak.json("audit", "score", audit_id)
    open_ids = [
        q["id"] for d in score["domains"] for q in d["questions"] if q["status"] == "unanswered"
    ]
    assert len(open_ids) == score["unanswered"] > 10
    assert "access_control.mfa_admin" not in open_ids
    refused = ak("audit", "finalize", audit_id, "--reviewer", "R", "--approver", "A")
    assert refused.exit_code == 3
    assert refused.output == (
        f"error: audit {audit_id}: {len(open_ids)} applicable question(s) unanswered: "
        f"{', '.join(open_ids[:10])} and {len(open_ids) - 10} more; answer them, or finalize "
        'with --accept-unanswered "REASON"\n'
    )
    assert ak.json("audit", "show", audit_id)["status"] == "draft"
    done = ak.ok("audit", "finalize", audit_id, "--reviewer", "R", "--approver", "A",
                 "--accept-unanswered", "NDA questions asked separately by legal")  # fmt: skip
    assert done == f"audit {audit_id} is final (reviewer R; approver A, decision Reject)\n"
    shown = ak.json("audit", "show", audit_id)
    assert shown["accepted_unanswered"] == "NDA questions asked separately by legal"
    log = ak.json("audit", "log", audit_id)
    assert ("accepted_unanswered", "NDA questions asked separately by legal") in [
        (c["field"], c["new"]) for c in log
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--reviewer", "Kenji"),
            "an approver other than the reviewer is required (--approver NAME); a one-person "
            "team may set AUDITKIT_FOUR_EYES=optional and use --single-person",
        ),
        (
            ("--reviewer", "Kenji", "--approver", " kenji "),
            "the approver must be someone other than the reviewer ('Kenji'); name an "
            "independent approver",
        ),
        (
            ("--reviewer", "Kenji", "--single-person"),
            "four-eyes sign-off is required; --single-person is allowed only with "
            "AUDITKIT_FOUR_EYES=optional",
        ),
    ],
)
def test_four_eyes_violations_exit_5(ak: Cli, args: tuple[str, ...], message: str) -> None:
    audit_id = nda_draft(ak)
    refused = ak("audit", "finalize", audit_id, *args, *OPEN)
    assert (refused.exit_code, refused.output) == (5, f"error: audit {audit_id}: {message}\n")
    assert ak.json("audit", "show", audit_id)["status"] == "draft"
    assert not [c for c in ak.json("audit", "log", audit_id) if c["field"] == "reviewer"]


def test_single_person_sign_off_when_the_setting_allows_it(ak: Cli, tmp_path: Path) -> None:
    audit_id = nda_draft(ak)
    env = {"AUDITKIT_FOUR_EYES": "optional"}
    done = ak("audit", "finalize", audit_id, "--reviewer", "Kenji", "--single-person", *OPEN,
              env=env)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert (
        done.output == f"audit {audit_id} is final (reviewer Kenji; not independently approved)\n"
    )
    shown = ak.json("audit", "show", audit_id)
    assert (shown["single_person"], shown["approver"], shown["finalized_by"]) == (
        True,
        None,
        "tester",
    )
    out = tmp_path / "solo.html"
    ak.ok("report", audit_id, "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Not independently approved: signed off by one person." in html
    assert "shipped domains are out of scope for this test" in html


def test_sign_off_page_shows_people_decision_dates_and_checksum(ak: Cli, tmp_path: Path) -> None:
    audit_id = nda_draft(ak)
    ak.ok("audit", "answer", audit_id, "nda.nda_before_access", "yes")
    ak.ok("audit", "finalize", audit_id, "--reviewer", "Kenji Sato", "--approver", "Yuki Tanaka",
          "--decision", "approve_with_conditions", *OPEN)  # fmt: skip
    shown = ak.json("audit", "show", audit_id)
    assert shown["decision"] == "approve_with_conditions"
    assert shown["approved_at"] == shown["finalized_at"]
    out = tmp_path / "signed.html"
    written = ak.ok("report", audit_id, "--format", "html", "-o", str(out))
    import hashlib

    assert f"sha256 {hashlib.sha256(out.read_bytes()).hexdigest()}" in written
    html = out.read_text(encoding="utf-8")
    signoff = html[html.index('id="signoff"') :]
    day = shown["finalized_at"][:10]
    for text in ("Kenji Sato", "Yuki Tanaka", "Approve with conditions", day, "tester",
                 "shasum -a 256 FILE", "Signed off with unanswered questions; reason ("):  # fmt: skip
        assert text in signoff, text
    assert "Not independently approved" not in html


def test_previous_audit_is_the_latest_final_one_finalized_before(ak: Cli, tmp_path: Path) -> None:
    sign = ("--reviewer", "R", "--approver", "A", *OPEN)
    year_2025 = nda_draft(ak, "Yearly", "2025-11-01")
    later_draft = nda_draft(ak, "Yearly", "2026-11-01")  # started before 2025 is finalized
    ak.ok("audit", "finalize", year_2025, *sign)
    assert ak.json("audit", "show", year_2025)["previous_id"] is None

    def compared_with(audit_id: str) -> int | None:
        out = tmp_path / f"r{audit_id}.json"
        ak.ok("report", audit_id, "--format", "json", "-o", str(out))
        comparison = json.loads(out.read_text(encoding="utf-8"))["comparison"]
        return None if comparison is None else int(comparison["audit_id"])

    assert compared_with(year_2025) is None  # not the later draft
    assert compared_with(later_draft) == int(year_2025)
    ak.ok("audit", "answer", later_draft, "nda.nda_before_access", "yes")
    ak.ok("audit", "finalize", later_draft, *sign)
    assert ak.json("audit", "show", later_draft)["previous_id"] == int(year_2025)
    newest_draft = nda_draft(ak, "Yearly", "2027-11-01")
    assert compared_with(later_draft) == int(year_2025)  # frozen, not the newest draft
    assert compared_with(newest_draft) == int(later_draft)
    assert compared_with(year_2025) is None
    draft_first = nda_draft(ak, "Late", "2026-11-01")  # a draft with the higher-up id...
    entered_late = nda_draft(ak, "Late", "2025-11-01")  # ...than this old audit entered later
    ak.ok("audit", "finalize", entered_late, *sign)
    assert compared_with(entered_late) is None  # never the draft
    assert compared_with(draft_first) == int(entered_late)


def test_a_final_audit_refuses_every_write(ak: Cli, tmp_path: Path) -> None:
    dirs = (tmp_path / "user",)
    write_checklist(dirs[0])
    audit_id = str(final_audit(ak, dirs, tmp_path))
    doc = tmp_path / "x.pdf"
    doc.write_bytes(b"x")
    for command in (
        ("audit", "answer", audit_id, "acme_sec.tls", "no"),
        ("audit", "evidence", audit_id, "acme_sec.pentest", str(doc)),
        ("audit", "finalize", audit_id, "--reviewer", "B", "--approver", "C", *OPEN),
        ("audit", "upgrade", audit_id),
    ):
        refused = ak(*command, dirs=dirs)
        assert refused.exit_code == 5, (command, refused.output)
        assert refused.output.startswith(f"error: audit {audit_id} is final"), refused.output
