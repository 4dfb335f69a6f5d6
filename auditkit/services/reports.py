"""Reports from the database: load an audit's report input, render it, write it atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

from auditkit import catalogue
from auditkit.errors import AuditkitError, NotFound, ValidationProblem
from auditkit.models.audit import FindingStatus
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.models.confidence import ConfidenceRules
from auditkit.outputs import write_bytes
from auditkit.report import audit_data, cache
from auditkit.report.audit_data import Comparison, ReportInput, comparison_from, summarise_previous
from auditkit.report.renderers import render
from auditkit.report.signing import SigningError, SigningIdentity, load_pem, load_pkcs12, sign
from auditkit.services import audits
from auditkit.storage import findings as finding_store
from auditkit.storage import records as record_store
from auditkit.storage.db import Connection, transaction


def _comparison(
    conn: Connection, vendor_id: int, checklists: dict[str, Checklist]
) -> Comparison | None:
    """A draft compares with the vendor's most recent final audit."""
    previous = record_store.latest_final(conn, vendor_id)
    if previous is None:
        return None
    try:
        return summarise_previous(audits.load(conn, previous.id, checklists, strict=False))
    except AuditkitError:  # the previous audit used a checklist that no longer exists
        return None


def load_input(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    rules: ConfidenceRules | None = None,
) -> ReportInput:
    """Read the audit and what it shows (read-only: findings are not synced). A final audit
    is read from its frozen record only: result, findings and comparison as at sign-off."""
    with transaction(db) as conn:
        state = audits.load(conn, audit_id, checklists, rules=rules)
        result = state.score()
        if state.record is not None:
            frozen = state.record
            return ReportInput(
                state, result, tuple(frozen.findings), comparison_from(frozen.comparison)
            )
        failing = {r.question.id for r in result.findings}
        stored = {
            f.question_id: f
            for f in finding_store.list_findings(conn, state.vendor.id or 0)
            if f.question_id in failing and f.status is not FindingStatus.REMEDIATED
        }
        comparison = _comparison(conn, state.vendor.id or 0, checklists)
    return ReportInput(state, result, tuple(stored[q] for q in sorted(stored)), comparison)


def render_audit(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    fmt: str = "pdf",
    lang: Lang = "en",
    org_dir: Path | None = None,
    rules: ConfidenceRules | None = None,
) -> bytes:
    """One audit's report as bytes (nothing is written)."""
    return render(load_input(db, audit_id, checklists, rules), fmt, lang, org_dir)


def report(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    out: Path,
    fmt: str = "pdf",
    lang: Lang = "en",
    org_dir: Path | None = None,
    signer: SigningIdentity | None = None,
    rules: ConfidenceRules | None = None,
) -> bytes:
    """Render one audit's report into `out`, signed when a signer is given (PDF only: the
    signature is an incremental update after the reproducible bytes); returns the bytes written."""
    if signer is not None and fmt != "pdf":
        raise catalogue.error(ValidationProblem, "sign_pdf_only", format=fmt)
    data = render_audit(db, audit_id, checklists, fmt, lang, org_dir, rules)
    if signer is not None:
        data = sign(data, signer)
    write_bytes(out, data)
    return data


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        detail = str(exc.strerror)
        raise catalogue.error(NotFound, "cannot_read", path=str(path), detail=detail) from None


def load_signer(
    p12: Path | None, key: Path | None, cert: Path | None, password: str | None
) -> SigningIdentity:
    """The signing identity from a PKCS#12 file, or a PEM key and certificate."""
    secret = None if password is None else password.encode("utf-8")
    source = p12 or key
    try:
        if p12 is not None:
            return load_pkcs12(_read(p12), secret)
        if key is None or cert is None:
            raise catalogue.error(ValidationProblem, "sign_what")
        return load_pem(_read(key), _read(cert), secret)
    except SigningError as exc:
        said = catalogue.said_by(exc)
        raise catalogue.error(SigningError, "in_file", path=str(source), said=said) from None


def input_key(data: ReportInput, fmt: str, lang: Lang, fingerprint: str) -> str:
    """The render-cache key of one report (see auditkit.report.cache)."""
    return cache.render_key(
        audit_data.canonical(audit_data.document(data, lang)), fmt, lang, fingerprint
    )


def current_key(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    fmt: str,
    lang: Lang,
    fingerprint: str,
    rules: ConfidenceRules | None = None,
) -> str:
    """The render-cache key the report would have if rendered now (nothing is rendered)."""
    return input_key(load_input(db, audit_id, checklists, rules), fmt, lang, fingerprint)


def report_keyed(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    out: Path,
    fmt: str,
    lang: Lang,
    org_dir: Path | None,
    fingerprint: str,
    rules: ConfidenceRules | None = None,
) -> tuple[str, str]:
    """Render into `out`; returns the render key of what was rendered and the bytes' SHA-256."""
    data = load_input(db, audit_id, checklists, rules)
    key = input_key(data, fmt, lang, fingerprint)
    rendered = render(data, fmt, lang, org_dir)
    write_bytes(out, rendered)
    return key, hashlib.sha256(rendered).hexdigest()
