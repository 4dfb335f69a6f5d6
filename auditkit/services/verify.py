"""`verify REPORT.pdf`: check a report and say what it proves (see `auditkit.report.verify`):
"signed by X, intact", "matches the database", or "self-consistent only"."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from auditkit.errors import AuditkitError, NotFound, StorageError, VerificationFailed
from auditkit.models.checklist import Checklist
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

HINT = "; use --standalone to check the report without a database"


def _database_missing(db: str | None) -> str | None:
    url = resolve_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return f"the database {url.removeprefix('sqlite:///')} does not exist"
    return None


def compare_with_database(
    doc: dict[str, Any], db: str | None, checklists: dict[str, Checklist]
) -> None:
    """The audit is in the database given and equal to the report; VerificationFailed says
    why not (absent, another audit, changed, or the database cannot be read)."""
    audit_id = int(doc["audit"]["id"])
    missing = _database_missing(db)
    if missing:
        raise VerificationFailed(missing + HINT)
    try:
        stored = audit_data.document(
            load_input(db, audit_id, checklists), doc[audit_data.REPORT_KEY]["lang"]
        )
    except StorageError as exc:
        raise VerificationFailed(f"the database cannot be opened ({exc}){HINT}") from None
    except AuditkitError as exc:
        if not any(a.id == audit_id for a, _ in audits.list_all(db)):
            raise VerificationFailed(f"audit {audit_id} is not in this database{HINT}") from None
        raise VerificationFailed(
            f"audit {audit_id} cannot be loaded here: {exc} (pass the checklists it uses "
            f"with --checklists DIR){HINT}"
        ) from None
    if (stored["vendor"]["name"], stored["audit"]["started_at"]) != (
        doc["vendor"]["name"],
        doc["audit"]["started_at"],
    ):
        raise VerificationFailed(
            f"audit {audit_id} in this database is another audit (vendor "
            f"{stored['vendor']['name']!r}, started {stored['audit']['started_at']}){HINT}"
        )
    if stored != doc:
        raise VerificationFailed(
            f"the stored audit {audit_id} differs from the report "
            f"({first_difference(stored, doc)} changed)"
        )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise NotFound(f"{path}: cannot read ({exc.strerror})") from None


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
    result.checks.append(
        f"embedded {ATTACHMENT_NAME} parses and matches report id {result.report_id}"
    )
    data = recompute(doc)
    scores = doc["scores"]
    result.checks.append(
        "re-scoring the embedded checklists, profile and answers gives the stated score "
        f"({scores['overall']}, rating {scores['rating']})"
    )
    if not standalone:
        compare_with_database(doc, db, checklists)
        result.outcome, result.statement = DATABASE, "matches the database"
        frozen = "the frozen record of " if doc["audit"].get("status") == "final" else ""
        result.checks.append(f"{frozen}audit {result.audit_id} in the database gives the same data")
    check_rendering(pdf, data, doc[audit_data.REPORT_KEY]["lang"], org_dir, signature)
    result.checks.append(
        "re-rendering the embedded data gives byte-identical PDF"
        + (" (before the signature)" if signature else "")
    )
    conclude(result, signature)
    return result
