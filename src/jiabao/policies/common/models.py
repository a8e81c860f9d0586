"""Policies (保单), their insured members, beneficiaries, premium instalments, payments, return visits,
servicing requests (保全), cases and dual-recording records. History is kept: nothing is overwritten that a
later reader would need (beneficiary designations are versioned; payments and instalments are append-only)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class Policy(Base):
    __tablename__ = "policies"
    __table_args__ = (Index("ix_policies_household", "household_id", "status"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_no: Mapped[str] = mapped_column(String(24), unique=True)
    application_id: Mapped[int] = mapped_column(IdType, ForeignKey("applications.id"), unique=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    policyholder_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    product_code: Mapped[str] = mapped_column(String(40))
    product_version: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    """in_force | in_grace | suspended | terminated | cancelled | surrendered"""
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    effective_date: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date)
    cooling_off_end: Mapped[date] = mapped_column(Date)
    frequency: Mapped[str] = mapped_column(String(20))
    payment_term: Mapped[int] = mapped_column(Integer)
    cover_years: Mapped[int | None] = mapped_column(Integer, default=None)
    annual_premium: Mapped[Decimal] = mapped_column(Fen)
    instalment: Mapped[Decimal] = mapped_column(Fen)
    basis: Mapped[str] = mapped_column(String(60))
    premium_waived_from: Mapped[date | None] = mapped_column(Date, default=None)
    suspended_on: Mapped[date | None] = mapped_column(Date, default=None)
    reinstated_on: Mapped[list[str]] = mapped_column(JSON, default=list)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    end_reason: Mapped[str | None] = mapped_column(String(30), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Quote at issue (premiums, cash values), consents, suitability, disclosures acknowledged, dual recording."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    insureds: Mapped[list[PolicyInsured]] = relationship(lazy="raise", order_by="PolicyInsured.id")


class PolicyInsured(Base):
    """A covered member (被保险人) with the sum assured and underwriting terms; effective-dated."""

    __tablename__ = "policy_insureds"
    __table_args__ = (Index("ix_policy_insureds_person", "person_id", "status"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"), index=True)
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    sum_assured: Mapped[Decimal] = mapped_column(Fen)
    annual_premium: Mapped[Decimal] = mapped_column(Fen)
    conclusion: Mapped[str] = mapped_column(String(30))
    decision_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("uw_decisions.id"), default=None)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="active")
    standard_premium: Mapped[Decimal | None] = mapped_column(Fen, default=None)
    """The premium at standard rates; ``annual_premium`` is what is charged (see ``policies.common.premiums``)."""
    extra_premium_percent: Mapped[int | None] = mapped_column(Integer, default=None)
    flat_extra: Mapped[Decimal | None] = mapped_column(Fen, default=None)
    flat_extra_years: Mapped[int | None] = mapped_column(Integer, default=None)
    exclusions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    """Exclusion clauses (除外责任) printed on the policy: [{code, line, wording_zh, wording_en}]."""


class BeneficiaryDesignation(Base):
    """One version of a beneficiary designation (受益人指定) for one insured; a change adds a version."""

    __tablename__ = "beneficiary_designations"
    __table_args__ = (UniqueConstraint("policy_id", "insured_person_id", "version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"))
    insured_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    version: Mapped[int] = mapped_column(Integer)
    legal_heirs: Mapped[bool] = mapped_column(Boolean)
    beneficiaries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """[{name, relationship, order, share}] — shares are percentages; empty with legal_heirs (法定继承人)."""
    effective_at: Mapped[datetime] = mapped_column(UtcDateTime)
    insured_consent: Mapped[bool] = mapped_column(Boolean)
    service_request_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("service_requests.id"), default=None)


class Instalment(Base):
    """One premium due (应缴保费) and, once paid, the payment that paid it."""

    __tablename__ = "instalments"
    __table_args__ = (UniqueConstraint("policy_id", "seq"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"))
    seq: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Fen)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payments.id"), default=None)
    waived: Mapped[bool] = mapped_column(Boolean, default=False)


class Payment(Base):
    """Money in (premiums) or out (refunds, surrenders, claims). The idempotency key makes a repeated submission
    return the first result instead of charging again."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    application_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("applications.id"), index=True, default=None)
    policy_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("policies.id"), index=True, default=None)
    amount: Mapped[Decimal] = mapped_column(Fen)
    account_enc: Mapped[bytes] = mapped_column(LargeBinary)
    account_masked: Mapped[str] = mapped_column(String(30))
    holder_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReturnVisit(Base):
    """The electronic return visit (电子回访) inside the cooling-off period."""

    __tablename__ = "return_visits"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"), index=True)
    status: Mapped[str] = mapped_column(String(30))  # pending | code_sent | passed | mis_selling | needs_human
    elderly: Mapped[bool] = mapped_column(Boolean)
    due_on: Mapped[date] = mapped_column(Date)
    code_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    code_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ServiceRequest(Base):
    """A servicing request (保全申请) with the channel it came through and its service-level deadlines."""

    __tablename__ = "service_requests"
    __table_args__ = (Index("ix_service_requests_policy", "policy_id", "requested_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"))
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20))  # accepted | completed | rejected
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accept_due: Mapped[date] = mapped_column(Date)
    complete_due: Mapped[date] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    requested_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ServiceCase(Base):
    """A case to settle: a mis-selling finding from a return visit (15 working days, someone other than the seller)."""

    __tablename__ = "service_cases"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_on: Mapped[date] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class DualRecording(Base):
    """The sales recording record (双录): file reference, key segments checklist, QC sampling."""

    __tablename__ = "dual_recordings"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(IdType, ForeignKey("applications.id"), unique=True)
    requirement: Mapped[str] = mapped_column(String(30))
    file_ref: Mapped[str] = mapped_column(String(200))
    segments: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    qc_selected: Mapped[bool] = mapped_column(Boolean)
    qc_status: Mapped[str] = mapped_column(String(20))  # not_selected | pending | passed | failed
