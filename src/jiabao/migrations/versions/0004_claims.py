"""claims

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("claim_no", sa.String(length=24), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("insured_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reported_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("proxy", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("claim_type", sa.String(length=30), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("facts_enc", sa.LargeBinary(), nullable=False),
        sa.Column("claimed_amount", sa.BigInteger(), nullable=False),
        sa.Column("approved_amount", sa.BigInteger(), nullable=True),
        sa.Column("paid_amount", sa.BigInteger(), nullable=False),
        sa.Column("decision_due", sa.Date(), nullable=False),
        sa.Column("complex_case", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_due", sa.Date(), nullable=True),
        sa.Column("notice_due", sa.Date(), nullable=True),
        sa.Column("account_enc", sa.LargeBinary(), nullable=False),
        sa.Column("account_masked", sa.String(length=30), nullable=False),
        sa.Column("payee_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"], name=op.f("fk_claims_household_id_households")),
        sa.ForeignKeyConstraint(
            ["insured_person_id"], ["persons.id"], name=op.f("fk_claims_insured_person_id_persons")
        ),
        sa.ForeignKeyConstraint(["payee_person_id"], ["persons.id"], name=op.f("fk_claims_payee_person_id_persons")),
        sa.ForeignKeyConstraint(["reported_by"], ["users.id"], name=op.f("fk_claims_reported_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("claim_no", name=op.f("uq_claims_claim_no")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_claims_idempotency_key")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_household", ["household_id", "reported_at"], unique=False)
        batch_op.create_index("ix_claims_status", ["status"], unique=False)

    op.create_table(
        "claim_assessments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("rule_version", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("automated", sa.Boolean(), nullable=False),
        sa.Column("result_enc", sa.LargeBinary(), nullable=False),
        sa.Column("elapsed_ms", sa.Float(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_assessments_claim_id_claims")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_claim_assessments_decided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_assessments")),
    )
    with op.batch_alter_table("claim_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_assessments_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "claim_invoices",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("invoice_no", sa.String(length=60), nullable=False),
        sa.Column("claim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_invoices_claim_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_invoices")),
        sa.UniqueConstraint("invoice_no", name=op.f("uq_claim_invoices_invoice_no")),
    )
    op.create_table(
        "claim_lines",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("benefit", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_lines_claim_id_claims")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_claim_lines_payment_id_payments")),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_claim_lines_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_lines")),
    )
    with op.batch_alter_table("claim_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_lines_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_lines_policy_id"), ["policy_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_lines_policy_id"))
        batch_op.drop_index(batch_op.f("ix_claim_lines_claim_id"))

    op.drop_table("claim_lines")
    op.drop_table("claim_invoices")
    with op.batch_alter_table("claim_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_assessments_claim_id"))

    op.drop_table("claim_assessments")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_status")
        batch_op.drop_index("ix_claims_household")

    op.drop_table("claims")
