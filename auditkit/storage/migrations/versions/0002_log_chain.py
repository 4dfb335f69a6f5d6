"""Hash-chain the change log and make the database refuse to rewrite it.

Adds seq, prev_hash and hash to `changes`, chains the entries already there (oldest first, in
the order they were written), and adds triggers that refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL). The hash rule is copied here on purpose, so this migration means the same thing
whatever later code does; a test checks that it agrees with auditkit/storage/chain.py.

Revision ID: 0002_log_chain
Revises: 0001
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002_log_chain"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
REFUSED = "the change log is append-only"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER changes_no_{verb.lower()} BEFORE {verb} ON changes "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED}: {verb} refused'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRES_TRIGGERS = [
    "CREATE FUNCTION auditkit_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{REFUSED}: % refused', TG_OP; END $$",
    "CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON changes "
    "FOR EACH ROW EXECUTE FUNCTION auditkit_changes_append_only()",
    "CREATE TRIGGER changes_no_truncate BEFORE TRUNCATE ON changes "
    "FOR EACH STATEMENT EXECUTE FUNCTION auditkit_changes_append_only()",
]

log = sa.table(
    "changes",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("audit_id", sa.Integer()),
    sa.column("field", sa.String()),
    sa.column("old", sa.JSON()),
    sa.column("new", sa.JSON()),
    sa.column("seq", sa.Integer()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def _hash(row: Any, seq: int, prev: str) -> str:
    at: dt.datetime = row.at
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    document = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": row.actor,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "audit_id": row.audit_id,
        "field": row.field,
        "old": row.old,
        "new": row.new,
        "prev": prev,
    }
    data = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _chain_existing_entries() -> None:
    conn = op.get_bind()
    prev, updates = GENESIS, []
    for seq, row in enumerate(conn.execute(sa.select(log).order_by(log.c.id)), start=1):
        digest = _hash(row, seq, prev)
        updates.append({"row_id": row.id, "s": seq, "p": prev, "h": digest})
        prev = digest
    if updates:
        conn.execute(
            log.update()
            .where(log.c.id == sa.bindparam("row_id"))
            .values(seq=sa.bindparam("s"), prev_hash=sa.bindparam("p"), hash=sa.bindparam("h")),
            updates,
        )


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_entries()
    with op.batch_alter_table("changes") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_changes_seq", ["seq"])
    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER changes_no_truncate ON changes")
        op.execute("DROP TRIGGER changes_append_only ON changes")
        op.execute("DROP FUNCTION auditkit_changes_append_only()")
    else:
        op.execute("DROP TRIGGER changes_no_update")
        op.execute("DROP TRIGGER changes_no_delete")
    with op.batch_alter_table("changes") as batch:
        batch.drop_constraint("uq_changes_seq", type_="unique")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
