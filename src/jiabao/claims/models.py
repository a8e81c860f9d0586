"""Claims (理赔): the claim as reported, its encrypted facts (diagnoses and bills are health data), every
assessment (append-only, with the rule-set version), the payable lines per policy, and invoice numbers already
claimed (duplicate-invoice check)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_household", "household_id", "reported_at"), Index("ix_claims_status", "status"))

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_no: Mapped[str] = mapped_column(String(24), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    insured_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    reported_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    proxy: Mapped[bool] = mapped_column(Boolean, default=False)
    """Filed by a family member for the insured (代人申请), with the insured's authorisation recorded."""
    channel: Mapped[str] = mapped_column(String(20))  # online | counter
    claim_type: Mapped[str] = mapped_column(String(30))
    event_date: Mapped[date] = mapped_column(Date)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(30))
    """received | referred | approved | paid | advance_paid | declined"""
    facts_enc: Mapped[bytes] = mapped_column(LargeBinary)
    claimed_amount: Mapped[Decimal] = mapped_column(Fen)
    approved_amount: Mapped[Decimal | None] = mapped_column(Fen, default=None)
    paid_amount: Mapped[Decimal] = mapped_column(Fen, default=Decimal(0))
    decision_due: Mapped[date] = mapped_column(Date)
    complex_case: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    payment_due: Mapped[date | None] = mapped_column(Date, default=None)
    notice_due: Mapped[date | None] = mapped_column(Date, default=None)
    account_enc: Mapped[bytes] = mapped_column(LargeBinary)
    account_masked: Mapped[str] = mapped_column(String(30))
    payee_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Non-medical working data only (deadlines, missing document codes, deductibles used)."""
    health_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    """Health data, encrypted like the facts (PIPL art. 28): the diseases, the decision's explanation, the
    rejection notice and the reasons the case is complex (``service.health`` / ``service.set_health``)."""


class ClaimAssessment(Base):
    """One run of the adjudication engine, or an adjuster's decision (append-only)."""

    __tablename__ = "claim_assessments"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"), index=True)
    rule_version: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(40))
    automated: Mapped[bool] = mapped_column(Boolean)
    result_enc: Mapped[bytes] = mapped_column(LargeBinary)
    elapsed_ms: Mapped[float] = mapped_column(Float)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)


class ClaimLine(Base):
    """What one household policy pays for one claim (一次理赔，家庭名下各保单分别赔付)."""

    __tablename__ = "claim_lines"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"), index=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"), index=True)
    benefit: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Fen)
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payments.id"), default=None)


class ClaimInvoice(Base):
    """An invoice number already claimed: the same invoice cannot be paid twice."""

    __tablename__ = "claim_invoices"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    invoice_no: Mapped[str] = mapped_column(String(60), unique=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"))
    amount: Mapped[Decimal] = mapped_column(Fen)


class ClaimDocument(Base):
    """An uploaded claim document (理赔资料): an image or PDF, type-checked by its magic bytes, stored encrypted.
    Uploaded to the household first and attached to the claim it supports (one claim only)."""

    __tablename__ = "claim_documents"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("claims.id"), index=True, default=None)
    kind: Mapped[str] = mapped_column(String(40))
    """The checklist code it stands for (``documents.yaml``), e.g. ``invoice``."""
    content_type: Mapped[str] = mapped_column(String(40))
    """From the magic bytes, never from the upload: image/jpeg, image/png or application/pdf."""
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data_enc: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    uploaded_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
