"""`verify REPORT.pdf`: check a report and say what it proves (see `auditkit.report.verify`):
"signed by X, intact", "matches the database", or "self-consistent only"."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from auditkit import catalogue
from auditkit.errors import AuditkitError, NotFound, StorageError, VerificationFailed
from auditkit.models.checklist import Checklist
from auditkit.models.message import Message
from auditkit.report import audit_data, signing
from auditkit.report.verify import (
    ATTACHMENT_NAME,
    DATABASE,
    Verification,
    check_rendering,
    conclude,
    embedded_json,
    first_difference,
    note_signature,
    parse,
    read_trust,
    recompute,
)
from auditkit.services import audits
from auditkit.services.reports import load_input
from auditkit.storage.engine import resolve_url


def _refuse(problem: Message) -> VerificationFailed:
    """A database comparison that failed, with the hint to verify without a database."""
    return catalogue.error(VerificationFailed, "verify_db_hint", problem=problem)


def _database_missing(db: str | None) -> Message | None:
    url = resolve_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return Message.of("verify_no_database", path=url.removeprefix("sqlite:///"))
    return None


def compare_with_database(
    doc: dict[str, Any], db: str | None, checklists: dict[str, Checklist]
) -> None:
    """The audit is in the database given and equal to the report; VerificationFailed says
    why not (absent, another audit, changed, or the database cannot be read)."""
    audit_id = int(doc["audit"]["id"])
    missing = _database_missing(db)
    if missing:
        raise _refuse(missing)
    try:
        stored = audit_data.document(
            load_input(db, audit_id, checklists), doc[audit_data.REPORT_KEY]["lang"]
        )
    except StorageError as exc:
        raise _refuse(Message.of("verify_db_unreadable", detail=str(exc))) from None
    except AuditkitError as exc:
        if not any(a.id == audit_id for a, _ in audits.list_all(db)):
            raise _refuse(Message.of("verify_audit_absent", audit=audit_id)) from None
        why = catalogue.said_by(exc)
        raise _refuse(Message.of("verify_audit_unloadable", audit=audit_id, why=why)) from None
    if (stored["vendor"]["name"], stored["audit"]["started_at"]) != (
        doc["vendor"]["name"],
        doc["audit"]["started_at"],
    ):
        raise _refuse(
            Message.of(
                "verify_other_audit",
                audit=audit_id,
                vendor=repr(stored["vendor"]["name"]),
                started=str(stored["audit"]["started_at"]),
            )
        )
    if stored != doc:
        raise catalogue.error(
            VerificationFailed,
            "verify_db_differs",
            audit=audit_id,
            field=first_difference(stored, doc),
        )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise catalogue.error(
            NotFound, "cannot_read", path=str(path), detail=str(exc.strerror)
        ) from None


def verify(
    path: Path,
    db: str | None,
    checklists: dict[str, Checklist],
    org_dir: Path | None = None,
    *,
    standalone: bool = False,
    trust_file: Path | None = None,
) -> Verification:
    """Check everything that can be checked; raise VerificationFailed at the first failure.
    `trust_file`: PEM/DER trust-root certificate(s) for the signer; `standalone`: no database."""
    pdf = _read(path)
    result = Verification(str(path), hashlib.sha256(pdf).hexdigest())
    roots = None if trust_file is None else read_trust(_read(trust_file), str(trust_file))
    signature = signing.check(pdf, roots)
    if signature is not None:
        note_signature(result, signature)
    doc = parse(embedded_json(pdf))
    result.report_id, result.audit_id = doc[audit_data.REPORT_KEY]["id"], int(doc["audit"]["id"])
    result.checks_said.append(
        Message.of("check_embedded", name=ATTACHMENT_NAME, report=result.report_id)
    )
    data = recompute(doc)
    scores = doc["scores"]
    result.checks_said.append(
        Message.of("check_rescored", overall=str(scores["overall"]), rating=str(scores["rating"]))
    )
    if not standalone:
        compare_with_database(doc, db, checklists)
        result.outcome, result.said = DATABASE, Message.of("verify_matches_database")
        final = doc["audit"].get("status") == "final"
        code = "check_database_frozen" if final else "check_database"
        result.checks_said.append(Message.of(code, audit=result.audit_id))
    check_rendering(pdf, data, doc[audit_data.REPORT_KEY]["lang"], org_dir, signature)
    code = "check_rendering_signed" if signature else "check_rendering"
    result.checks_said.append(Message.of(code))
    conclude(result, signature)
    return result
