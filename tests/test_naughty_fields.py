"""The naughty-strings list (blns.json, see conftest.SHARED_DATA) through every vendor-controlled
field: vendor and contact names, text answers, comments and evidence references in all three
import formats, reviewer, approver, finding owner and notes; then a real PDF of the result."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from pypdf import PdfReader

from auditkit.exchange.safety import cell_escape
from auditkit.models.vendor import Vendor
from auditkit.report import renderers
from auditkit.services import audits, findings, signoff, vendors
from auditkit.services.exchange import export_questionnaire, import_file
from auditkit.services.reports import load_input
from auditkit.services.signoff import SignOffRequest
from auditkit.textnorm import normalize
from tests.builders import fill_document, fill_workbook, stored, synthetic_checklists

CL = synthetic_checklists()
ROWS = ("alpha.min_version", "alpha.hsts", "alpha.channels", "alpha.notes", "alpha.policy")


def chunks(texts: list[str], size: int) -> list[list[str]]:
    return [texts[i : i + size] for i in range(0, len(texts), size)]


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml", ".json"])
def test_naughty_strings_in_every_imported_field(
    db: str, tmp_path: Path, naughty_strings: list[str], suffix: str
) -> None:
    vendor = vendors.add(db, Vendor(name="Naughty KK"), "tester")
    audit_id = audits.start(db, vendor.name, CL, "tester").id
    texts = [s for s in naughty_strings if s.strip()]
    per_file = 2 * len(ROWS) + 1  # a comment and an evidence reference per row, one text answer
    for n, chunk in enumerate(chunks(texts, per_file)):
        fields: dict[str, dict[str, str]] = {}
        for i, qid in enumerate(ROWS):
            pair = chunk[2 * i : 2 * i + 2]
            if pair:
                fields[qid] = {"comment": pair[0]}
            if len(pair) == 2:
                fields[qid]["evidence"] = pair[1]
        text_answer = chunk[-1] if len(chunk) == per_file else None
        if text_answer is not None:
            fields["alpha.notes"]["answer"] = text_answer
        path = tmp_path / f"q{n}{suffix}"
        export_questionnaire(db, audit_id, CL, path)
        if suffix == ".xlsx":
            fill_workbook(
                path, {q: {k: cell_escape(v) for k, v in f.items()} for q, f in fields.items()}
            )
        else:
            fill_document(path, fields)
        import_file(db, audit_id, path, CL, "vendor-import")
        answers = stored(db, audit_id)
        for qid, values in fields.items():
            assert answers[qid].comment == normalize(values["comment"]), (qid, values)
            if "evidence" in values:
                assert answers[qid].evidence_ref == normalize(values["evidence"])
        if text_answer is not None:
            assert answers["alpha.notes"].value == normalize(text_answer)


def test_naughty_strings_as_names_through_the_cli(
    run: Callable[..., Result], naughty_strings: list[str]
) -> None:
    accepted = 0
    for n, text in enumerate(s for s in naughty_strings if s.strip()):
        result = run("vendor", "add", f"V{n} {text}"[:200], "--contact-name", text[:200])
        assert result.exit_code in (0, 3, 5), (text, result.output)
        lines = result.output.splitlines()
        assert lines and (result.exit_code == 0 or all(x.startswith("error: ") for x in lines))
        accepted += result.exit_code == 0
    assert accepted > 400


@pytest.mark.slow
def test_naughty_strings_in_sign_off_and_findings_render(
    db: str, naughty_strings: list[str], tmp_path: Path
) -> None:
    texts = [s for s in naughty_strings if s.strip()]
    vendor = vendors.add(db, Vendor(name=f"X {texts[-1]}"[:200], contact_name=texts[-2][:200]), "t")
    audit_id = audits.start(db, vendor.name, CL, "tester").id
    audits.answer(db, audit_id, "alpha.hsts", "no", CL, "tester", comment="\n".join(texts[:100]))
    audits.answer(db, audit_id, "alpha.notes", "\n".join(texts[100:200]), CL, "tester")
    audits.refresh_findings(db, audit_id, CL, "tester")
    for finding in findings.list_all(db, audit_id=audit_id):
        findings.update(
            db, finding.id or 0, "tester", owner=texts[200][:200], notes="\n".join(texts[200:300])
        )
    request = SignOffRequest(
        texts[300][:200] or "R",
        texts[301][:200],
        accept_unanswered=texts[302][:200] or "open",
        single_person=True,  # the naughty names may be blank or equal
        four_eyes_optional=True,
    )
    signoff.finalize(db, audit_id, CL, request, "tester")
    pdf = renderers.render_pdf(load_input(db, audit_id, CL), "en")
    assert list(PdfReader(io.BytesIO(pdf)).attachments) == ["audit.json"]
