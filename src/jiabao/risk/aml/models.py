"""AML tables: cases (large-value transactions and suspicious patterns), the report files sent, and customer due
diligence records. Every row carries the date it must be kept until (AML Law 2024 art. 34: 10 years)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, Fen, IdType, UtcDateTime


class AmlCase(Base):
    """A large-value transaction to report, or a suspicious pattern for a person to review."""

    __tablename__ = "aml_cases"
    __table_args__ = (Index("ix_aml_cases_queue", "kind", "status", "day"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    case_no: Mapped[str] = mapped_column(String(24), unique=True)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    """Rule, person and day (or policies): a rescan never opens the same case twice."""
    kind: Mapped[str] = mapped_column(String(20))  # large_value | suspicious
    rule: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    """Trade date (large-value) or the day the pattern was complete (suspicious)."""
    amount: Mapped[Decimal] = mapped_column(Fen)
    direction: Mapped[str | None] = mapped_column(String(3), default=None)
    txn_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    policy_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20))
    """large_value: pending → reported; suspicious: open → reported | dismissed"""
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    analysis: Mapped[str | None] = mapped_column(String(2000), default=None)
    """The reviewer's analysis (reported) or the recorded reason not to report (dismissed)."""
    report_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("aml_reports.id"), default=None)
    retain_until: Mapped[date] = mapped_column(Date)


class AmlReport(Base):
    """One report file (大额 LVTR / 可疑 STR) as generated and filed; the file is kept encrypted (it holds clear
    identity numbers) with its digest."""

    __tablename__ = "aml_reports"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    report_no: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # LVTR | STR
    generated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    generated_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    filed_on: Mapped[date] = mapped_column(Date)
    records: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[bool] = mapped_column(Boolean)
    """Every record filed on or before its due date."""
    content_enc: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    digest: Mapped[str] = mapped_column(String(64))
    retain_until: Mapped[date] = mapped_column(Date)


class AmlCdd(Base):
    """A customer due-diligence requirement raised by a transaction or a designation, and its completion."""

    __tablename__ = "aml_cdd"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(60), unique=True)
    """What raised it, e.g. ``payment:12`` or ``beneficiaries:3:1`` (policy, version)."""
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"), index=True)
    event: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(20))
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))  # required | completed
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    completed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    retain_until: Mapped[date] = mapped_column(Date)
