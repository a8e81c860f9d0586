"""applications and underwriting decisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("policyholder_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("product_code", sa.String(length=40), nullable=False),
        sa.Column("product_version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("payment_term", sa.Integer(), nullable=False),
        sa.Column("coverage", sa.Integer(), nullable=True),
        sa.Column("annual_premium", sa.BigInteger(), nullable=False),
        sa.Column("instalment", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.String(length=60), nullable=False),
        sa.Column("quote", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_applications_created_by_users")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_applications_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["policyholder_person_id"], ["persons.id"], name=op.f("fk_applications_policyholder_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index("ix_applications_household", ["household_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_status"), ["status"], unique=False)

    op.create_table(
        "uw_decisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kb_version", sa.String(length=20), nullable=False),
        sa.Column("kb_digest", sa.String(length=80), nullable=False),
        sa.Column("facts_enc", sa.LargeBinary(), nullable=False),
        sa.Column("result_enc", sa.LargeBinary(), nullable=False),
        sa.Column("conclusion", sa.String(length=30), nullable=False),
        sa.Column("automated", sa.Boolean(), nullable=False),
        sa.Column("elapsed_ms", sa.Float(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("supersedes_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_uw_decisions_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_uw_decisions_decided_by_users")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_uw_decisions_person_id_persons")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["uw_decisions.id"], name=op.f("fk_uw_decisions_supersedes_id_uw_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uw_decisions")),
    )
    with op.batch_alter_table("uw_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_uw_decisions_application", ["application_id", "person_id"], unique=False)

    op.create_table(
        "application_insureds",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sum_assured", sa.BigInteger(), nullable=False),
        sa.Column("annual_premium", sa.BigInteger(), nullable=False),
        sa.Column("uw_status", sa.String(length=30), nullable=False),
        sa.Column("conclusion", sa.String(length=30), nullable=True),
        sa.Column("decision_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_application_insureds_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["uw_decisions.id"], name=op.f("fk_application_insureds_decision_id_uw_decisions")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_application_insureds_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_insureds")),
    )
    with op.batch_alter_table("application_insureds", schema=None) as batch_op:
        batch_op.create_index("ix_application_insureds_app", ["application_id", "person_id"], unique=True)

    op.create_table(
        "uw_referrals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("decision_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_uw_referrals_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["uw_decisions.id"], name=op.f("fk_uw_referrals_decision_id_uw_decisions")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_uw_referrals_person_id_persons")),
        sa.ForeignKeyConstraint(
            ["resolution_id"], ["uw_decisions.id"], name=op.f("fk_uw_referrals_resolution_id_uw_decisions")
        ),
        sa.ForeignKeyConstraint(["taken_by"], ["users.id"], name=op.f("fk_uw_referrals_taken_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uw_referrals")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_uw_referrals_decision_id")),
    )
    with op.batch_alter_table("uw_referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_uw_referrals_application_id"), ["application_id"], unique=False)
        batch_op.create_index("ix_uw_referrals_status", ["status", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("uw_referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_uw_referrals_status")
        batch_op.drop_index(batch_op.f("ix_uw_referrals_application_id"))

    op.drop_table("uw_referrals")
    with op.batch_alter_table("application_insureds", schema=None) as batch_op:
        batch_op.drop_index("ix_application_insureds_app")

    op.drop_table("application_insureds")
    with op.batch_alter_table("uw_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_uw_decisions_application")

    op.drop_table("uw_decisions")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_status"))
        batch_op.drop_index("ix_applications_household")

    op.drop_table("applications")
