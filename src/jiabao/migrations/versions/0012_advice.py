"""advice: financial facts (encrypted) and protection-score snapshots

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "advice_facts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("payload_enc", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_advice_facts_household_id_households")
        ),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_advice_facts_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_facts")),
        sa.UniqueConstraint("household_id", name=op.f("uq_advice_facts_household_id")),
    )
    op.create_table(
        "advice_snapshots",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("trigger", sa.String(length=30), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("assumptions_version", sa.String(length=20), nullable=False),
        sa.Column("total_need", sa.BigInteger(), nullable=False),
        sa.Column("total_gap", sa.BigInteger(), nullable=False),
        sa.Column("gaps", sa.JSON(), nullable=False),
        sa.Column("widened", sa.Boolean(), nullable=False),
        sa.Column("message_queued", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_advice_snapshots_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_snapshots")),
    )
    with op.batch_alter_table("advice_snapshots", schema=None) as batch_op:
        batch_op.create_index("ix_advice_snapshots_household", ["household_id", "computed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("advice_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_advice_snapshots_household")
    op.drop_table("advice_snapshots")
    op.drop_table("advice_facts")
