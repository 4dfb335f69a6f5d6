"""Indexes for the listings: each vendor's newest final audit (by id for its stored result, by
date for the next review) is found by an index lookup, not by reading every audit.

Revision ID: 0006_listing_indexes
Revises: 0005_answer_knowledge
"""

from __future__ import annotations

from alembic import op

revision = "0006_listing_indexes"
down_revision = "0005_answer_knowledge"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_audits_vendor_status_id": ("audits", ["vendor_id", "status", "id"]),
    "ix_audits_vendor_status_as_of": ("audits", ["vendor_id", "status", "as_of"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
