"""cover and money: underwriting terms (rating, flat extra, exclusions) on application and policy insureds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("application_insureds", "policy_insureds")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("standard_premium", sa.BigInteger(), nullable=True))
            batch.add_column(sa.Column("extra_premium_percent", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("flat_extra", sa.BigInteger(), nullable=True))
            batch.add_column(sa.Column("flat_extra_years", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("exclusions", sa.JSON(), nullable=True))
    with op.batch_alter_table("application_insureds") as batch:
        batch.add_column(sa.Column("declared_death_cover", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("application_insureds") as batch:
        batch.drop_column("declared_death_cover")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for column in ("exclusions", "flat_extra_years", "flat_extra", "extra_premium_percent", "standard_premium"):
                batch.drop_column(column)
