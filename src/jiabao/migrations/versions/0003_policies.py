"""policies, payments, instalments, return visits, servicing

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dual_recordings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("requirement", sa.String(length=30), nullable=False),
        sa.Column("file_ref", sa.String(length=200), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("qc_selected", sa.Boolean(), nullable=False),
        sa.Column("qc_status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_dual_recordings_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dual_recordings")),
        sa.UniqueConstraint("application_id", name=op.f("uq_dual_recordings_application_id")),
    )
    op.create_table(
        "policies",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("policy_no", sa.String(length=24), nullable=False),
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("policyholder_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("product_code", sa.String(length=40), nullable=False),
        sa.Column("product_version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("cooling_off_end", sa.Date(), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("payment_term", sa.Integer(), nullable=False),
        sa.Column("cover_years", sa.Integer(), nullable=True),
        sa.Column("annual_premium", sa.BigInteger(), nullable=False),
        sa.Column("instalment", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.String(length=60), nullable=False),
        sa.Column("premium_waived_from", sa.Date(), nullable=True),
        sa.Column("suspended_on", sa.Date(), nullable=True),
        sa.Column("reinstated_on", sa.JSON(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_policies_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"], name=op.f("fk_policies_household_id_households")),
        sa.ForeignKeyConstraint(
            ["policyholder_person_id"], ["persons.id"], name=op.f("fk_policies_policyholder_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
        sa.UniqueConstraint("application_id", name=op.f("uq_policies_application_id")),
        sa.UniqueConstraint("policy_no", name=op.f("uq_policies_policy_no")),
    )
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.create_index("ix_policies_household", ["household_id", "status"], unique=False)

    op.create_table(
        "payments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("account_enc", sa.LargeBinary(), nullable=False),
        sa.Column("account_masked", sa.String(length=30), nullable=False),
        sa.Column("holder_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_payments_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["holder_person_id"], ["persons.id"], name=op.f("fk_payments_holder_person_id_persons")
        ),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_payments_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payments_idempotency_key")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "policy_insureds",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sum_assured", sa.BigInteger(), nullable=False),
        sa.Column("annual_premium", sa.BigInteger(), nullable=False),
        sa.Column("conclusion", sa.String(length=30), nullable=False),
        sa.Column("decision_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["uw_decisions.id"], name=op.f("fk_policy_insureds_decision_id_uw_decisions")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_policy_insureds_person_id_persons")),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_policy_insureds_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_insureds")),
    )
    with op.batch_alter_table("policy_insureds", schema=None) as batch_op:
        batch_op.create_index("ix_policy_insureds_person", ["person_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_policy_insureds_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "return_visits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("elderly", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_return_visits_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_visits")),
    )
    with op.batch_alter_table("return_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_visits_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "service_cases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_service_cases_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_cases")),
    )
    with op.batch_alter_table("service_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_cases_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "service_requests",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accept_due", sa.Date(), nullable=False),
        sa.Column("complete_due", sa.Date(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_service_requests_policy_id_policies")),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"], name=op.f("fk_service_requests_requested_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
    )
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_requests_channel"), ["channel"], unique=False)
        batch_op.create_index("ix_service_requests_policy", ["policy_id", "requested_at"], unique=False)

    op.create_table(
        "beneficiary_designations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("insured_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("legal_heirs", sa.Boolean(), nullable=False),
        sa.Column("beneficiaries", sa.JSON(), nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("insured_consent", sa.Boolean(), nullable=False),
        sa.Column("service_request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["insured_person_id"], ["persons.id"], name=op.f("fk_beneficiary_designations_insured_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_beneficiary_designations_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["service_request_id"],
            ["service_requests.id"],
            name=op.f("fk_beneficiary_designations_service_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beneficiary_designations")),
        sa.UniqueConstraint(
            "policy_id", "insured_person_id", "version", name=op.f("uq_beneficiary_designations_policy_id")
        ),
    )
    op.create_table(
        "instalments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("policy_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("payment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("waived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_instalments_payment_id_payments")),
        sa.ForeignKeyConstraint(["policy_id"], ["policies.id"], name=op.f("fk_instalments_policy_id_policies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instalments")),
        sa.UniqueConstraint("policy_id", "seq", name=op.f("uq_instalments_policy_id")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("details")

    op.drop_table("instalments")
    op.drop_table("beneficiary_designations")
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_service_requests_policy")
        batch_op.drop_index(batch_op.f("ix_service_requests_channel"))

    op.drop_table("service_requests")
    with op.batch_alter_table("service_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_cases_policy_id"))

    op.drop_table("service_cases")
    with op.batch_alter_table("return_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_visits_policy_id"))

    op.drop_table("return_visits")
    with op.batch_alter_table("policy_insureds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_insureds_policy_id"))
        batch_op.drop_index("ix_policy_insureds_person")

    op.drop_table("policy_insureds")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_policy_id"))
        batch_op.drop_index(batch_op.f("ix_payments_application_id"))

    op.drop_table("payments")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_index("ix_policies_household")

    op.drop_table("policies")
    op.drop_table("dual_recordings")
