"""Drafts are pinned to the exact checklist content they were started with.

A draft scores against its pinned content (stored in the database at start). A checklist file
whose content differs under the same version number is refused; `upgrade` moves a draft to the
checklists as they are now, listing added, dropped and changed questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.checklists import get as get_checklist
from auditkit.models.audit import Audit
from auditkit.models.checklist import Checklist
from auditkit.models.message import Message
from auditkit.models.record import ChecklistUpgrade, plan_upgrade
from auditkit.services import pins
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


class Adopter:
    """Pins the checklists of a draft started before contents were pinned (`pins.resolve`'s
    `adopt`): each content stored as it is adopted, the draft pointed at them by `finish`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.adopted: dict[str, str] = {}

    def __call__(self, checklist: Checklist) -> str:
        self.adopted[checklist.id] = record_store.store_checklist(self.conn, checklist)
        return self.adopted[checklist.id]

    def finish(self, audit: Audit) -> None:
        """Store the draft's new pins, each logged (nothing for a final audit)."""
        if not self.adopted or audit.status.value == "final":
            return
        hashes = {**(audit.checklist_hashes or {}), **self.adopted}
        record_store.set_pins(self.conn, audit, dict(audit.checklists), hashes)
        for checklist_id, sha in self.adopted.items():
            change_log.log(
                self.conn,
                SYSTEM_ACTOR,
                "audit",
                audit.id,
                "pinned",
                None,
                {"checklist": checklist_id, "sha256": sha},
                audit.id,
            )


def pinned(
    conn: Connection, audit: Audit, checklists: dict[str, Checklist], strict: bool = True
) -> tuple[list[Checklist], list[Message]]:
    """The audit's checklists as pinned, and warnings (see `pins.resolve`); a draft started
    before contents were pinned is pinned to what is here now."""
    adopt = Adopter(conn)

    def stored(sha: str) -> Checklist:
        return record_store.get_checklist(conn, sha)

    out, warnings = pins.resolve(audit, checklists, strict, stored, adopt)
    adopt.finish(audit)
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
