"""Questionnaires out to vendors and back in, and findings out for remediation tracking."""

from __future__ import annotations

from pathlib import Path

from auditkit.exchange import findings_file, questionnaire_file
from auditkit.exchange.importer import ImportResult, plan, read
from auditkit.exchange.questionnaire import Questionnaire, build
from auditkit.models.audit import Source
from auditkit.models.checklist import Checklist
from auditkit.models.common import Lang
from auditkit.outputs import write_bytes
from auditkit.services import audits
from auditkit.storage import findings as finding_store
from auditkit.storage import repository as repo
from auditkit.storage import vendors as vendor_store
from auditkit.storage.db import transaction


def export_questionnaire(
    db: str | None,
    audit_id: int,
    checklists: dict[str, Checklist],
    path: Path,
    fmt: str | None = None,
    lang: Lang = "en",
    blank: bool = False,
) -> Questionnaire:
    """Write the applicable questions (prefilled with current answers unless `blank`)."""
    chosen = questionnaire_file.format_for(path, fmt)
    questionnaire = build(audits.state(db, audit_id, checklists), lang, blank)
    write_bytes(path, questionnaire_file.encode(questionnaire, chosen))
    return questionnaire


def import_file(
    db: str | None,
    audit_id: int,
    path: Path,
    checklists: dict[str, Checklist],
    actor: str,
    source: Source = Source.VENDOR,
    dry_run: bool = False,
) -> ImportResult:
    """Validate every row first; store all changes in one transaction, or raise and store none."""
    content = read(path)
    with transaction(db) as conn:
        repo.lock_writable(conn, audit_id)
        state = audits.load(conn, audit_id, checklists)
        changes, unchanged = plan(state, content, actor, source)
        if not dry_run:
            repo.save_answers(conn, state.audit, [c.new for c in changes], actor)
    return ImportResult(audit_id, tuple(changes), unchanged, not dry_run)


def export_findings(
    db: str | None,
    checklists: dict[str, Checklist],
    path: Path,
    fmt: str | None = None,
    lang: Lang = "en",
    vendor_ref: str | None = None,
    open_only: bool = False,
) -> int:
    """Write the findings as CSV or XLSX; returns how many."""
    chosen = findings_file.format_for(path, fmt)
    with transaction(db, readonly=True) as conn:
        vendor_id = vendor_store.get_vendor(conn, vendor_ref).id if vendor_ref else None
        found = finding_store.list_findings(conn, vendor_id, open_only)
        names = {v.id: v.name for v in vendor_store.list_vendors(conn)}
    rows = findings_file.finding_rows(found, names, checklists, lang)
    write_bytes(path, findings_file.encode(rows, chosen))
    return len(rows)
