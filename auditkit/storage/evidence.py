"""Evidence: files stored once by SHA-256, and the links that attach them to answers.

A link is one file attached to one (audit, question); the document's details as the auditor
gave them (name, kind, issued, expiry, note) belong to the link. Attaching the same bytes again
elsewhere makes a new link and never changes an existing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from auditkit.models.audit import Evidence
from auditkit.storage import audit_reads
from auditkit.storage.schema import evidence, evidence_links


def add_file(conn: Connection, sha256: str, name: str, content: bytes) -> None:
    """Content-addressed: the same bytes are stored once."""
    import datetime as dt

    exists = conn.execute(select(evidence.c.sha256).where(evidence.c.sha256 == sha256)).first()
    if exists is None:
        conn.execute(
            insert(evidence).values(
                sha256=sha256,
                name=name[:255],
                size=len(content),
                content=content,
                added_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            )
        )


def stored_files(conn: Connection, shas: Iterable[str]) -> set[str]:
    wanted = sorted(set(shas))
    if not wanted:
        return set()
    rows = conn.execute(select(evidence.c.sha256).where(evidence.c.sha256.in_(wanted)))
    return {r.sha256 for r in rows}


def links(conn: Connection, audit_id: int) -> dict[str, list[Evidence]]:
    """Each question's linked evidence, in the order attached."""
    query = (
        select(evidence_links, evidence.c.size)
        .join(evidence, evidence.c.sha256 == evidence_links.c.sha256)
        .where(evidence_links.c.audit_id == audit_id)
        .order_by(evidence_links.c.question_id, evidence_links.c.position)
    )
    found: dict[str, list[Evidence]] = {}
    for row in conn.execute(query):
        found.setdefault(row.question_id, []).append(_item(row))
    return found


def link_state(item: Evidence) -> dict[str, Any]:
    """A link as the change log records it."""
    return {
        "sha256": item.sha256,
        "name": item.name,
        "kind": item.kind,
        "issued": item.issued.isoformat() if item.issued else None,
        "expires": item.expires.isoformat() if item.expires else None,
        "note": item.note,
    }


def replace_links(
    conn: Connection, audit_id: int, question_id: str, items: Sequence[Evidence]
) -> None:
    """Set one answer's links; files must already be stored (a foreign key checks it)."""
    conn.execute(
        delete(evidence_links).where(
            evidence_links.c.audit_id == audit_id, evidence_links.c.question_id == question_id
        )
    )
    unique = list({item.sha256: item for item in items}.values())
    if unique:
        conn.execute(
            insert(evidence_links),
            [
                {
                    "audit_id": audit_id,
                    "question_id": question_id,
                    "position": position,
                    "sha256": item.sha256,
                    "name": item.name[:255],
                    "kind": item.kind,
                    "issued": item.issued,
                    "expires": item.expires,
                    "note": item.note,
                }
                for position, item in enumerate(unique)
            ],
        )


def links_of(conn: Connection, audit_ids: Iterable[int]) -> dict[int, dict[str, list[Evidence]]]:
    """The evidence links of several audits (one query): audit id -> question -> files."""
    wanted = sorted(set(audit_ids))
    if not wanted:
        return {}
    query = (
        select(evidence_links, evidence.c.size)
        .join(evidence, evidence.c.sha256 == evidence_links.c.sha256)
        .where(evidence_links.c.audit_id.in_(wanted))
        .order_by(
            evidence_links.c.audit_id, evidence_links.c.question_id, evidence_links.c.position
        )
    )
    found: dict[int, dict[str, list[Evidence]]] = {}
    for row in conn.execute(query):
        found.setdefault(row.audit_id, {}).setdefault(row.question_id, []).append(_item(row))
    return found


def _item(row: Any) -> Evidence:
    return audit_reads.evidence_from(row._mapping)
