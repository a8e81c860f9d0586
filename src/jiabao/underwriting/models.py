"""Underwriting records (核保记录): every decision with the facts and knowledge-base version it used, and the
referral queue (转人工核保). Decisions are append-only: a human decision is a new row that supersedes the
engine's, so the engine's reasoning stays on file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class UnderwritingDecision(Base):
    __tablename__ = "uw_decisions"
    __table_args__ = (Index("ix_uw_decisions_application", "application_id", "person_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(IdType, ForeignKey("applications.id"))
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    kb_version: Mapped[str] = mapped_column(String(20))
    kb_digest: Mapped[str] = mapped_column(String(80))
    facts_enc: Mapped[bytes] = mapped_column(LargeBinary)
    """The engine's input (InsuredFacts + case context) as encrypted JSON: health answers are sensitive personal
    information (PIPL art. 28). Kept so the decision can be re-run on the same version."""
    result_enc: Mapped[bytes] = mapped_column(LargeBinary)
    """The engine's InsuredDecision (or the underwriter's decision) as encrypted JSON: its reasons name conditions."""
    conclusion: Mapped[str] = mapped_column(String(30))
    """The worst line conclusion (standard < rated < exclusion < … < declined), or the human conclusion."""
    automated: Mapped[bool] = mapped_column(Boolean)
    elapsed_ms: Mapped[float] = mapped_column(Float)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    supersedes_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("uw_decisions.id"), default=None)


class Referral(Base):
    """A case waiting for an underwriter (转人工核保队列)."""

    __tablename__ = "uw_referrals"
    __table_args__ = (Index("ix_uw_referrals_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    decision_id: Mapped[int] = mapped_column(IdType, ForeignKey("uw_decisions.id"), unique=True)
    application_id: Mapped[int] = mapped_column(IdType, ForeignKey("applications.id"), index=True)
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    status: Mapped[str] = mapped_column(String(20))  # open | taken | resolved
    reasons: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    taken_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    resolution_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("uw_decisions.id"), default=None)
