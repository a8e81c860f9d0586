"""Servicing (保全) records of their own: policy loans and automatic premium loans (保单贷款 / 自动垫交).

Every other servicing item is a ``ServiceRequest`` row (``policies.common.models``) with its result; a loan has
a life after its request — interest accrues daily until it is repaid or settled from a benefit — so it is a row
here. Amounts are integer fen in the database (``Fen``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class PolicyLoan(Base):
    """One loan against a policy's cash value; open while ``closed_on`` is None."""

    __tablename__ = "policy_loans"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    """``loan`` (保单贷款, asked for) or ``automatic`` (自动垫交: an unpaid premium lent at the end of grace)."""
    service_request_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("service_requests.id"), default=None)
    instalment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("instalments.id"), default=None)
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payments.id"), default=None)
    lent_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Fen)
    """The amount lent."""
    rate_bp: Mapped[int] = mapped_column(Integer)
    """Annual simple interest in basis points (500 = 5.00%), fixed for the loan's life."""
    principal: Mapped[Decimal] = mapped_column(Fen)
    """Principal still owed."""
    interest: Mapped[Decimal] = mapped_column(Fen)
    """Interest accrued up to ``accrued_to`` and not yet paid."""
    accrued_to: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    close_reason: Mapped[str | None] = mapped_column(String(30), default=None)
    """repaid | deducted (from a benefit, surrender or claim) | lapsed"""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Every repayment or deduction: {on, interest, principal, source}."""
