"""Initial schema: vendors, audits, answers, evidence, findings, change log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from auditkit.storage.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The first revision creates the tables as defined today; later revisions
    # must use explicit op.* calls so old databases migrate step by step.
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
