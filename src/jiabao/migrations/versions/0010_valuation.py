"""valuation of the book in force: assumption sets, runs, results per policy and per IFRS 17 group

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "valuation_assumption_sets",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_valuation_assumption_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_valuation_assumption_sets_version")),
    )
    op.create_table(
        "valuation_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("valuation_date", sa.Date(), nullable=False),
        sa.Column("assumption_set_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("previous_run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("executor", sa.String(length=20), nullable=False),
        sa.Column("shards", sa.Integer(), nullable=False),
        sa.Column("policies", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assumption_set_id"],
            ["valuation_assumption_sets.id"],
            name=op.f("fk_valuation_runs_assumption_set_id_valuation_assumption_sets"),
        ),
        sa.ForeignKeyConstraint(
            ["previous_run_id"], ["valuation_runs.id"], name=op.f("fk_valuation_runs_previous_run_id_valuation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_valuation_runs")),
    )
    with op.batch_alter_table("valuation_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_valuation_runs_valuation_date"), ["valuation_date"], unique=False)

    op.create_table(
        "valuation_group_results",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("product_code", sa.String(length=40), nullable=False),
        sa.Column("cohort", sa.Integer(), nullable=False),
        sa.Column("onerous", sa.Boolean(), nullable=False),
        sa.Column("policies", sa.Integer(), nullable=False),
        sa.Column("statutory_fen", sa.BigInteger(), nullable=False),
        sa.Column("pvr_fen", sa.BigInteger(), nullable=False),
        sa.Column("cash_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("bel_fen", sa.BigInteger(), nullable=False),
        sa.Column("ra_fen", sa.BigInteger(), nullable=False),
        sa.Column("csm_fen", sa.BigInteger(), nullable=False),
        sa.Column("loss_component_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["valuation_runs.id"], name=op.f("fk_valuation_group_results_run_id_valuation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_valuation_group_results")),
        sa.UniqueConstraint(
            "run_id", "product_code", "cohort", "onerous", name=op.f("uq_valuation_group_results_run_id")
        ),
    )
    with op.batch_alter_table("valuation_group_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_valuation_group_results_run_id"), ["run_id"], unique=False)

    op.create_table(
        "valuation_policy_results",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("product_code", sa.String(length=40), nullable=False),
        sa.Column("cohort", sa.Integer(), nullable=False),
        sa.Column("statutory_fen", sa.BigInteger(), nullable=False),
        sa.Column("pvr_fen", sa.BigInteger(), nullable=False),
        sa.Column("cash_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("bel_fen", sa.BigInteger(), nullable=False),
        sa.Column("ra_fen", sa.BigInteger(), nullable=False),
        sa.Column("fcf0_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_valuation_policy_results_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["valuation_runs.id"], name=op.f("fk_valuation_policy_results_run_id_valuation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_valuation_policy_results")),
        sa.UniqueConstraint("run_id", "policy_id", name=op.f("uq_valuation_policy_results_run_id")),
    )


def downgrade() -> None:
    op.drop_table("valuation_policy_results")
    with op.batch_alter_table("valuation_group_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_valuation_group_results_run_id"))

    op.drop_table("valuation_group_results")
    with op.batch_alter_table("valuation_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_valuation_runs_valuation_date"))

    op.drop_table("valuation_runs")
    op.drop_table("valuation_assumption_sets")
