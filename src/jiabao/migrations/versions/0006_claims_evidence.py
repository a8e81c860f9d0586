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
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("health_enc", sa.LargeBinary(), nullable=True))
    op.create_table(
        "claim_documents",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("claim_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data_enc", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", ID, nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_documents_claim_id_claims")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_claim_documents_household_id_households")
        ),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], name=op.f("fk_claim_documents_uploaded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_documents")),
    )
    op.create_index(op.f("ix_claim_documents_claim_id"), "claim_documents", ["claim_id"], unique=False)
    op.create_index(op.f("ix_claim_documents_household_id"), "claim_documents", ["household_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_documents_household_id"), table_name="claim_documents")
    op.drop_index(op.f("ix_claim_documents_claim_id"), table_name="claim_documents")
    op.drop_table("claim_documents")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("health_enc")
    op.drop_index(op.f("ix_policy_suspensions_policy_id"), table_name="policy_suspensions")
    op.drop_table("policy_suspensions")
