"""Frozen record: evidence details per link, pinned checklist content, sign-off, audit records.

Evidence details (kind, issued, expiry) move from the file to each (audit, question) link; the
per-file details are kept as they were in `evidence.legacy_details`, so nothing is lost.

Revision ID: 0003_frozen_record
Revises: 0002_log_chain
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_frozen_record"
down_revision = "0002_log_chain"
branch_labels = None
depends_on = None

_evidence = sa.table(
    "evidence",
    sa.column("sha256", sa.String),
    sa.column("name", sa.String),
    sa.column("kind", sa.String),
    sa.column("issued", sa.Date),
    sa.column("expires", sa.Date),
    sa.column("legacy_details", sa.JSON),
)
_answers = sa.table(
    "answers",
    sa.column("id", sa.Integer),
    sa.column("audit_id", sa.Integer),
    sa.column("question_id", sa.String),
    sa.column("evidence", sa.JSON),
)
_links = sa.table(
    "evidence_links",
    sa.column("audit_id", sa.Integer),
    sa.column("question_id", sa.String),
    sa.column("position", sa.Integer),
    sa.column("sha256", sa.String),
    sa.column("name", sa.String),
    sa.column("kind", sa.String),
    sa.column("issued", sa.Date),
    sa.column("expires", sa.Date),
    sa.column("note", sa.Text),
)


def upgrade() -> None:
    # Order matters on SQLite: tables are rebuilt (batch mode) before any new table refers
    # to them, so foreign keys stay satisfied throughout.
    op.add_column("evidence", sa.Column("legacy_details", sa.JSON(), nullable=True))
    links = _links_from_answers(op.get_bind())
    with op.batch_alter_table("evidence") as batch:
        for column in ("kind", "issued", "expires"):
            batch.drop_column(column)
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("evidence")
    # plain ADD COLUMN: audits is referenced by other tables and must not be rebuilt
    op.add_column("audits", sa.Column("checklist_hashes", sa.JSON(), nullable=True))
    op.add_column("audits", sa.Column("decision", sa.String(length=32), nullable=True))
    op.add_column("audits", sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "audits",
        sa.Column("single_person", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("audits", sa.Column("accepted_unanswered", sa.Text(), nullable=True))
    op.add_column("audits", sa.Column("finalized_by", sa.String(length=200), nullable=True))
    _create_tables()
    if links:
        op.get_bind().execute(sa.insert(_links), links)


def _create_tables() -> None:
    op.create_table(
        "evidence_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audits.id"), nullable=False),
        sa.Column("question_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), sa.ForeignKey("evidence.sha256"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("issued", sa.Date(), nullable=True),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id", "question_id", "sha256"),
    )
    op.create_index("ix_evidence_links_audit_id", "evidence_links", ["audit_id"])
    op.create_index("ix_evidence_links_sha256", "evidence_links", ["sha256"])
    op.create_table(
        "checklist_contents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("checklist_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "audit_records",
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audits.id"), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("audit_id"),
    )


def _links_from_answers(conn: sa.Connection) -> list[dict[str, Any]]:
    """Each answer's evidence list as links carrying the file's details at that time; the
    per-file details are kept in `legacy_details`."""
    files: dict[str, dict[str, Any]] = {}
    for row in conn.execute(sa.select(_evidence)):
        details = {
            "name": row.name,
            "kind": row.kind,
            "issued": row.issued.isoformat() if row.issued else None,
            "expires": row.expires.isoformat() if row.expires else None,
        }
        files[row.sha256] = {**details, "issued": row.issued, "expires": row.expires}
        conn.execute(
            sa.update(_evidence)
            .where(_evidence.c.sha256 == row.sha256)
            .values(legacy_details=details)
        )
    links = []
    for row in conn.execute(sa.select(_answers).order_by(_answers.c.id)):
        seen: set[str] = set()
        for sha in row.evidence or []:
            if sha not in files or sha in seen:  # a dangling or repeated reference held nothing
                continue
            seen.add(sha)
            links.append(
                {
                    "audit_id": row.audit_id,
                    "question_id": row.question_id,
                    "position": len(seen) - 1,
                    "sha256": sha,
                    **files[sha],
                    "note": None,
                }
            )
    return links


def downgrade() -> None:
    conn = op.get_bind()
    links = [dict(r._mapping) for r in conn.execute(sa.select(_links).order_by(_links.c.position))]
    op.drop_table("audit_records")
    op.drop_table("checklist_contents")
    op.drop_table("evidence_links")
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("evidence", sa.JSON(), nullable=True))
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("issued", sa.Date(), nullable=True))
        batch.add_column(sa.Column("expires", sa.Date(), nullable=True))
    for row in conn.execute(sa.select(_evidence.c.sha256, _evidence.c.legacy_details)):
        old = row.legacy_details or {}
        conn.execute(
            sa.update(_evidence)
            .where(_evidence.c.sha256 == row.sha256)
            .values(
                kind=old.get("kind") or "other",
                issued=_day(old.get("issued")),
                expires=_day(old.get("expires")),
            )
        )
    lists: dict[tuple[int, str], list[str]] = {}
    for link in links:
        lists.setdefault((link["audit_id"], link["question_id"]), []).append(link["sha256"])
        conn.execute(
            sa.update(_evidence)
            .where(_evidence.c.sha256 == link["sha256"])
            .values(kind=link["kind"], issued=link["issued"], expires=link["expires"])
        )
    query = sa.select(_answers.c.id, _answers.c.audit_id, _answers.c.question_id)
    for answer in conn.execute(query):
        conn.execute(
            sa.update(_answers)
            .where(_answers.c.id == answer.id)
            .values(evidence=lists.get((answer.audit_id, answer.question_id), []))
        )
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("legacy_details")
        batch.alter_column("kind", nullable=False)
    with op.batch_alter_table("answers") as batch:
        batch.alter_column("evidence", nullable=False)
    with op.batch_alter_table("audits") as batch:
        for column in (
            "finalized_by",
            "accepted_unanswered",
            "single_person",
            "decision",
            "approved_at",
            "checklist_hashes",
        ):
            batch.drop_column(column)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
