"""Vendors → audit → interview → score → findings → finalize, through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.builders import run_json

CARD_VENDOR = [
    "vendor",
    "add",
    "Sakura Hosting",
    "--service",
    "site_hosting",
    "--service",
    "order_handling",
    "--card-data",
    "--personal-data",
    "high",
    "--system-access",
    "limited",
    "--criticality",
    "high",
    "--contact-email",
    "sec@sakura.example",
]


OPEN = ("--accept-unanswered", "scope limited to the questions answered")


def _start(run: Callable[..., Result], *extra: str) -> int:
    assert run(*(extra or CARD_VENDOR)).exit_code == 0
    data = run_json(run, "audit", "start", "1", "--as-of", "2026-11-01")
    return int(data["id"])


def test_vendor_add_list_show(run: Callable[..., Result]) -> None:
    result = run(*CARD_VENDOR)
    assert result.output == "vendor 1 added: Sakura Hosting (tier 1, review every 12 months)\n"
    listed = run("vendor", "list").output.splitlines()
    assert listed[0].split() == [
        "id", "name", "tier", "services", "score", "rating", "recommendation",
    ]  # fmt: skip
    # services by their labels, as vendor show gives them
    assert listed[2].split() == [
        "1", "Sakura", "Hosting", "1", "EC", "site", "hosting,", "Order", "handling", "-", "-", "-",
    ]  # fmt: skip
    shown = run("vendor", "show", "Sakura Hosting").output
    assert "  card data handled: yes: +3" in shown
    assert "total 9 points -> tier 1" in shown
    assert "  -> require ★4 (★4 if any answer is yes, else ★3)" in shown
    assert run_json(run, "vendor", "show", "1")["meti_level"] == "star4"


def test_vendor_edit_changes_tier_and_logs(run: Callable[..., Result]) -> None:
    run("vendor", "add", "Small Co", "--personal-data", "low", "--criticality", "low")
    assert run_json(run, "vendor", "show", "1")["inherent_risk"]["tier"] == 3
    result = run(
        "vendor", "edit", "Small Co", "--system-access", "privileged", "--criticality", "high"
    )
    assert result.output == "vendor 1 updated: Small Co\n"
    assert run_json(run, "vendor", "show", "1")["inherent_risk"] == {
        "tier": 1,
        "level": "high",
        "points": 6,
        "review_months": 12,
    }


def test_pci_applies_only_with_card_data(run: Callable[..., Result]) -> None:
    run("vendor", "add", "No Cards", "--personal-data", "medium")
    result = run("audit", "start", "No Cards")
    assert result.exit_code == 0
    assert "pci_dss" not in result.output
    assert result.output.startswith("audit 1 started (draft) with 12 checklists: ")


def test_end_to_end_interview_score_finalize(run: Callable[..., Result]) -> None:
    audit_id = _start(run)
    # answer the first three questions (access_control first), with comments, then stop
    piped = "5\nno MFA on the EC admin yet\npartial\n\nindividual_only\nQSA: 監査法人\n"
    result = run("audit", "interview", str(audit_id), input=piped)
    assert result.exit_code == 0, result.output
    assert "[1/" in result.output and "3 answer(s) saved;" in result.output
    shown = run_json(run, "audit", "show", str(audit_id))
    answers = {a["question_id"]: a for a in shown["answers"]}
    assert answers["access_control.mfa_admin"]["value"] == "none"
    assert answers["access_control.mfa_admin"]["comment"] == "no MFA on the EC admin yet"
    assert answers["access_control.mfa_remote"]["comment"] is None
    assert answers["access_control.unique_accounts"]["comment"] == "QSA: 監査法人"
    assert answers["access_control.mfa_admin"]["source"] == "vendor"

    score = run_json(run, "audit", "score", str(audit_id))
    assert score["recommendation"] == "reject"  # nearly everything is unanswered
    assert "access_control.mfa_admin" in score["critical_failures"]
    table = run("audit", "score", str(audit_id)).output.splitlines()
    assert table[0].split() == [
        "domain",
        "score",
        "pass",
        "partial",
        "fail",
        "n/a",
        "unanswered",
        "skipped",
    ]
    assert "recommendation: Reject" in table

    findings = run_json(run, "findings", "list", "--open")
    assert [f["question_id"] for f in findings] == [
        "access_control.mfa_admin",
        "access_control.mfa_remote",
    ]
    updated = run(
        "findings", "update", str(findings[0]["id"]), "--owner", "Tanaka", "--due", "2027-01-31"
    )
    assert updated.output == "finding 1: open, owner Tanaka, due 2027-01-31\n"

    assert (
        run(
            "audit", "finalize", str(audit_id), "--reviewer", "Bob", "--approver", "Carol", *OPEN
        ).output
        == f"audit {audit_id} is final (reviewer Bob; approver Carol, decision Reject)\n"
    )
    refused = run("audit", "answer", str(audit_id), "ssl_tls.min_version", "tls13_only")
    assert refused.exit_code == 5
    assert (
        refused.output
        == f"error: audit {audit_id} is final and cannot be changed; start a new audit instead\n"
    )
    log = run_json(run, "audit", "log", str(audit_id))
    assert [(c["entity"], c["field"]) for c in log][-6:] == [
        ("audit", "status"),
        ("audit", "reviewer"),
        ("audit", "approver"),
        ("audit", "decision"),
        ("audit", "accepted_unanswered"),
        ("audit", "finalized_by"),
    ]


def test_answer_command_validates_by_type(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    bad = run("audit", "answer", audit_id, "ssl_tls.min_version", "maybe")
    assert bad.exit_code == 3
    assert bad.output.startswith(
        "error: ssl_tls.min_version: unknown choice 'maybe'; expected one of "
    )
    good = run(
        "audit", "answer", audit_id, "ssl_tls.min_version", "tls13_only", "--comment", "<b>ok</b>"
    )
    assert good.output == "ssl_tls.min_version = tls13_only\n"
    unknown = run("audit", "answer", audit_id, "nope.q", "yes")
    assert (unknown.exit_code, unknown.output) == (
        4,
        f"error: audit {audit_id} has no question 'nope.q'\n",
    )


def test_an_answer_to_a_question_that_does_not_apply_is_refused(
    run: Callable[..., Result],
) -> None:
    audit_id = str(_start(run))  # limited system access: privileged-only questions do not apply
    question = "access_control.privileged_vendor_access"
    refused = run("audit", "answer", audit_id, question, "yes")
    assert (refused.exit_code, refused.output) == (
        3,
        f"error: {question}: does not apply to this vendor's profile or earlier answers\n",
    )
    assert run_json(run, "audit", "show", audit_id)["answers"] == []


def test_a_missing_evidence_file_is_not_found(run: Callable[..., Result], tmp_path: Path) -> None:
    audit_id = str(_start(run))
    missing = tmp_path / "signed-nda.pdf"
    result = run("audit", "evidence", audit_id, "nda.nda_before_access", str(missing))
    assert (result.exit_code, result.output) == (4, f"error: {missing}: no such file\n")


def test_invalid_piped_answer_stops_with_one_line(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    result = run("audit", "interview", audit_id, input="1\n\nyes\n\nmaybe\n")
    assert result.exit_code == 3
    assert result.output.splitlines()[-1] == (
        "error: access_control.unique_accounts: unknown choice 'maybe'; "
        "expected one of individual_only, break_glass_vaulted, shared_in_use"
    )
    answered = run_json(run, "audit", "show", audit_id)["answers"]
    assert len(answered) == 2  # what was answered before the bad line is kept


def test_unknown_ids_give_one_line_errors(run: Callable[..., Result]) -> None:
    cases = {
        (
            "vendor",
            "show",
            "Nobody",
        ): "error: no vendor 'Nobody' (give its id or exact name; see 'auditkit vendor list')\n",
        ("audit", "score", "42"): "error: no audit 42 (see 'auditkit audit list')\n",
        (
            "audit",
            "start",
            "7",
        ): "error: no vendor '7' (give its id or exact name; see 'auditkit vendor list')\n",
        (
            "findings",
            "update",
            "9",
            "--status",
            "accepted",
        ): "error: no finding 9 (see 'auditkit findings list')\n",
    }
    for args, message in cases.items():
        result = run(*args)
        assert (result.exit_code, result.output) == (4, message)


def test_duplicate_vendor_and_bad_email(run: Callable[..., Result]) -> None:
    run("vendor", "add", "Dup")
    assert run("vendor", "add", "Dup").output == "error: a vendor named 'Dup' already exists\n"
    bad = run("vendor", "add", "Mail", "--contact-email", "not an address")
    assert bad.exit_code == 3
    assert bad.output == "error: contact_email: expected an e-mail address like name@example.com\n"


def test_findings_carry_over_and_close(run: Callable[..., Result], tmp_path: Path) -> None:
    run("vendor", "add", "Carry", "--personal-data", "medium")
    first = run_json(run, "audit", "start", "Carry", "--as-of", "2026-01-10")["id"]
    run("audit", "answer", str(first), "nda.nda_before_access", "no")
    run("audit", "score", str(first))
    [finding] = run_json(run, "findings", "list", "--open")
    run("audit", "finalize", str(first), "--reviewer", "R", "--approver", "A", *OPEN)
    second = run_json(run, "audit", "start", "Carry", "--from-previous")["id"]
    assert run_json(run, "audit", "show", str(second))["answers"][0]["value"] == "no"
    run("audit", "score", str(second))
    [carried] = run_json(run, "findings", "list")
    assert (carried["id"], carried["audit_id"]) == (finding["id"], second)
    run("audit", "answer", str(second), "nda.nda_before_access", "yes")
    run("audit", "score", str(second))
    assert run_json(run, "findings", "list")[0]["status"] == "open"  # claimed, no evidence yet
    nda = tmp_path / "nda-signed.pdf"
    nda.write_bytes(b"%PDF-1.4 signed NDA")
    attached = run(
        "audit", "evidence", str(second), "nda.nda_before_access", str(nda), "--kind", "contract"
    )
    assert attached.output.endswith("(nda-signed.pdf, 19 bytes) linked to nda.nda_before_access\n")
    run("audit", "score", str(second))
    assert run_json(run, "findings", "list")[0]["status"] == "remediated"
    first_log = [(c["entity"], c["field"]) for c in run_json(run, "audit", "log", str(first))]
    assert first_log[-1] == ("audit", "finalized_by")  # a final audit's log stops at sign-off
    second_log = [
        (c["entity"], c["field"], c["new"]) for c in run_json(run, "audit", "log", str(second))
    ]
    assert ("finding", "audit_id", second) in second_log
    assert ("finding", "status", "remediated") in second_log
    assert json.loads(run("findings", "list", "--open", "--json").output) == []


def test_due_orders_vendors_by_urgency(run: Callable[..., Result]) -> None:
    run("vendor", "add", "Never", "--personal-data", "low")
    run("vendor", "add", "Tier1", "--card-data")  # 12-month cycle
    run("vendor", "add", "Tier3", "--personal-data", "low", "--criticality", "low")  # 36 months
    for name, day in (("Tier1", "2025-10-01"), ("Tier3", "2025-10-01")):
        audit_id = run_json(run, "audit", "start", name, "--as-of", day)["id"]
        run("audit", "finalize", str(audit_id), "--reviewer", "R", "--approver", "A", *OPEN)
    rows = run_json(run, "due", "--today", "2026-11-01")
    assert [(r["vendor"], r["due"], r["state"]) for r in rows] == [
        ("Never", None, "never_reviewed"),
        ("Tier1", "2026-10-01", "overdue"),
        ("Tier3", "2028-10-01", "current"),
    ]
    soon = run_json(run, "due", "--today", "2026-09-15")
    assert soon[1]["state"] == "due_soon"


def test_month_arithmetic_clamps_to_month_end() -> None:
    import datetime as dt

    from auditkit.services.reviews import add_months

    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 30), 36) == dt.date(2028, 11, 30)


def test_interview_in_japanese(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    result = run("--lang", "ja", "audit", "interview", audit_id, input="2\nOkta で必須化済み\n")
    assert result.exit_code == 0, result.output
    assert "アクセス管理と認証 — access_control.mfa_admin" in result.output
    assert (
        "次のいずれか: phishing_resistant, app_based, sms_otp, partial_coverage, none(番号も可)"
        in result.output
    )
    assert result.output.rstrip().endswith(
        f"1 件の回答を保存しました(未回答 {_open_questions(run, audit_id)} 問)。"
        f"再開: auditkit audit interview {audit_id}"
    )
    [stored] = run_json(run, "audit", "show", audit_id)["answers"]
    assert (stored["value"], stored["comment"]) == ("app_based", "Okta で必須化済み")


def _open_questions(run: Callable[..., Result], audit_id: str) -> int:
    score = run_json(run, "audit", "score", audit_id)
    return int(score["unanswered"])


def test_diff_between_two_years(run: Callable[..., Result]) -> None:
    run("vendor", "add", "Yearly", "--personal-data", "medium")
    first = str(run_json(run, "audit", "start", "Yearly", "--as-of", "2025-11-01")["id"])
    run("audit", "answer", first, "access_control.mfa_admin", "sms_otp")
    run("audit", "answer", first, "access_control.mfa_remote", "yes")
    run("audit", "finalize", first, "--reviewer", "R", "--approver", "A", *OPEN)
    second = str(run_json(run, "audit", "start", "Yearly", "--from-previous")["id"])
    run("audit", "answer", second, "access_control.mfa_admin", "phishing_resistant")
    run("audit", "answer", second, "access_control.mfa_remote", "no")
    change = run_json(run, "audit", "diff", first, second)
    assert [(c["question_id"], c["old"], c["new"]) for c in change["changed"]] == [
        ("access_control.mfa_admin", "sms_otp", "phishing_resistant"),
        ("access_control.mfa_remote", "yes", "no"),
    ]
    assert change["newly_failing"] == ["access_control.mfa_remote"]
    assert change["resolved"] == ["access_control.mfa_admin"]
    assert change["overall"][1] != change["overall"][0]
    text = run("audit", "diff", first, second).output.splitlines()
    assert text[0].startswith(f"Yearly: audit {first} (2025-11-01) -> audit {second} (")
    assert "  access_control.mfa_admin: sms_otp -> phishing_resistant" in text


def test_diff_refuses_audits_of_two_vendors(run: Callable[..., Result]) -> None:
    run("vendor", "add", "A Co")
    run("vendor", "add", "B Co")
    run("audit", "start", "A Co")
    run("audit", "start", "B Co")
    result = run("audit", "diff", "1", "2")
    assert (result.exit_code, result.output) == (
        5,
        "error: audits 1 and 2 are of different vendors ('A Co', 'B Co'); compare audits of one vendor\n",
    )


def test_scoring_an_older_audit_leaves_the_findings_alone(run: Callable[..., Result]) -> None:
    run("vendor", "add", "V2")
    run("audit", "start", "V2")
    run("audit", "answer", "1", "patching.end_of_life", "all_supported")
    run("audit", "start", "V2", "--from-previous")
    run("audit", "answer", "2", "patching.end_of_life", "eol_no_plan")
    run("audit", "score", "2")
    before = run_json(run, "findings", "list", "--vendor", "V2")
    run("audit", "score", "1")
    assert run_json(run, "findings", "list", "--vendor", "V2") == before
    eol = [f for f in before if f["question_id"] == "patching.end_of_life"]
    assert [(f["audit_id"], f["status"]) for f in eol] == [(2, "open")]


def test_vendor_text_never_reaches_the_terminal_raw(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    hostile = "ok\x1b[2K\r\x1b[1Aall good\x1b]0;pwned\x07"
    run("audit", "answer", audit_id, "ssl_tls.hsts", "hsts_long", "--comment", hostile)
    for args in (("audit", "show", audit_id), ("audit", "log", audit_id)):
        output = run(*args).output
        assert "\x1b" not in output and "\r" not in output and "\x07" not in output
    # stored normalised: the escape shown as text, the carriage return as a line break
    assert "ok\\x1b[2K\\n\\x1b[1Aall" in run("audit", "show", audit_id).output


def test_empty_answer_is_refused(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    result = run("audit", "answer", audit_id, "ssl_tls.hsts", " ")
    assert (result.exit_code, result.output) == (
        3,
        "error: ssl_tls.hsts: empty answer; expected one of hsts_long, hsts_short, redirect_only, http_served or N/A\n",
    )


def test_reattaching_evidence_updates_its_link_details(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    audit_id = str(_start(run))
    nda = tmp_path / "nda.pdf"
    nda.write_bytes(b"%PDF-1.4 signed NDA")
    args = ("audit", "evidence", audit_id, "nda.nda_before_access", str(nda), "--kind", "contract")
    run(*args, "--expires", "2020-01-01")
    run("audit", "answer", audit_id, "nda.nda_before_access", "yes")
    notes = {
        q["id"]: [n["text"] for n in q["notes"]]
        for d in run_json(run, "audit", "score", audit_id)["domains"]
        for q in d["questions"]
    }
    assert notes["nda.nda_before_access"] == ["evidence expired: capped at 0.5"]
    run(*args, "--expires", "2030-01-01")
    notes = {
        q["id"]: q["notes"]
        for d in run_json(run, "audit", "score", audit_id)["domains"]
        for q in d["questions"]
    }
    assert notes["nda.nda_before_access"] == []
    changes = [c for c in run_json(run, "audit", "log", audit_id) if c["entity"] == "answer"]
    last = changes[-1]  # the link's details are part of the answer, logged with it
    assert [e["expires"] for e in last["old"]["evidence"]] == ["2020-01-01"]
    assert [e["expires"] for e in last["new"]["evidence"]] == ["2030-01-01"]


def test_evidence_must_be_a_real_non_empty_file(run: Callable[..., Result], tmp_path: Path) -> None:
    audit_id = str(_start(run))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    for path, message in (
        (Path("/dev/zero"), "/dev/zero: not a regular file"),
        (empty, f"{empty}: empty file"),
    ):
        result = run("audit", "evidence", audit_id, "nda.nda_before_access", str(path))
        assert (result.exit_code, result.output) == (3, f"error: {message}\n")


def test_digits_only_vendor_name_is_refused(run: Callable[..., Result]) -> None:
    result = run("vendor", "add", "123")
    assert (result.exit_code, result.output) == (
        3,
        "error: name: a name of digits only would be taken for a vendor id; add a word\n",
    )


def test_commands_that_would_do_nothing_say_so(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    run("audit", "answer", audit_id, "access_control.mfa_admin", "none")
    run("audit", "score", audit_id)
    no_change = run("findings", "update", "1")
    assert (no_change.exit_code, no_change.output) == (
        3,
        "error: nothing to change: give --status, --owner, --due or --notes\n",
    )
    same = run("audit", "diff", audit_id, audit_id)
    assert (same.exit_code, same.output) == (
        3,
        f"error: give two different audits to compare (got {audit_id} twice)\n",
    )


def test_score_in_japanese(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    run("audit", "answer", audit_id, "access_control.mfa_admin", "none")
    lines = run("--lang", "ja", "audit", "score", audit_id).output.splitlines()
    assert lines[0].split() == [
        "領域",
        "スコア",
        "合格",
        "一部適合",
        "不合格",
        "該当なし",
        "未回答",
        "対象外",
    ]
    assert "推奨判断: 否認" in lines
    title = "当社サービスに用いるすべての管理者アクセス"
    critical = next(line for line in lines if line.startswith("  - 重要管理策「"))
    assert title in critical and "access_control" not in critical
    assert critical.endswith(
        "」:回答が要件を満たしていない。残留リスクを「高」以上に引き上げました"
    )


def test_piped_skip_takes_two_lines_like_an_answer(run: Callable[..., Result]) -> None:
    audit_id = str(_start(run))
    result = run("audit", "interview", audit_id, input="s\nignored\n1\nvia piped input\n")
    assert result.exit_code == 0, result.output
    [stored] = run_json(run, "audit", "show", audit_id)["answers"]
    assert (stored["question_id"], stored["value"], stored["comment"]) == (
        "access_control.mfa_remote",
        "yes",
        "via piped input",
    )
    assert f"{_open_questions(run, audit_id)} question(s) still open" in result.output


def test_write_commands_speak_json(run: Callable[..., Result], tmp_path: Path) -> None:
    audit_id = str(_start(run))
    stored = run_json(run, "audit", "answer", audit_id, "nda.nda_before_access", "yes")
    assert (stored["audit_id"], stored["question_id"], stored["value"]) == (
        int(audit_id),
        "nda.nda_before_access",
        "yes",
    )
    nda = tmp_path / "nda.pdf"
    nda.write_bytes(b"%PDF-1.4 signed NDA")
    args = ("audit", "evidence", audit_id, "nda.nda_before_access", str(nda))
    linked = run_json(run, *args, "--kind", "contract")
    assert (linked["name"], linked["kind"], linked["size"]) == ("nda.pdf", "contract", 19)
    run("audit", "answer", audit_id, "access_control.mfa_admin", "none")
    run("audit", "score", audit_id)
    exported = run_json(run, "findings", "export", "-o", str(tmp_path / "f.csv"))
    assert exported == {"path": str(tmp_path / "f.csv"), "findings": exported["findings"]}
    assert exported["findings"] > 0
    final = run_json(
        run, "audit", "finalize", audit_id, "--reviewer", "Kenji", "--approver", "Yuki", *OPEN
    )
    assert (final["id"], final["status"], final["reviewer"]) == (int(audit_id), "final", "Kenji")
