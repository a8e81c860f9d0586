"""Screening cases (筛查记录): every screening of a party at an occasion, its decision and matches (encrypted: the
link between a customer and a list is sensitive), the reviewer's decision, and clearances ("not the listed
party") that stop the same person being stopped again on the same, unchanged list entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class ScreeningCase(Base):
    __tablename__ = "screening_cases"
    __table_args__ = (
        Index("ix_screening_cases_status", "status", "created_at"),
        Index("ix_screening_cases_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    occasion: Mapped[str] = mapped_column(String(30))
    """application | claim_payment | beneficiary_change | list_change"""
    context: Mapped[str] = mapped_column(String(60))
    """What was being done, e.g. ``application:12`` or ``claim:7``."""
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    household_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("households.id"), default=None)
    party_role: Mapped[str] = mapped_column(String(20))
    """policyholder | insured | beneficiary | payee | customer"""
    subject_masked: Mapped[str] = mapped_column(String(60))
    decision: Mapped[str] = mapped_column(String(10))
    """pass | review | hit (the engine's)"""
    score: Mapped[float] = mapped_column(Float)
    engine_version: Mapped[str] = mapped_column(String(40))
    list_versions: Mapped[str] = mapped_column(String(200))
    matches_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12))
    """closed (pass) | open (review) | stopped (hit) | cleared | confirmed (reviewer's decision)"""
    reviewed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    review_note: Mapped[str | None] = mapped_column(String(500), default=None)


class ScreeningClearance(Base):
    """A reviewer found the person is not the listed party: no new review for that entry while it is unchanged."""

    __tablename__ = "screening_clearances"
    __table_args__ = (Index("ix_screening_clearances_person", "person_id", "list_code", "entry_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    list_code: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[str] = mapped_column(String(40))
    entry_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(IdType, ForeignKey("screening_cases.id"))
    cleared_at: Mapped[datetime] = mapped_column(UtcDateTime)
