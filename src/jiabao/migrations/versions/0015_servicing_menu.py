"""servicing menu (issue 17): policy loans and automatic premium loans

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0016"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "policy_loans",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("policy_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("service_request_id", ID, nullable=True),
        sa.Column("instalment_id", ID, nullable=True),
        sa.Column("payment_id", ID, nullable=True),
        sa.Column("lent_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("principal", sa.BigInteger(), nullable=False),
        sa.Column("interest", sa.BigInteger(), nullable=False),
        sa.Column("accrued_to", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_policy_loans_policy_id_policies")),
        sa.ForeignKeyConstraint(
            ["service_request_id"],
            ["service_requests.id"],
            name=op.f("fk_policy_loans_service_request_id_service_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["instalment_id"], ["instalments.id"], name=op.f("fk_policy_loans_instalment_id_instalments")
        ),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_policy_loans_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_loans")),
    )
    op.create_index(op.f("ix_policy_loans_policy_id"), "policy_loans", ["policy_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_policy_loans_policy_id"), table_name="policy_loans")
    op.drop_table("policy_loans")
