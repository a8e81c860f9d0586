"""Partner network tables: partners, dated memberships, licences, attribution, commission plans, runs, lines,
payment instructions and quality reviews. Money in integer fen (``Fen``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class Partner(Base):
    """合伙人: regional, team, institutional (bank, internet platform) or individual; its log-in user, what it may
    sell (products, channels) and where (region-code prefixes)."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    institution_type: Mapped[str | None] = mapped_column(String(20), default=None)  # bank | internet_platform
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | left | suspended
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)
    review: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"reasons": [...], "since": "..."}
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)


class Membership(Base):
    """Who belonged to which team or region when: ``valid_to`` exclusive, null while current."""

    __tablename__ = "partner_memberships"
    __table_args__ = (Index("ix_partner_memberships_partner", "partner_id", "valid_from"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(IdType, ForeignKey("partners.id"))
    parent_id: Mapped[int] = mapped_column(IdType, ForeignKey("partners.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)


class Licence(Base):
    """执业登记 (a person's practice registration), 机构许可 (an institution's licence) or the insurer's
    authorisation (委托授权, optionally limited to products), each with its validity."""

    __tablename__ = "partner_licences"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    partner_id: Mapped[int] = mapped_column(IdType, ForeignKey("partners.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)
    revoked_on: Mapped[date | None] = mapped_column(Date, default=None)
    products: Mapped[list[str] | None] = mapped_column(JSON, default=None)


class Attribution(Base):
    """Who sold and who services an application, policy, renewal or servicing request (one row per subject; a
    change of servicing partner updates ``servicing_partner_id`` and is audited)."""

    __tablename__ = "partner_attributions"
    __table_args__ = (
        UniqueConstraint("subject", "subject_id", name="uq_partner_attributions_subject"),
        Index("ix_partner_attributions_servicing", "servicing_partner_id", "subject"),
        Index("ix_partner_attributions_selling", "selling_partner_id", "subject"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(20))  # application | policy | renewal | service_request
    subject_id: Mapped[int] = mapped_column(IdType)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    selling_partner_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("partners.id"), default=None)
    servicing_partner_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("partners.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CommissionPlan(Base):
    """A version of a commission plan: draft until approved (the 报行合一 check), in force from ``effective_from``."""

    __tablename__ = "commission_plans"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_commission_plans_code_version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # draft | approved | refused
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    approved_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    refusal: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)


class CommissionRun(Base):
    """One computation of a month (sequence 1 is the first; later ones post only adjustments)."""

    __tablename__ = "commission_runs"
    __table_args__ = (UniqueConstraint("month", "seq", name="uq_commission_runs_month_seq"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # computed | approved | paid
    events: Mapped[int] = mapped_column(Integer)
    lines_written: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Fen)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    computed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    approved_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)


class CommissionLine(Base):
    """One posted amount; never updated. A correction is a new line with ``adjustment`` set."""

    __tablename__ = "commission_lines"
    __table_args__ = (
        Index("ix_commission_lines_month_partner", "month", "partner_id"),
        Index("ix_commission_lines_policy", "policy_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(IdType, ForeignKey("commission_runs.id"))
    month: Mapped[str] = mapped_column(String(7))
    partner_id: Mapped[int] = mapped_column(IdType, ForeignKey("partners.id"))
    policy_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("policies.id"), default=None)
    ref: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    base: Mapped[Decimal] = mapped_column(Fen)
    rate: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    amount: Mapped[Decimal] = mapped_column(Fen)
    adjustment: Mapped[bool] = mapped_column(Boolean, default=False)


class PaymentInstruction(Base):
    """What finance pays a partner for a month once the run is approved (net of tax; a negative net pays nothing
    and is carried forward)."""

    __tablename__ = "commission_payments"
    __table_args__ = (UniqueConstraint("run_id", "partner_id", name="uq_commission_payments_run_partner"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(IdType, ForeignKey("commission_runs.id"))
    month: Mapped[str] = mapped_column(String(7), index=True)
    partner_id: Mapped[int] = mapped_column(IdType, ForeignKey("partners.id"))
    gross: Mapped[Decimal] = mapped_column(Fen)
    tax: Mapped[Decimal] = mapped_column(Fen)
    amount: Mapped[Decimal] = mapped_column(Fen)
    status: Mapped[str] = mapped_column(String(20))  # pending | paid
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
