"""scale: progress of the resumable bulk load (jiabao seed --bulk)

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seed_runs",
        sa.Column("seed", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("first_ids", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seed", name=op.f("pk_seed_runs")),
    )
    op.create_table(
        "seed_chunks",
        sa.Column("seed", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("policies", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seed", "chunk", name=op.f("pk_seed_chunks")),
    )
    op.create_table(
        "seed_dropped_ddl",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ddl", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_seed_dropped_ddl")),
    )


def downgrade() -> None:
    op.drop_table("seed_dropped_ddl")
    op.drop_table("seed_chunks")
    op.drop_table("seed_runs")
