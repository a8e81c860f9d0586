"""risk: application and claims risk assessments, identifiers, fraud models, AML cases, reports and due diligence

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "fraud_models",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("positives", sa.Integer(), nullable=False),
        sa.Column("auc", sa.Float(), nullable=False),
        sa.Column("brier", sa.Float(), nullable=False),
        sa.Column("ece", sa.Float(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_models")),
        sa.UniqueConstraint("version", name=op.f("uq_fraud_models_version")),
    )
    op.create_table(
        "aml_cdd",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("triggers", sa.JSON(), nullable=False),
        sa.Column("required", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["completed_by"], ["users.id"], name=op.f("fk_aml_cdd_completed_by_users")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_aml_cdd_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aml_cdd")),
        sa.UniqueConstraint("subject", name=op.f("uq_aml_cdd_subject")),
    )
    with op.batch_alter_table("aml_cdd", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aml_cdd_person_id"), ["person_id"], unique=False)

    op.create_table(
        "aml_reports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("report_no", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("content_enc", sa.LargeBinary(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["generated_by"], ["users.id"], name=op.f("fk_aml_reports_generated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aml_reports")),
        sa.UniqueConstraint("report_no", name=op.f("uq_aml_reports_report_no")),
    )
    op.create_table(
        "aml_cases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("case_no", sa.String(length=24), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=True),
        sa.Column("txn_ids", sa.JSON(), nullable=False),
        sa.Column("policy_ids", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("analysis", sa.String(length=2000), nullable=True),
        sa.Column("report_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_aml_cases_person_id_persons")),
        sa.ForeignKeyConstraint(["report_id"], ["aml_reports.id"], name=op.f("fk_aml_cases_report_id_aml_reports")),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_aml_cases_reviewed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aml_cases")),
        sa.UniqueConstraint("case_no", name=op.f("uq_aml_cases_case_no")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_aml_cases_dedupe_key")),
    )
    with op.batch_alter_table("aml_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_aml_cases_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_aml_cases_queue", ["kind", "status", "day"], unique=False)

    op.create_table(
        "risk_assessments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("claim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fraud_label", sa.Boolean(), nullable=True),
        sa.Column("decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_risk_assessments_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_risk_assessments_claim_id_claims")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_risk_assessments_decided_by_users")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_risk_assessments_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessments")),
        sa.UniqueConstraint("application_id", name=op.f("uq_risk_assessments_application_id")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_risk_assessments_claim_id")),
    )
    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_assessments_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_risk_assessments_queue", ["kind", "status", "created_at"], unique=False)

    op.create_table(
        "risk_identifiers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("bidx", sa.String(length=32), nullable=False),
        sa.Column("masked", sa.String(length=60), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("claim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_risk_identifiers_claim_id_claims")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_risk_identifiers_household_id_households")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_risk_identifiers_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_identifiers")),
        sa.UniqueConstraint("source", name=op.f("uq_risk_identifiers_source")),
    )
    with op.batch_alter_table("risk_identifiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_identifiers_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_risk_identifiers_match", ["kind", "bidx"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_identifiers_person_id"), ["person_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("risk_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_identifiers_person_id"))
        batch_op.drop_index("ix_risk_identifiers_match")
        batch_op.drop_index(batch_op.f("ix_risk_identifiers_household_id"))

    op.drop_table("risk_identifiers")
    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_risk_assessments_queue")
        batch_op.drop_index(batch_op.f("ix_risk_assessments_household_id"))

    op.drop_table("risk_assessments")
    with op.batch_alter_table("aml_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_aml_cases_queue")
        batch_op.drop_index(batch_op.f("ix_aml_cases_person_id"))

    op.drop_table("aml_cases")
    op.drop_table("aml_reports")
    with op.batch_alter_table("aml_cdd", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aml_cdd_person_id"))

    op.drop_table("aml_cdd")
    op.drop_table("fraud_models")
