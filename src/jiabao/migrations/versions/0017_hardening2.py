"""hardening 2: annual income encrypted at rest (existing rows converted); membership requests; staff inbox and
printable letter queue (outbox topics staff / management / post)

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-03

``persons.annual_income`` (integer fen in clear) becomes ``persons.annual_income_enc`` (AES-GCM, associated data
``persons.annual_income``, see ``jiabao.family.income``). Existing values are encrypted in batches with the
current personal-data key: the key comes from the runtime that runs the migration (``jiabao migrate`` hands its
cipher over in ``config.attributes["pii_cipher"]``) or, when run otherwise, from the settings
(``JIABAO_PII_KEYS`` / ``var/secrets.json``) — only when there is a value to convert. The downgrade decrypts back.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BATCH = 1000
persons = sa.table(
    "persons",
    sa.column("id", ID),
    sa.column("annual_income", sa.BigInteger()),
    sa.column("annual_income_enc", sa.LargeBinary()),
)


def _cipher() -> Any:
    given = context.config.attributes.get("pii_cipher")
    if given is not None:
        return given
    from jiabao.config import Settings
    from jiabao.core.pii import PiiCipher
    from jiabao.runtime import ensure_secrets

    settings = ensure_secrets(Settings())
    return PiiCipher.from_config(settings.pii_keys, settings.blind_index_key)


def _convert(source: str, target: str, change: Any) -> None:
    bind = op.get_bind()
    cipher = None
    last = 0
    while True:
        rows = bind.execute(
            sa.select(persons.c.id, persons.c[source])
            .where(persons.c.id > last, persons.c[source].is_not(None))
            .order_by(persons.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        cipher = cipher or _cipher()
        for person_id, value in rows:
            bind.execute(sa.update(persons).where(persons.c.id == person_id).values({target: change(cipher, value)}))
        last = rows[-1][0]


def _drop(column: str) -> None:
    # a plain ALTER TABLE on both back ends (SQLite >= 3.35): a batch copy would drop and recreate ``persons``,
    # which every other table references
    op.execute(f"ALTER TABLE persons DROP COLUMN {column}")


def upgrade() -> None:
    op.create_table(
        "membership_requests",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("requested_by", ID, nullable=True),
        sa.Column("relationship_to_head", sa.String(length=20), nullable=False),
        sa.Column("name_masked", sa.String(length=60), nullable=False),
        sa.Column("id_number_masked", sa.String(length=24), nullable=False),
        sa.Column("data_enc", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("member_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_membership_requests_household_id_households")
        ),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"], name=op.f("fk_membership_requests_requested_by_users")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_membership_requests_decided_by_users")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_membership_requests_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_requests")),
    )
    op.create_index("ix_membership_requests_status", "membership_requests", ["status", "id"], unique=False)
    op.create_index(op.f("ix_membership_requests_household_id"), "membership_requests", ["household_id"], unique=False)
    op.create_table(
        "staff_notifications",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("outbox_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_staff_notifications_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_notifications")),
        sa.UniqueConstraint("outbox_id", "user_id", name="uq_staff_notifications_outbox_user"),
    )
    op.create_index(op.f("ix_staff_notifications_outbox_id"), "staff_notifications", ["outbox_id"], unique=False)
    op.create_index(op.f("ix_staff_notifications_user_id"), "staff_notifications", ["user_id"], unique=False)
    op.create_table(
        "post_letters",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("outbox_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=True),
        sa.Column("link", sa.String(length=200), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_post_letters_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_letters")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_post_letters_outbox_id")),
    )
    op.add_column("persons", sa.Column("annual_income_enc", sa.LargeBinary(), nullable=True))
    _convert(
        "annual_income", "annual_income_enc", lambda cipher, fen: cipher.encrypt("persons.annual_income", str(fen))
    )
    _drop("annual_income")


def downgrade() -> None:
    op.add_column("persons", sa.Column("annual_income", sa.BigInteger(), nullable=True))
    _convert(
        "annual_income_enc", "annual_income", lambda cipher, blob: int(cipher.decrypt("persons.annual_income", blob))
    )
    _drop("annual_income_enc")
    op.drop_index(op.f("ix_membership_requests_household_id"), table_name="membership_requests")
    op.drop_index("ix_membership_requests_status", table_name="membership_requests")
    op.drop_table("membership_requests")
    op.drop_table("post_letters")
    op.drop_index(op.f("ix_staff_notifications_user_id"), table_name="staff_notifications")
    op.drop_index(op.f("ix_staff_notifications_outbox_id"), table_name="staff_notifications")
    op.drop_table("staff_notifications")
