"""issue 17: the claims workflow — document requests, investigations, re-underwriting (二次核保), death-claim
beneficiaries and heirs, appeals

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "claim_appeals",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", ID, nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("grounds_enc", sa.LargeBinary(), nullable=False),
        sa.Column("declined_by", ID, nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("letter_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_appeals_claim_id_claims")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_claim_appeals_decided_by_users")),
        sa.ForeignKeyConstraint(["declined_by"], ["users.id"], name=op.f("fk_claim_appeals_declined_by_users")),
        sa.ForeignKeyConstraint(["filed_by"], ["users.id"], name=op.f("fk_claim_appeals_filed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_appeals")),
    )
    op.create_index(op.f("ix_claim_appeals_claim_id"), "claim_appeals", ["claim_id"], unique=False)
    op.create_table(
        "claim_document_requests",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", ID, nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_document_requests_claim_id_claims")),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_claim_document_requests_requested_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_document_requests")),
    )
    op.create_index(op.f("ix_claim_document_requests_claim_id"), "claim_document_requests", ["claim_id"], unique=False)
    op.create_table(
        "claim_investigations",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("assigned_to", ID, nullable=False),
        sa.Column("assigned_by", ID, nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("findings_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["assigned_by"], ["users.id"], name=op.f("fk_claim_investigations_assigned_by_users")),
        sa.ForeignKeyConstraint(["assigned_to"], ["users.id"], name=op.f("fk_claim_investigations_assigned_to_users")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_investigations_claim_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_investigations")),
    )
    op.create_index(op.f("ix_claim_investigations_claim_id"), "claim_investigations", ["claim_id"], unique=False)
    op.create_table(
        "claim_reunderwritings",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("policy_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("kb_version", sa.String(length=20), nullable=False),
        sa.Column("conclusion", sa.String(length=30), nullable=False),
        sa.Column("effect", sa.String(length=30), nullable=False),
        sa.Column("result_enc", sa.LargeBinary(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", ID, nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_reunderwritings_claim_id_claims")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_claim_reunderwritings_decided_by_users")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_claim_reunderwritings_person_id_persons")),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_claim_reunderwritings_policy_id_policies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_reunderwritings")),
    )
    op.create_index(op.f("ix_claim_reunderwritings_claim_id"), "claim_reunderwritings", ["claim_id"], unique=False)
    op.create_table(
        "claim_beneficiaries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("claim_id", ID, nullable=False),
        sa.Column("policy_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("share", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("account_enc", sa.LargeBinary(), nullable=True),
        sa.Column("account_masked", sa.String(length=30), nullable=True),
        sa.Column("payment_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_beneficiaries_claim_id_claims")),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_claim_beneficiaries_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_claim_beneficiaries_person_id_persons")),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_claim_beneficiaries_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_beneficiaries")),
    )
    op.create_index(op.f("ix_claim_beneficiaries_claim_id"), "claim_beneficiaries", ["claim_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_beneficiaries_claim_id"), table_name="claim_beneficiaries")
    op.drop_table("claim_beneficiaries")
    op.drop_index(op.f("ix_claim_reunderwritings_claim_id"), table_name="claim_reunderwritings")
    op.drop_table("claim_reunderwritings")
    op.drop_index(op.f("ix_claim_investigations_claim_id"), table_name="claim_investigations")
    op.drop_table("claim_investigations")
    op.drop_index(op.f("ix_claim_document_requests_claim_id"), table_name="claim_document_requests")
    op.drop_table("claim_document_requests")
    op.drop_index(op.f("ix_claim_appeals_claim_id"), table_name="claim_appeals")
    op.drop_table("claim_appeals")
