"""partners: partner network, dated hierarchy, licences, attribution, commission plans, runs and lines

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0013"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:

    op.create_table(
        "commission_plans",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", ID, nullable=True),
        sa.Column("refusal", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_commission_plans_approved_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_plans")),
        sa.UniqueConstraint("code", "version", name="uq_commission_plans_code_version"),
    )
    op.create_table(
        "commission_runs",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("lines_written", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_by", ID, nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", ID, nullable=True),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_commission_runs_approved_by_users")),
        sa.ForeignKeyConstraint(["computed_by"], ["users.id"], name=op.f("fk_commission_runs_computed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_runs")),
        sa.UniqueConstraint("month", "seq", name="uq_commission_runs_month_seq"),
    )
    with op.batch_alter_table("commission_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commission_runs_month"), ["month"], unique=False)

    op.create_table(
        "partners",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("institution_type", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("review", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_partners_created_by_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_partners_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("user_id", name=op.f("uq_partners_user_id")),
    )
    op.create_table(
        "commission_payments",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("run_id", ID, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_commission_payments_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["commission_runs.id"], name=op.f("fk_commission_payments_run_id_commission_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_payments")),
        sa.UniqueConstraint("run_id", "partner_id", name="uq_commission_payments_run_partner"),
    )
    with op.batch_alter_table("commission_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commission_payments_month"), ["month"], unique=False)

    op.create_table(
        "partner_attributions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", ID, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("selling_partner_id", ID, nullable=True),
        sa.Column("servicing_partner_id", ID, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_partner_attributions_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["selling_partner_id"], ["partners.id"], name=op.f("fk_partner_attributions_selling_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["servicing_partner_id"],
            ["partners.id"],
            name=op.f("fk_partner_attributions_servicing_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_attributions")),
        sa.UniqueConstraint("subject", "subject_id", name="uq_partner_attributions_subject"),
    )
    with op.batch_alter_table("partner_attributions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_attributions_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_partner_attributions_selling", ["selling_partner_id", "subject"], unique=False)
        batch_op.create_index("ix_partner_attributions_servicing", ["servicing_partner_id", "subject"], unique=False)

    op.create_table(
        "partner_licences",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("products", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_partner_licences_partner_id_partners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_licences")),
    )
    with op.batch_alter_table("partner_licences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_licences_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "partner_memberships",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("parent_id", ID, nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["partners.id"], name=op.f("fk_partner_memberships_parent_id_partners")),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_memberships_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_memberships")),
    )
    with op.batch_alter_table("partner_memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_memberships_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_partner_memberships_partner", ["partner_id", "valid_from"], unique=False)

    op.create_table(
        "commission_lines",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("run_id", ID, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("partner_id", ID, nullable=False),
        sa.Column("policy_id", ID, nullable=True),
        sa.Column("ref", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("adjustment", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_commission_lines_partner_id_partners")),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_commission_lines_policy_id_policies")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["commission_runs.id"], name=op.f("fk_commission_lines_run_id_commission_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_lines")),
    )
    with op.batch_alter_table("commission_lines", schema=None) as batch_op:
        batch_op.create_index("ix_commission_lines_month_partner", ["month", "partner_id"], unique=False)
        batch_op.create_index("ix_commission_lines_policy", ["policy_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("commission_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_commission_lines_policy")
        batch_op.drop_index("ix_commission_lines_month_partner")

    op.drop_table("commission_lines")
    with op.batch_alter_table("partner_memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_memberships_partner")
        batch_op.drop_index(batch_op.f("ix_partner_memberships_parent_id"))

    op.drop_table("partner_memberships")
    with op.batch_alter_table("partner_licences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_licences_partner_id"))

    op.drop_table("partner_licences")
    with op.batch_alter_table("partner_attributions", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_attributions_servicing")
        batch_op.drop_index("ix_partner_attributions_selling")
        batch_op.drop_index(batch_op.f("ix_partner_attributions_household_id"))

    op.drop_table("partner_attributions")
    with op.batch_alter_table("commission_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_payments_month"))

    op.drop_table("commission_payments")
    op.drop_table("partners")
    with op.batch_alter_table("commission_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commission_runs_month"))

    op.drop_table("commission_runs")
    op.drop_table("commission_plans")
