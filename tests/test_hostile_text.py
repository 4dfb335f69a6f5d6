"""Vendor text cannot break a report: one normalisation where text enters storage, and the
same one where stored text enters a template. Real databases, real PDFs read back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import create_engine, update

from auditkit import textnorm
from auditkit.assessment import AuditState
from auditkit.errors import ValidationProblem
from auditkit.models.audit import Answer, Audit, Evidence, Finding
from auditkit.models.common import revise
from auditkit.models.vendor import Vendor
from auditkit.report import renderers
from auditkit.report.audit_data import ReportInput
from auditkit.services import audits, signoff, vendors
from auditkit.services.signoff import SignOffRequest
from auditkit.storage.schema import answers as answers_table
from tests.builders import AS_OF, basics, fixed_input
from tests.test_report_pdf import invoke, text_of

CHECKLISTS = {"rpt_basics": basics()}


def draft_audit(db: str) -> int:
    vendor = vendors.add(db, Vendor(name="Fuji Logistics", services=["logistics"]), "tester")
    return audits.start(db, vendor.name, CHECKLISTS, "tester", as_of=AS_OF).id


HIDDEN = "\x01\x1b\x7f\x9b\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"

# Every Unicode category a vendor can type, the troublesome ones (line and paragraph
# separators, controls, format characters) included; NUL is refused and tested on its own.
VENDOR_TEXT = st.text(
    st.characters(
        categories=["L", "M", "N", "P", "S", "Zs", "Zl", "Zp", "Cc", "Cf", "Co"],
        exclude_characters="\x00",
    ),
    min_size=1,
    max_size=30,
)


def test_separators_become_newlines_and_hidden_characters_visible_escapes() -> None:
    assert textnorm.normalize("a\r\nb\rc\x85d\u2028e\u2029f\x0bg\x0ch") == "a\nb\nc\nd\ne\nf\ng\nh"
    assert textnorm.normalize("Evil\u202eCorp") == "Evil\\u202eCorp"
    assert textnorm.normalize("x\x1b[31my\x07") == "x\\x1b[31my\\x07"
    assert textnorm.normalize("tab\tand emoji 👩‍💻 stay") == "tab\tand emoji 👩\u200d💻 stay"
    with pytest.raises(ValueError, match="text_nul"):
        textnorm.normalize("a\x00b")


@given(st.text())
def test_normalisation_is_idempotent_and_leaves_nothing_hidden(text: str) -> None:
    clean = textnorm.display(text)
    assert textnorm.display(clean) == clean
    assert not any(c in clean for c in HIDDEN + BREAKS.replace("\n", "") + "\x00")


def test_every_model_text_field_is_normalised_and_refuses_nul() -> None:
    answer = Answer(
        question_id="q",
        value=" \u2029text",
        comment="\u202eodd",
        evidence_ref="ref\u2028x",
        answered_by="me\x1b",
    )
    assert (answer.value, answer.comment, answer.evidence_ref, answer.answered_by) == (
        " \ntext",
        "\\u202eodd",
        "ref\nx",
        "me\\x1b",
    )
    with pytest.raises(ValidationProblem, match=r"^comment: contains a NUL"):
        revise(answer, comment="a\x00")
    with pytest.raises(ValidationProblem, match="owner: 201 characters; the limit is 200"):
        revise(
            Finding(vendor_id=1, audit_id=1, question_id="q", severity="low", summary="s"),
            owner="x" * 201,
        )


@pytest.mark.slow
def test_paragraph_separator_in_a_text_answer_still_renders_a_pdf(db: str, tmp_path: Path) -> None:
    audit_id = draft_audit(db)
    result = invoke(db, "audit", "answer", str(audit_id), "rpt_basics.notes", "see \u2029below")
    assert result.exit_code == 0, result.output
    out = tmp_path / "x.pdf"
    result = invoke(db, "report", str(audit_id), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "see" in text_of(out.read_bytes())


@pytest.mark.slow
def test_text_stored_before_normalisation_renders_through_the_template_filter(
    db: str, tmp_path: Path
) -> None:
    """A comment written raw into the database (as older versions stored it)."""
    audit_id = draft_audit(db)
    audits.answer(db, audit_id, "rpt_basics.notes", "fine", CHECKLISTS, "tester")
    url = db if "://" in db else f"sqlite:///{db}"
    engine = create_engine(url)
    with engine.begin() as conn:
        stored = conn.execute(
            update(answers_table)
            .where(answers_table.c.audit_id == audit_id)
            .values(comment="old \u2029text \u202eevil")
        )
    engine.dispose()
    assert stored.rowcount == 1
    out = tmp_path / "x.html"
    result = invoke(db, "report", str(audit_id), "-o", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "\u2029" not in html and "\u202e" not in html and "\\u202eevil" in html
    pdf = tmp_path / "x.pdf"
    result = invoke(db, "report", str(audit_id), "-o", str(pdf))
    assert result.exit_code == 0, result.output


def hostile_input(texts: list[str]) -> ReportInput:
    """The report fixture with every vendor-controlled text field set from `texts`."""
    base = fixed_input()
    name, contact, value, comment, ref, who, reviewer, approver, owner, notes = texts
    state = base.state
    vendor = Vendor.model_validate(
        {**dict(state.vendor), "name": f"V {name}", "contact_name": contact}
    )
    audit = Audit.model_validate({**dict(state.audit), "reviewer": reviewer, "approver": approver})
    answered = {
        qid: Answer.model_validate(
            {
                **dict(a),
                "comment": comment,
                "evidence_ref": ref,
                "answered_by": who,
                **({"value": value} if qid == "rpt_basics.notes" else {}),
            }
        )
        for qid, a in state.answers.items()
    }
    answered["rpt_basics.notes"] = Answer(question_id="rpt_basics.notes", value=value)
    evidence = Evidence(sha256="cd" * 32, name=ref[:255], kind="policy")
    answered["rpt_basics.pentest"] = revise(
        answered["rpt_basics.pentest"],
        evidence=[*answered["rpt_basics.pentest"].evidence, evidence],
    )
    findings = tuple(
        Finding.model_validate({**dict(f), "owner": owner, "notes": notes}) for f in base.findings
    )
    new_state = AuditState(audit, vendor, state.checklists, answered)
    return ReportInput(new_state, new_state.score(), findings, base.comparison)


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(VENDOR_TEXT, min_size=10, max_size=10))
def test_any_unicode_in_every_field_renders_a_pdf(texts: list[str]) -> None:
    data = hostile_input(texts)
    pdf = renderers.render_pdf(data, "en")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1 and list(reader.attachments) == ["audit.json"]
    html = renderers.render_html(data, "en").decode("utf-8")
    assert not any(c in html for c in HIDDEN + "\x00\u2028\u2029\x85")


def test_vendor_fields_are_normalised() -> None:
    vendor = Vendor(
        name="Evil\u202eCorp", contact_name="Bob\u2028Smith", contact_email="a\u202e@b.example"
    )
    assert (vendor.name, vendor.contact_name, vendor.contact_email) == (
        "Evil\\u202eCorp",
        "Bob\nSmith",
        "a\\u202e@b.example",
    )


def test_nul_is_refused_with_one_line_naming_the_field(db: str) -> None:
    with pytest.raises(ValidationProblem) as caught:
        vendors.build({"name": "Acme", "contact_name": "Bob\x00"})
    assert caught.value.problems == ["contact_name: contains a NUL character (\\x00); remove it"]


def test_reviewer_and_approver_are_normalised_and_limited(db: str) -> None:
    audit_id = draft_audit(db)
    with pytest.raises(ValidationProblem, match="reviewer: 201 characters; the limit is 200"):
        signoff.finalize(
            db, audit_id, CHECKLISTS, SignOffRequest("r" * 201, "A", accept_unanswered="x"), "t"
        )
    request = SignOffRequest("Aiko\u202e", "Ken\u2029S", accept_unanswered="test")
    done = signoff.finalize(db, audit_id, CHECKLISTS, request, "tester")
    assert (done.reviewer, done.approver) == ("Aiko\\u202e", "Ken\nS")
