"""Drafts are pinned to the exact checklist content they were started with.

A draft scores against its pinned content (stored in the database at start). A checklist file
whose content differs under the same version number is refused; `upgrade` moves a draft to the
checklists as they are now, listing added, dropped and changed questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit import catalogue
from auditkit.checklists import get as get_checklist
from auditkit.errors import ValidationProblem
from auditkit.models.audit import Audit
from auditkit.models.checklist import Checklist
from auditkit.models.message import Message
from auditkit.models.record import ChecklistUpgrade, content_hash, plan_upgrade
from auditkit.storage import change_log
from auditkit.storage import records as record_store
from auditkit.storage import repository as repo
from auditkit.storage.db import Connection, transaction

SYSTEM_ACTOR = "auditkit"


@dataclass(frozen=True)
class UpgradeResult:
    audit_id: int
    checklists: tuple[ChecklistUpgrade, ...]
    removed_answers: tuple[str, ...]  # answers to dropped or changed questions
    kept_answers: int


def pin_all(conn: Connection, chosen: list[Checklist]) -> dict[str, str]:
    """Store each checklist's content; its hash by checklist id."""
    return {c.id: record_store.store_checklist(conn, c) for c in chosen}


def changed_under_same_version(audit_id: int, checklist: Checklist) -> Message:
    return Message.of(
        "checklist_changed_same_version",
        audit=audit_id,
        checklist=checklist.id,
        version=checklist.version,
    )


def pinned(
    conn: Connection, audit: Audit, checklists: dict[str, Checklist], strict: bool = True
) -> tuple[list[Checklist], list[Message]]:
    """The audit's checklists as pinned, and warnings. `strict`: refuse a file whose content
    changed under the pinned version number (otherwise only warn)."""
    hashes = dict(audit.checklist_hashes or {})
    out: list[Checklist] = []
    warnings: list[Message] = []
    adopted: dict[str, str] = {}
    for checklist_id, version in audit.checklists.items():
        current = checklists.get(checklist_id)
        sha = hashes.get(checklist_id)
        if sha is None:  # started before contents were pinned: pin what is here now
            current = get_checklist(checklists, checklist_id)
            if current.version != version:
                warnings.append(
                    Message.of(
                        "checklist_version_changed",
                        checklist=checklist_id,
                        new=current.version,
                        old=version,
                    )
                )
            else:
                adopted[checklist_id] = record_store.store_checklist(conn, current)
            out.append(current)
            continue
        if current is not None and current.version == version:
            if content_hash(current) == sha:  # the file says what was pinned: read it once
                out.append(current)
                continue
            if strict:
                said = changed_under_same_version(audit.id, current)
                english = catalogue.load("en").render(said)
                raise ValidationProblem([english]).saying(said)
            warnings.append(changed_under_same_version(audit.id, current))
        elif current is not None and current.version != version:
            warnings.append(
                Message.of(
                    "checklist_pinned_older",
                    checklist=checklist_id,
                    new=current.version,
                    old=version,
                    audit=audit.id,
                )
            )
        out.append(record_store.get_checklist(conn, sha))
    if adopted and audit.status.value != "final":
        record_store.set_pins(conn, audit, dict(audit.checklists), {**hashes, **adopted})
        for checklist_id, sha in adopted.items():
            change_log.log(
                conn,
                SYSTEM_ACTOR,
                "audit",
                audit.id,
                "pinned",
                None,
                {"checklist": checklist_id, "sha256": sha},
                audit.id,
            )
    return out, warnings


def upgrade(
    db: str | None, audit_id: int, checklists: dict[str, Checklist], actor: str
) -> UpgradeResult:
    """Move a draft to the checklists' current content; answers to unchanged questions stay."""
    with transaction(db) as conn:
        audit = repo.get_audit(conn, audit_id)
        repo.require_writable(audit)
        versions, hashes = dict(audit.checklists), dict(audit.checklist_hashes or {})
        plans: list[ChecklistUpgrade] = []
        for checklist_id, version in audit.checklists.items():
            current = get_checklist(checklists, checklist_id)
            new_sha = record_store.store_checklist(conn, current)
            old_sha = hashes.get(checklist_id)
            if old_sha == new_sha:
                continue
            old = record_store.get_checklist(conn, old_sha) if old_sha else current
            plan = plan_upgrade(old, current)
            plans.append(plan)
            versions[checklist_id], hashes[checklist_id] = current.version, new_sha
            change_log.log(
                conn,
                actor,
                "audit",
                audit.id,
                "checklist",
                {"id": checklist_id, "version": version, "sha256": old_sha},
                {
                    "id": checklist_id,
                    "version": current.version,
                    "sha256": new_sha,
                    "added": list(plan.added),
                    "dropped": list(plan.dropped),
                    "changed": list(plan.changed),
                },
                audit.id,
            )
        answered = repo.get_answers(conn, audit.id)
        gone = [q for p in plans for q in (*p.dropped, *p.changed) if q in answered]
        if plans:
            repo.delete_answers(conn, audit, gone, actor)
            record_store.set_pins(conn, audit, versions, hashes)
        upgraded = {p.checklist_id for p in plans}
        kept = sum(1 for q in answered if q.split(".", 1)[0] in upgraded and q not in gone)
        if plans:
            change_log.log(conn, actor, "audit", audit.id, "answers_kept", None, kept, audit.id)
        return UpgradeResult(audit.id, tuple(plans), tuple(gone), kept)
