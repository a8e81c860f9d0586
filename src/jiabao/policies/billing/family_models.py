"""Family billing tables (issue 12 item 2): the household's designated family payment account, the family bill
(one debit for every instalment of the household's policies falling due in a period) and its items."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class FamilyPaymentAccount(Base):
    """家庭缴费账户: encrypted like every account (AES-256-GCM, column-bound), masked for display; a new
    designation ends the previous one (kept, never overwritten)."""

    __tablename__ = "family_payment_accounts"
    __table_args__ = (Index("ix_family_payment_accounts_household", "household_id", "active"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    holder_person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    account_enc: Mapped[bytes] = mapped_column(LargeBinary)
    account_masked: Mapped[str] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean)
    designated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    designated_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class FamilyBill(Base):
    """One bill for a household and a period: ``open`` (drawn up), ``paid`` (one debit collected every item still
    due) or ``failed`` (the debit was declined: every instalment stays due with its own grace period)."""

    __tablename__ = "family_bills"
    __table_args__ = (Index("ix_family_bills_household", "household_id", "period_start", unique=True),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    bill_no: Mapped[str] = mapped_column(String(24), unique=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(Fen)
    status: Mapped[str] = mapped_column(String(20), index=True)
    payment_account_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("family_payment_accounts.id"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Every debit attempt: {key, at, amount, outcome, reason, account_masked} — the scoped idempotency key of a
    collection is here, so a repeated request returns the first outcome."""
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class FamilyBillItem(Base):
    """An instalment on a family bill and, once collected, the per-policy payment that paid it."""

    __tablename__ = "family_bill_items"
    __table_args__ = (UniqueConstraint("bill_id", "instalment_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    bill_id: Mapped[int] = mapped_column(IdType, ForeignKey("family_bills.id"))
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"))
    instalment_id: Mapped[int] = mapped_column(IdType, ForeignKey("instalments.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Fen)
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payments.id"), default=None)
