"""Record how an answer is known: an auditor's verification (interview, demo, on-site) of an
answer is stored with it as {how, note, by, at}. Existing answers keep every value and get none;
how they are known is derived from their source and evidence (see auditkit.knowledge).

Revision ID: 0005_answer_knowledge
Revises: 0004_audit_scores
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_answer_knowledge"
down_revision = "0004_audit_scores"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("verification", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("verification")
