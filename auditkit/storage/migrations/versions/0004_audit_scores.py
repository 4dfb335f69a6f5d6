"""Store each final audit's headline result (overall score, rating, recommendation) so that
`vendor list` and `audit list` show it with one query. Audits finalized before this revision
have no row; listings show no score for them.

Revision ID: 0003_audit_scores
Revises: 0002_log_chain
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_audit_scores"
down_revision = "0003_frozen_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_scores",
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), primary_key=True),
        sa.Column("overall", sa.Float),
        sa.Column("rating", sa.String(16), nullable=False),
        sa.Column("recommendation", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_scores")
