"""issue 9 part B: suspension history, claim documents (evidence), encrypted claim health data

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "policy_suspensions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("policy_id", ID, nullable=False),
        sa.Column("suspended_on", sa.Date(), nullable=False),
        sa.Column("notice_due", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_policy_suspensions_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_suspensions")),
        sa.UniqueConstraint("policy_id", "suspended_on", name=op.f("uq_policy_suspensions_policy_id")),
    )
    op.create_index(op.f("ix_policy_suspensions_policy_id"), "policy_suspensions", ["policy_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_policy_suspensions_policy_id"), table_name="policy_suspensions")
    op.drop_table("policy_suspensions")
