"""What `verify` proves: signed and intact, equal to the database, or self-consistent only.

Real reports rendered through the CLI, signed with a throw-away CA made per test session,
tampered with through pypdf and pyHanko incremental writers, read back with pypdf."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader, PdfWriter

from auditkit.checklists import load_directories
from auditkit.cli.main import cli
from auditkit.models.vendor import Vendor, VendorProfile
from auditkit.report import audit_data, pdf, renderers
from auditkit.report.build import report_moment
from auditkit.services import audits, signoff, vendors
from auditkit.services.signoff import SignOffRequest
from tests import pki
from tests.builders import AS_OF, REPORT_FIXTURES
from tests.test_cli_japanese import english_lines

pytestmark = pytest.mark.slow

PASSWORD_ENV = "AUDITKIT_TEST_SIGN_PASSWORD"


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> pki.Pki:
    return pki.make(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def user_checklists(tmp_path: Path) -> Path:
    """Two user checklists; the audit lists them in an order that is not alphabetical."""
    folder = tmp_path / "checklists"
    folder.mkdir()
    basics = (REPORT_FIXTURES / "rpt_basics.yaml").read_text(encoding="utf-8")
    (folder / "rpt_basics.yaml").write_text(basics, encoding="utf-8")
    zeta = basics.replace("rpt_basics", "rpt_zeta").replace("Report test basics", "Zeta")
    (folder / "rpt_zeta.yaml").write_text(zeta, encoding="utf-8")
    return folder


def make_audit(db: str, folder: Path, final: bool = True) -> int:
    known = load_directories((folder,))
    checklists = {"rpt_zeta": known["rpt_zeta"], "rpt_basics": known["rpt_basics"]}
    vendor = vendors.add(
        db,
        Vendor(
            name="Fuji Logistics",
            services=["logistics"],
            contact_email="security@fuji.example",
            profile=VendorProfile(),
        ),
        "tester",
    )
    audit_id = audits.start(db, vendor.name, checklists, "tester", as_of=AS_OF).id
    for question_id, raw in (
        ("rpt_basics.tls", "yes"),
        ("rpt_basics.mfa", "no"),
        ("rpt_zeta.tls", "yes"),
        ("rpt_zeta.patch_days", "7"),
    ):
        audits.answer(db, audit_id, question_id, raw, checklists, "tester")
    if final:
        request = SignOffRequest("Aiko Tanaka", "Ken Mori", accept_unanswered="report test")
        signoff.finalize(db, audit_id, checklists, request, "tester")
    return audit_id


@pytest.fixture
def run(db: str, user_checklists: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    monkeypatch.setenv(PASSWORD_ENV, pki.PASSWORD)

    def invoke(*args: str, checklists: bool = True, database: str | None = db) -> Result:
        options = ["--db", database] if database else []
        if checklists:
            options += ["--checklists", str(user_checklists)]
        return CliRunner().invoke(cli, [*options, "--as", "tester", *args])

    return invoke


def last_line(result: Result) -> str:
    return result.output.strip().splitlines()[-1]


def embedded(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(PdfReader(path).attachments["audit.json"][0])
    return doc


def forge(genuine: Path, out: Path, audit_id: int | None = None) -> Path:
    """Raise the score by editing the embedded answers, then re-render with auditkit itself."""
    doc = embedded(genuine)
    doc["answers"]["rpt_basics.mfa"]["value"] = "yes"
    if audit_id is not None:
        doc["audit"]["id"] = audit_id
    data = audit_data.from_document(doc)
    out.write_bytes(renderers.render_pdf(data, "en"))
    assert embedded(out)["scores"]["overall"] > embedded(genuine)["scores"]["overall"]
    return out


def test_verify_passes_right_after_report_with_user_checklists(
    db: str, user_checklists: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    audit_id = make_audit(db, user_checklists)
    out = tmp_path / "r.pdf"
    assert run("report", str(audit_id), "-o", str(out)).exit_code == 0
    result = run("verify", str(out))
    assert result.exit_code == 0, result.output
    assert last_line(result).endswith(": matches the database")
    doc = embedded(out)
    assert [c["id"] for c in doc["checklists"]] == ["rpt_zeta", "rpt_basics"]  # audit order
    assert doc["checklists"][1]["content"]["questions"][1]["choices"][1]["label"]["ja"] == "一部"
    # Without the user checklists and without a database, the report still checks itself.
    result = run("verify", "--standalone", str(out), checklists=False, database=None)
    assert result.exit_code == 7, result.output
    assert (
        "re-scoring the embedded checklists, profile and answers gives the stated" in result.output
    )
    assert last_line(result).endswith("self-consistent only (unsigned, not authenticated)")
    # With the database but not the checklists: the database holds the content the audit was
    # scored against (pinned at start, frozen at sign-off), so nothing more is needed.
    result = run("verify", str(out), checklists=False)
    assert result.exit_code == 0, result.output
    assert last_line(result).endswith(": matches the database")
    # In Japanese: every check and the outcome; --json keeps its English fields.
    said = run("--lang", "ja", "verify", str(out), "--json")
    data = json.loads(said.output)
    assert data["statement"] == "matches the database"
    assert data["text"]["statement"] == "データベースの内容と一致します"
    assert len(data["text"]["checks"]) == len(data["checks"]) == 4
    result = run("--lang", "ja", "verify", str(out))
    lines = result.output.strip().splitlines()
    assert [line.split(": ")[0] for line in lines[1:-1]] == ["確認済み"] * 4
    assert last_line(result).endswith(": データベースの内容と一致します")
    assert english_lines(result.output) == []


def test_a_stated_score_that_does_not_follow_is_refused(
    db: str, user_checklists: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    assert run("report", str(make_audit(db, user_checklists)), "-o", str(out)).exit_code == 0
    doc = embedded(out)
    data = audit_data.from_document(doc)
    prepared = renderers.prepare(data, "en")

    def render(changed: dict[str, Any], name: str) -> Path:
        changed[audit_data.REPORT_KEY]["id"] = audit_data.report_id(changed)
        path = tmp_path / name
        path.write_bytes(
            pdf.render(
                prepared.html, audit_data.dumps(changed), report_moment(data.state.audit), None
            )
        )
        return path

    raised = json.loads(json.dumps(doc))
    raised["scores"]["overall"] = 99.0
    result = run("verify", "--standalone", str(render(raised, "score.pdf")))
    assert result.exit_code == 7
    assert "the stated score (overall 99.0" in result.output and "does not follow" in result.output
    heavier = json.loads(json.dumps(doc))
    heavier["checklists"][1]["content"]["questions"][1]["weight"] = 0.5
    result = run("verify", "--standalone", str(render(heavier, "weight.pdf")))
    assert result.exit_code == 7
    assert "checklist rpt_basics 1.0.0: content does not match its sha256" in result.output


def test_a_report_from_another_release_format_says_so(
    db: str, user_checklists: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    assert run("report", str(make_audit(db, user_checklists)), "-o", str(out)).exit_code == 0
    doc = embedded(out)
    data = audit_data.from_document(doc)
    prepared = renderers.prepare(data, "en")
    older = json.loads(json.dumps(doc))
    older["format"] = "auditkit.report/2"
    older[audit_data.REPORT_KEY]["id"] = audit_data.report_id(older)
    path = tmp_path / "older.pdf"
    moment = report_moment(data.state.audit)
    path.write_bytes(pdf.render(prepared.html, audit_data.dumps(older), moment, None))
    result = run("verify", "--standalone", str(path))
    assert result.exit_code == 7
    assert last_line(result) == (
        "error: embedded audit.json is an auditkit.report/2 export from another auditkit "
        f"release (this one reads {audit_data.FORMAT}); verify it with the release that "
        "rendered it"
    )


def test_forgeries_are_never_verified(
    db: str, user_checklists: Path, run: Callable[..., Result], tmp_path: Path, keys: pki.Pki
) -> None:
    genuine = tmp_path / "genuine.pdf"
    assert run("report", str(make_audit(db, user_checklists)), "-o", str(genuine)).exit_code == 0
    forged = forge(genuine, tmp_path / "forged.pdf")
    result = run("verify", str(forged))
    assert result.exit_code == 7 and "the stored audit 1 differs from the report" in result.output
    elsewhere = forge(genuine, tmp_path / "elsewhere.pdf", audit_id=2)
    result = run("verify", str(elsewhere))
    assert result.exit_code == 7, result.output
    assert result.output.startswith("error: audit 2 is not in this database")
    for database, why in (
        (str(tmp_path / "missing.db"), "does not exist"),
        (str(tmp_path / "checklists" / "rpt_basics.yaml"), "the database cannot be opened"),
    ):
        result = run("verify", str(genuine), database=database)
        assert result.exit_code == 7 and why in result.output, result.output
    result = run("verify", "--standalone", str(elsewhere))
    assert result.exit_code == 7
    assert last_line(result).endswith("self-consistent only (unsigned, not authenticated)")
    # Signed by a key the trust root does not know: refused, whoever it claims to be.
    from auditkit.report import signing

    rogue = signing.load_pkcs12(keys.rogue_p12.read_bytes(), pki.PASSWORD.encode())
    signed_forgery = tmp_path / "signed-forgery.pdf"
    signed_forgery.write_bytes(signing.sign(elsewhere.read_bytes(), rogue))
    result = run("verify", "--standalone", "--ca-file", str(keys.ca_pem), str(signed_forgery))
    assert result.exit_code == 7
    assert "does not chain to the given trust root" in result.output
    assert len(result.output.splitlines()) == 1
    result = run("verify", "--ca-file", str(keys.key_pem), str(signed_forgery))
    assert result.exit_code == 7 and result.output.startswith(f"error: {keys.key_pem}: not a")


def _xmp(reader: PdfReader) -> bytes:
    data: bytes = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return data


def test_signed_report_verifies_and_stays_pdfa(
    db: str, user_checklists: Path, run: Callable[..., Result], tmp_path: Path, keys: pki.Pki
) -> None:
    audit_id = str(make_audit(db, user_checklists))
    plain, signed = tmp_path / "plain.pdf", tmp_path / "signed.pdf"
    assert run("report", audit_id, "-o", str(plain)).exit_code == 0
    result = run(
        "report", audit_id, "-o", str(signed), "--sign", str(keys.p12),
        "--sign-password-env", PASSWORD_ENV,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"signed by {keys.signer_name}" in result.output
    assert signed.read_bytes().startswith(plain.read_bytes())  # the report's bytes, then the update
    result = run("verify", "--standalone", "--ca-file", str(keys.ca_pem), str(signed))
    assert result.exit_code == 0, result.output
    assert last_line(result).endswith(f": signed by {keys.signer_name}, intact")
    assert "covers the entire file" in result.output
    as_json = json.loads(run("verify", "--json", "--trust", str(keys.ca_pem), str(signed)).output)
    assert (as_json["outcome"], as_json["ok"]) == ("signed", True)
    assert as_json["signed_at"][:4] >= "2026" and any("database" in c for c in as_json["checks"])
    # Without a trust root, a signature proves nothing about who signed.
    result = run("verify", "--standalone", str(signed))
    assert result.exit_code == 7 and "--ca-file" in last_line(result)
    # Still PDF/A-3b: PDF 1.7, the identification kept, Info and XMP producers equal.
    reader = PdfReader(signed)
    assert reader.pdf_header == "%PDF-1.7" and "/Version" not in reader.trailer["/Root"]
    assert b'pdfaid:part="3"' in _xmp(reader) and b'pdfaid:conformance="B"' in _xmp(reader)
    producer = str(reader.metadata["/Producer"]) if reader.metadata else ""
    assert f'pdf:Producer="{producer}"'.encode() in _xmp(reader)
    assert list(reader.attachments) == ["audit.json"]
    # The same with a PEM key and certificate.
    pem = tmp_path / "pem.pdf"
    result = run(
        "report", audit_id, "-o", str(pem), "--sign-key", str(keys.key_pem),
        "--sign-cert", str(keys.cert_pem),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert run("verify", "--ca-file", str(keys.ca_pem), str(pem)).exit_code == 0


def test_signing_refusals_are_one_line(
    db: str, user_checklists: Path, run: Callable[..., Result], tmp_path: Path, keys: pki.Pki,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    audit_id = str(make_audit(db, user_checklists, final=False))
    out = tmp_path / "r.pdf"
    monkeypatch.setenv("WRONG", "not the password")
    result = run(
        "report", audit_id, "-o", str(out), "--sign", str(keys.p12), "--sign-password-env", "WRONG"
    )
    assert result.exit_code == 1 and result.output.startswith(f"error: {keys.p12}:")
    assert len(result.output.splitlines()) == 1 and not out.exists()
    result = run(
        "report",
        audit_id,
        "-o",
        str(out),
        "--sign-key",
        str(keys.key_pem),
        "--sign-cert",
        str(keys.ca_pem),
    )
    assert result.exit_code == 1 and "does not belong to the private key" in result.output
    result = run(
        "report",
        audit_id,
        "-o",
        str(out),
        "--format",
        "html",
        "--sign",
        str(keys.p12),
        "--sign-password-env",
        PASSWORD_ENV,
    )
    assert result.exit_code == 3 and "only PDF reports can be signed" in result.output
    for args, why in (
        (["--sign-key", str(keys.key_pem)], "--sign-key and --sign-cert go together"),
        (["--sign", str(keys.p12), "--sign-password-env", "UNSET_VAR"], "UNSET_VAR is not set"),
        (["--sign-password-env", PASSWORD_ENV], "goes with --sign or --sign-key"),
    ):
        result = run("report", audit_id, "-o", str(out), *args)
        assert result.exit_code == 2 and why in result.output, result.output
    assert not out.exists()


def uris(path: Path) -> list[str]:
    return [
        str(annot.get_object()["/A"]["/URI"])
        for page in PdfReader(path).pages
        for annot in page.get("/Annots") or []
        if "/URI" in (annot.get_object().get("/A") or {})
    ]


def _tampered_annotation(signed: bytes) -> bytes:
    """Change a link's target in an incremental update written by pyHanko."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    reader = PdfReader(io.BytesIO(signed))
    link = next(
        annot.indirect_reference
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/URI" in (annot.get_object().get("/A") or {})
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    ref = generic.Reference(link.idnum, link.generation, writer)
    annotation = ref.get_object()
    action = generic.DictionaryObject(annotation["/A"])
    action["/URI"] = generic.TextStringObject("https://evil.example/pay-here")
    annotation["/A"] = action
    writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _replaced_attachment(signed: bytes, forged_json: bytes) -> bytes:
    """Replace the embedded audit.json in an incremental update written by pypdf."""
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    stream = names[1].get_object()["/EF"]["/F"].get_object()
    stream.set_data(forged_json)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_updates_appended_after_signing_are_detected(
    db: str, user_checklists: Path, run: Callable[..., Result], tmp_path: Path, keys: pki.Pki
) -> None:
    audit_id = str(make_audit(db, user_checklists))
    signed = tmp_path / "signed.pdf"
    result = run(
        "report", audit_id, "-o", str(signed), "--sign", str(keys.p12),
        "--sign-password-env", PASSWORD_ENV,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    original = signed.read_bytes()
    forged_json = embedded(forge(signed, tmp_path / "forged.pdf"))
    cases = {
        "annotation.pdf": _tampered_annotation(original),
        "attachment.pdf": _replaced_attachment(original, audit_data.dumps(forged_json)),
    }
    for name, tampered in cases.items():
        assert tampered.startswith(original) and len(tampered) > len(original), name
        path = tmp_path / name
        path.write_bytes(tampered)
        for args in (["--standalone"], []):
            result = run("verify", *args, "--ca-file", str(keys.ca_pem), str(path))
            assert result.exit_code == 7, (name, result.output)
            assert "the signature does not cover the entire file" in result.output, result.output
    evil = "https://evil.example/pay-here"
    assert evil in uris(tmp_path / "annotation.pdf") and evil not in uris(signed)
    assert embedded(tmp_path / "attachment.pdf")["answers"]["rpt_basics.mfa"]["value"] == "yes"
    # A byte changed inside the signed range.
    flipped = bytearray(original)
    flipped[len(flipped) // 3] ^= 0x01
    (tmp_path / "flipped.pdf").write_bytes(bytes(flipped))
    result = run("verify", "--ca-file", str(keys.ca_pem), str(tmp_path / "flipped.pdf"))
    assert result.exit_code == 7 and len(result.output.splitlines()) == 1
