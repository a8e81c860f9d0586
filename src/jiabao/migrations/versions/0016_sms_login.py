"""sms log-in: the users' encrypted mobile, SMS verification codes, call-back requests (issue 11)

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0019"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mobile_enc", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("mobile_bidx", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("mobile_masked", sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_mobile_bidx"), ["mobile_bidx"])
    op.create_table(
        "sms_codes",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("mobile_bidx", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_codes")),
    )
    with op.batch_alter_table("sms_codes", schema=None) as batch_op:
        batch_op.create_index("ix_sms_codes_mobile", ["mobile_bidx", "created_at"], unique=False)
    op.create_table(
        "callback_requests",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=True),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("handled_by", ID, nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_callback_requests_user_id_users")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_callback_requests_person_id_persons")),
        sa.ForeignKeyConstraint(["handled_by"], ["users.id"], name=op.f("fk_callback_requests_handled_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_requests")),
    )
    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_callback_requests_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_callback_requests_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("callback_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callback_requests_status"))
        batch_op.drop_index(batch_op.f("ix_callback_requests_user_id"))
    op.drop_table("callback_requests")
    with op.batch_alter_table("sms_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_sms_codes_mobile")
    op.drop_table("sms_codes")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_mobile_bidx"), type_="unique")
        batch_op.drop_column("mobile_masked")
        batch_op.drop_column("mobile_bidx")
        batch_op.drop_column("mobile_enc")
