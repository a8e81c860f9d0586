"""ledger: the household ledger (append-only journals and entries), the family payment account, family bills,
family applications and family proxies

Revision ID: 0013
Revises: 0014 (main already holds 0014_claims_workflow on 0012; the integrator may re-chain)
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0014"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
APPEND_ONLY = ("ledger_journals", "ledger_entries")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "ledger_journals",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("movement", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("policy_id", ID, nullable=True),
        sa.Column("person_id", ID, nullable=True),
        sa.Column("payment_id", ID, nullable=True),
        sa.Column("memo", sa.JSON(), nullable=False),
        _fk("ledger_journals", "household_id", "households"),
        _fk("ledger_journals", "policy_id", "policies"),
        _fk("ledger_journals", "person_id", "persons"),
        _fk("ledger_journals", "payment_id", "payments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_journals")),
        sa.UniqueConstraint("source", name=op.f("uq_ledger_journals_source")),
    )
    with op.batch_alter_table("ledger_journals", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_journals_household", ["household_id", "occurred_on", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_journals_posted_at"), ["posted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_journals_payment_id"), ["payment_id"], unique=False)
    op.create_table(
        "ledger_entries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("journal_id", ID, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("account", sa.String(length=30), nullable=False),
        sa.Column("policy_id", ID, nullable=True),
        sa.Column("fen", sa.BigInteger(), nullable=False),
        _fk("ledger_entries", "journal_id", "ledger_journals"),
        _fk("ledger_entries", "household_id", "households"),
        _fk("ledger_entries", "policy_id", "policies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entries_journal_id"), ["journal_id"], unique=False)
        batch_op.create_index(
            "ix_ledger_entries_household_account", ["household_id", "account", "policy_id"], unique=False
        )
    op.create_table(
        "family_payment_accounts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("holder_person_id", ID, nullable=False),
        sa.Column("account_enc", sa.LargeBinary(), nullable=False),
        sa.Column("account_masked", sa.String(length=30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("designated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("designated_by", ID, nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        _fk("family_payment_accounts", "household_id", "households"),
        _fk("family_payment_accounts", "holder_person_id", "persons"),
        _fk("family_payment_accounts", "designated_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_payment_accounts")),
    )
    with op.batch_alter_table("family_payment_accounts", schema=None) as batch_op:
        batch_op.create_index("ix_family_payment_accounts_household", ["household_id", "active"], unique=False)
    op.create_table(
        "family_bills",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("bill_no", sa.String(length=24), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("payment_account_id", ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.JSON(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        _fk("family_bills", "household_id", "households"),
        _fk("family_bills", "payment_account_id", "family_payment_accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_bills")),
        sa.UniqueConstraint("bill_no", name=op.f("uq_family_bills_bill_no")),
    )
    with op.batch_alter_table("family_bills", schema=None) as batch_op:
        batch_op.create_index("ix_family_bills_household", ["household_id", "period_start"], unique=True)
        batch_op.create_index(batch_op.f("ix_family_bills_status"), ["status"], unique=False)
    op.create_table(
        "family_bill_items",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("bill_id", ID, nullable=False),
        sa.Column("policy_id", ID, nullable=False),
        sa.Column("instalment_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payment_id", ID, nullable=True),
        _fk("family_bill_items", "bill_id", "family_bills"),
        _fk("family_bill_items", "policy_id", "policies"),
        _fk("family_bill_items", "instalment_id", "instalments"),
        _fk("family_bill_items", "payment_id", "payments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_bill_items")),
        sa.UniqueConstraint("bill_id", "instalment_id", name=op.f("uq_family_bill_items_bill_id")),
    )
    with op.batch_alter_table("family_bill_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_bill_items_instalment_id"), ["instalment_id"], unique=False)
    op.create_table(
        "family_applications",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("policyholder_person_id", ID, nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        _fk("family_applications", "household_id", "households"),
        _fk("family_applications", "policyholder_person_id", "persons"),
        _fk("family_applications", "created_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_applications")),
    )
    with op.batch_alter_table("family_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_applications_household_id"), ["household_id"], unique=False)
    op.create_table(
        "family_application_items",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("family_application_id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        _fk("family_application_items", "family_application_id", "family_applications"),
        _fk("family_application_items", "application_id", "applications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_application_items")),
        sa.UniqueConstraint("application_id", name=op.f("uq_family_application_items_application_id")),
    )
    with op.batch_alter_table("family_application_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_family_application_items_family_application_id"), ["family_application_id"], unique=False
        )
    op.create_table(
        "family_proxies",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("principal_person_id", ID, nullable=False),
        sa.Column("proxy_person_id", ID, nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("consent", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        _fk("family_proxies", "household_id", "households"),
        sa.ForeignKeyConstraint(
            ["principal_person_id"], ["persons.id"], name=op.f("fk_family_proxies_principal_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["proxy_person_id"], ["persons.id"], name=op.f("fk_family_proxies_proxy_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_proxies")),
    )
    with op.batch_alter_table("family_proxies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_proxies_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_family_proxies_pair", ["principal_person_id", "proxy_person_id"], unique=False)
    _append_only()


def _append_only() -> None:
    """The ledger is append-only: UPDATE and DELETE are refused by the database itself (like ``audit_log``)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the household ledger is append-only';
            END;
            $$;
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the household ledger is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")
    else:
        for table in APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    op.drop_table("family_proxies")
    op.drop_table("family_application_items")
    op.drop_table("family_applications")
    op.drop_table("family_bill_items")
    op.drop_table("family_bills")
    op.drop_table("family_payment_accounts")
    op.drop_table("ledger_entries")
    op.drop_table("ledger_journals")
