"""risk screening: watch lists (versioned), screening cases and clearances

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_lists",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_lists")),
        sa.UniqueConstraint("code", name=op.f("uq_watch_lists_code")),
    )
    op.create_table(
        "watch_list_versions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("list_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"], ["watch_lists.id"], name=op.f("fk_watch_list_versions_list_id_watch_lists")
        ),
        sa.ForeignKeyConstraint(["loaded_by"], ["users.id"], name=op.f("fk_watch_list_versions_loaded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_list_versions")),
        sa.UniqueConstraint("list_id", "version_no", name="uq_watch_list_versions_list_version"),
    )
    with op.batch_alter_table("watch_list_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_list_versions_list_id"), ["list_id"], unique=False)

    op.create_table(
        "screening_cases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("occasion", sa.String(length=30), nullable=False),
        sa.Column("context", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("party_role", sa.String(length=20), nullable=False),
        sa.Column("subject_masked", sa.String(length=60), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("list_versions", sa.String(length=200), nullable=False),
        sa.Column("matches_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reviewed_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_screening_cases_household_id_households")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_screening_cases_person_id_persons")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_screening_cases_reviewed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_cases")),
    )
    with op.batch_alter_table("screening_cases", schema=None) as batch_op:
        batch_op.create_index("ix_screening_cases_person", ["person_id"], unique=False)
        batch_op.create_index("ix_screening_cases_status", ["status", "created_at"], unique=False)

    op.create_table(
        "watch_list_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["watch_list_versions.id"],
            name=op.f("fk_watch_list_changes_version_id_watch_list_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_list_changes")),
    )
    with op.batch_alter_table("watch_list_changes", schema=None) as batch_op:
        batch_op.create_index("ix_watch_list_changes_version", ["version_id", "change"], unique=False)

    op.create_table(
        "watch_list_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("primary_name", sa.String(length=400), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("data_enc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["watch_list_versions.id"],
            name=op.f("fk_watch_list_entries_version_id_watch_list_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_list_entries")),
        sa.UniqueConstraint("version_id", "entry_id", name="uq_watch_list_entries_version_entry"),
    )
    with op.batch_alter_table("watch_list_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_list_entries_version_id"), ["version_id"], unique=False)

    op.create_table(
        "screening_clearances",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("list_code", sa.String(length=40), nullable=False),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["screening_cases.id"], name=op.f("fk_screening_clearances_case_id_screening_cases")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_screening_clearances_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_clearances")),
    )
    with op.batch_alter_table("screening_clearances", schema=None) as batch_op:
        batch_op.create_index("ix_screening_clearances_person", ["person_id", "list_code", "entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("screening_clearances", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_clearances_person")

    op.drop_table("screening_clearances")
    with op.batch_alter_table("watch_list_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_list_entries_version_id"))

    op.drop_table("watch_list_entries")
    with op.batch_alter_table("watch_list_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_list_changes_version")

    op.drop_table("watch_list_changes")
    with op.batch_alter_table("screening_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_cases_status")
        batch_op.drop_index("ix_screening_cases_person")

    op.drop_table("screening_cases")
    with op.batch_alter_table("watch_list_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_list_versions_list_id"))

    op.drop_table("watch_list_versions")
    op.drop_table("watch_lists")
