"""Advice tables: the household's declared financial facts (encrypted) and protection-score snapshots."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class FinancialFacts(Base):
    """家庭财务信息: incomes, social insurance, debts, assets, education plans and cover held elsewhere.

    Incomes and debts are personal data: the whole declaration is one AES-256-GCM ciphertext (``payload_enc``,
    amounts inside in integer fen), readable only by the roles in ``advice.access`` and audited on every read.
    """

    __tablename__ = "advice_facts"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), unique=True)
    payload_enc: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)


class ScoreSnapshot(Base):
    """The household protection score at a point in time, with what triggered the computation (动态调整)."""

    __tablename__ = "advice_snapshots"
    __table_args__ = (Index("ix_advice_snapshots_household", "household_id", "computed_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    as_of: Mapped[date] = mapped_column(Date)
    trigger: Mapped[str] = mapped_column(String(30))
    score: Mapped[int] = mapped_column(Integer)
    assumptions_version: Mapped[str] = mapped_column(String(20))
    total_need: Mapped[Decimal] = mapped_column(Fen)
    total_gap: Mapped[Decimal] = mapped_column(Fen)
    gaps: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Gap by kind in fen ({"death": 123400, …}) and the reason codes."""
    widened: Mapped[bool] = mapped_column(Boolean)
    message_queued: Mapped[bool] = mapped_column(Boolean)
