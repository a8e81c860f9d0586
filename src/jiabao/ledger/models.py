"""Ledger tables: journals (one money movement each) and their balanced entries, both append-only (triggers)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class LedgerJournal(Base):
    """One money movement of a household. ``source`` names the operating record it was posted from
    (``payment:12``, ``bill:3``, ``waiver:40``, ``due:40``) and is unique: a movement is posted exactly once."""

    __tablename__ = "ledger_journals"
    __table_args__ = (Index("ix_ledger_journals_household", "household_id", "occurred_on", "id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    movement: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(80), unique=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    policy_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("policies.id"), default=None)
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    """The member whose money it is: the payer of a premium, the payee of a refund or claim."""
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payments.id"), default=None, index=True)
    memo: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What the statement shows beside the amounts: instalments, claim and benefit, bill number."""


class LedgerEntry(Base):
    """One line of a journal: an account (per policy where the account is), signed fen (+ debit, − credit)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_household_account", "household_id", "account", "policy_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    journal_id: Mapped[int] = mapped_column(IdType, ForeignKey("ledger_journals.id"), index=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    account: Mapped[str] = mapped_column(String(30))
    policy_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("policies.id"), default=None)
    fen: Mapped[int] = mapped_column(BigInteger)
