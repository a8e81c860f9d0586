"""Applications (投保单) and their insured members. Policies, payments and servicing join them in later steps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class Application(Base):
    """One product applied for by one policyholder for one or more household members (家庭投保)."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_household", "household_id", "created_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    policyholder_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    product_code: Mapped[str] = mapped_column(String(40))
    product_version: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), index=True)
    frequency: Mapped[str] = mapped_column(String(20))
    payment_term: Mapped[int] = mapped_column(Integer)
    coverage: Mapped[int | None] = mapped_column(Integer, default=None)
    annual_premium: Mapped[Decimal] = mapped_column(Fen)
    instalment: Mapped[Decimal] = mapped_column(Fen)
    basis: Mapped[str] = mapped_column(String(60))
    quote: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    """The priced quote at application time (premiums, basis, cash values) — what the customer saw."""
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Confirmation step: consents, suitability (with any override), beneficiaries, disclosures acknowledged,
    dual-recording requirement."""
    created_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    insureds: Mapped[list[ApplicationInsured]] = relationship(
        back_populates="application", lazy="raise", order_by="ApplicationInsured.id"
    )


class ApplicationInsured(Base):
    __tablename__ = "application_insureds"
    __table_args__ = (Index("ix_application_insureds_app", "application_id", "person_id", unique=True),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(IdType, ForeignKey("applications.id"))
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    sum_assured: Mapped[Decimal] = mapped_column(Fen)
    annual_premium: Mapped[Decimal] = mapped_column(Fen)
    uw_status: Mapped[str] = mapped_column(String(30))
    """questionnaire | decided | referred"""
    conclusion: Mapped[str | None] = mapped_column(String(30), default=None)
    decision_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("uw_decisions.id"), default=None)
    standard_premium: Mapped[Decimal | None] = mapped_column(Fen, default=None)
    """The premium at standard rates (标准保费); ``annual_premium`` adds the underwriting extras to it."""
    extra_premium_percent: Mapped[int | None] = mapped_column(Integer, default=None)
    """The rating (加费) in percent of the standard premium, from the underwriting decision."""
    flat_extra: Mapped[Decimal | None] = mapped_column(Fen, default=None)
    """Flat extra premium a year (‰ of the sum assured), charged for ``flat_extra_years`` (None: every year)."""
    flat_extra_years: Mapped[int | None] = mapped_column(Integer, default=None)
    exclusions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    """Exclusion clauses (除外责任) agreed at underwriting: [{code, line, wording_zh, wording_en}]."""
    declared_death_cover: Mapped[Decimal | None] = mapped_column(Fen, default=None)
    """Death cover with other insurers the applicant declared for this insured (minors' cap, 保监发〔2015〕90号)."""

    application: Mapped[Application] = relationship(back_populates="insureds", lazy="raise")
