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
    channel: Mapped[str] = mapped_column(String(20))  # online | counter | phone (reported by phone, 电话报案)
    claim_type: Mapped[str] = mapped_column(String(30))
    event_date: Mapped[date] = mapped_column(Date)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(30))
    """received | referred | documents_requested | approved | paid | advance_paid | declined | appealed"""
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


class ClaimDocumentRequest(Base):
    """A request for further documents (补充资料通知): one notice listing everything missing (一次性告知). The
    decision clock stands still from ``requested_on`` until ``received_on`` (SPC Interp. II art. 15)."""

    __tablename__ = "claim_document_requests"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"), index=True)
    kinds: Mapped[list[str]] = mapped_column(JSON)
    """The checklist codes requested (``documents.yaml``)."""
    requested_on: Mapped[date] = mapped_column(Date)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    requested_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    received_on: Mapped[date | None] = mapped_column(Date, default=None)


class ClaimInvestigation(Base):
    """An investigation task (理赔调查: hospital records, site visit …) assigned to a person, with its outcome;
    while one is open the claim cannot be decided."""

    __tablename__ = "claim_investigations"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    assigned_to: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    assigned_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    """confirmed | contradicted | inconclusive"""
    findings_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    """The instructions and findings (may name diagnoses: health data, encrypted)."""


class ClaimReunderwriting(Base):
    """二次核保: the underwriting engine re-run at the knowledge-base version in force at issue on the disclosed facts
    plus the condition the claim revealed; what it would have concluded and the effect on the claim."""

    __tablename__ = "claim_reunderwritings"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"), index=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"))
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    kb_version: Mapped[str] = mapped_column(String(20))
    conclusion: Mapped[str] = mapped_column(String(30))
    effect: Mapped[str] = mapped_column(String(30))
    """pay | pay_excluding | refer_rescission | underwriter_review"""
    result_enc: Mapped[bytes] = mapped_column(LargeBinary)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)


class ClaimBeneficiary(Base):
    """A death benefit's recipient for one policy: a named beneficiary or a legal heir, the share and its amount,
    paid to the recipient's own account."""

    __tablename__ = "claim_beneficiaries"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"), index=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"))
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    name: Mapped[str] = mapped_column(String(60))
    basis: Mapped[str] = mapped_column(String(20))
    """named | heir_first | heir_second"""
    share: Mapped[str] = mapped_column(String(12))
    """Percent of the policy's benefit (Decimal as text)."""
    amount: Mapped[Decimal | None] = mapped_column(Fen, default=None)
    account_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    account_masked: Mapped[str | None] = mapped_column(String(30), default=None)
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payments.id"), default=None)


class ClaimAppeal(Base):
    """An appeal against a decline (理赔复核申请), decided by a person other than the one who declined."""

    __tablename__ = "claim_appeals"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(IdType, ForeignKey("claims.id"), index=True)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    filed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    channel: Mapped[str] = mapped_column(String(20))
    grounds_enc: Mapped[bytes] = mapped_column(LargeBinary)
    declined_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    """The adjuster whose decline is appealed (None: the engine declined)."""
    status: Mapped[str] = mapped_column(String(20))
    """open | upheld | overturned"""
    decided_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    letter_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    """The decision letter (复核决定书), zh and en, encrypted (it may give a medical reason)."""
