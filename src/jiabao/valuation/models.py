"""Valuation runs, the assumption sets they used, and their results per policy and per group (product × annual
cohort × onerous or not). Amounts are integer fen (``*_fen``, BigInteger): results are written in bulk from
numpy arrays, and read back as ``Decimal`` yuan by the repository."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class AssumptionSetRecord(Base):
    """One version of the valuation assumptions (never changed once used: a change is a new version)."""

    __tablename__ = "valuation_assumption_sets"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ValuationRun(Base):
    __tablename__ = "valuation_runs"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    valuation_date: Mapped[date] = mapped_column(Date, index=True)
    assumption_set_id: Mapped[int] = mapped_column(IdType, ForeignKey("valuation_assumption_sets.id"))
    previous_run_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("valuation_runs.id"), default=None)
    executor: Mapped[str] = mapped_column(String(20))
    shards: Mapped[int] = mapped_column(Integer)
    policies: Mapped[int] = mapped_column(Integer)
    lines: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    totals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Book totals in fen by measure, for the page's headline figures."""


class ValuationPolicyResult(Base):
    __tablename__ = "valuation_policy_results"
    __table_args__ = (UniqueConstraint("run_id", "policy_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(IdType, ForeignKey("valuation_runs.id"))
    policy_id: Mapped[int] = mapped_column(IdType, ForeignKey("policies.id"))
    product_code: Mapped[str] = mapped_column(String(40))
    cohort: Mapped[int] = mapped_column(Integer)
    statutory_fen: Mapped[int] = mapped_column(BigInteger)
    pvr_fen: Mapped[int] = mapped_column(BigInteger)
    cash_value_fen: Mapped[int] = mapped_column(BigInteger)
    bel_fen: Mapped[int] = mapped_column(BigInteger)
    ra_fen: Mapped[int] = mapped_column(BigInteger)
    fcf0_fen: Mapped[int] = mapped_column(BigInteger)


class ValuationGroupResult(Base):
    """IFRS 17 group: product (portfolio) × annual cohort × onerous at initial recognition or not."""

    __tablename__ = "valuation_group_results"
    __table_args__ = (UniqueConstraint("run_id", "product_code", "cohort", "onerous"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(IdType, ForeignKey("valuation_runs.id"), index=True)
    product_code: Mapped[str] = mapped_column(String(40))
    cohort: Mapped[int] = mapped_column(Integer)
    onerous: Mapped[bool] = mapped_column(Boolean)
    policies: Mapped[int] = mapped_column(Integer)
    statutory_fen: Mapped[int] = mapped_column(BigInteger)
    pvr_fen: Mapped[int] = mapped_column(BigInteger)
    cash_value_fen: Mapped[int] = mapped_column(BigInteger)
    bel_fen: Mapped[int] = mapped_column(BigInteger)
    ra_fen: Mapped[int] = mapped_column(BigInteger)
    csm_fen: Mapped[int] = mapped_column(BigInteger)
    """CSM at initial recognition: −Σ FCF₀ of a profitable group, 0 for an onerous one."""
    loss_component_fen: Mapped[int] = mapped_column(BigInteger)
    """Loss at initial recognition: Σ FCF₀ of an onerous group, 0 otherwise."""
