"""Complaints (客户声音): the complaint with its routing, time limit and decision; every step (append-only
events, the clock events among them); the letters sent with proof of delivery; warnings sent to management.

The complainant's name (for a proxy or heir), contact phone and the complaint text are personal data: encrypted
with the PII cipher, masked forms stored beside them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_household", "household_id", "received_on"),
        Index("ix_complaints_received", "received_on", "category"),
        Index("ix_complaints_status", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    """Our complaint number, or the reference of an imported batch row (re-import by ref changes nothing)."""
    regulator_ref: Mapped[str | None] = mapped_column(String(60), default=None)
    channel: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    complainant_kind: Mapped[str] = mapped_column(String(20))
    complainant_person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    complainant_name_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    complainant_name_masked: Mapped[str | None] = mapped_column(String(30), default=None)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    phone_masked: Mapped[str | None] = mapped_column(String(20), default=None)
    delivery: Mapped[str] = mapped_column(String(10), default="sms")  # sms | email | letter
    household_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("households.id"), default=None)
    policy_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    claim_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("claims.id"), default=None)
    category: Mapped[str] = mapped_column(String(20))
    subcategory: Mapped[str | None] = mapped_column(String(30), default=None)
    suggested_category: Mapped[str | None] = mapped_column(String(20), default=None)
    suggested_subcategory: Mapped[str | None] = mapped_column(String(30), default=None)
    suggestion_score: Mapped[float | None] = mapped_column(Float, default=None)
    category_confirmed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    product_line: Mapped[str] = mapped_column(String(20))
    product_code: Mapped[str | None] = mapped_column(String(40), default=None)
    region: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    subject_user_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    """The person complained about (never handles it)."""
    summary_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(String(30), default=None)
    handler_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), index=True, default=None)
    recused: Mapped[list[int]] = mapped_column(JSON, default=list)
    elderly: Mapped[bool] = mapped_column(Boolean, default=False)
    group_size: Mapped[int] = mapped_column(Integer, default=1)
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    major_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    limit_days: Mapped[int] = mapped_column(Integer, default=15)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    """The last day for the decision as the clock stands (None while paused); kept with every clock event."""
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str | None] = mapped_column(String(20), default=None)  # upheld | partly_upheld | not_upheld
    decision: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    letter_delivered_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_requested_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_due: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    root_cause: Mapped[str | None] = mapped_column(String(200), default=None)
    action: Mapped[str | None] = mapped_column(String(300), default=None)
    action_status: Mapped[str | None] = mapped_column(String(20), default=None)  # open | done
    created_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ComplaintEvent(Base):
    """One step of a complaint (append-only): received, routed, clock events, decided, delivered, review…"""

    __tablename__ = "complaint_events"
    __table_args__ = (Index("ix_complaint_events_complaint", "complaint_id", "id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(IdType, ForeignKey("complaints.id"))
    kind: Mapped[str] = mapped_column(String(30))
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    approved_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ComplaintLetter(Base):
    """A decision (or review) letter as sent, with the proof of delivery kept (art. 21)."""

    __tablename__ = "complaint_letters"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(IdType, ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # decision | review
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(10))  # sms | email | letter
    recipient_masked: Mapped[str | None] = mapped_column(String(40), default=None)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    outbox_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("outbox.id"), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    proof: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What shows it arrived: the channel's receipt, the customer opening it online, or the postal tracking number."""


class ComplaintWarning(Base):
    """An early warning (事前预警) sent to management, once per month and cell."""

    __tablename__ = "complaint_warnings"
    __table_args__ = (UniqueConstraint("month", "key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    month: Mapped[str] = mapped_column(String(7))
    key: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(20), default=None)
    region: Mapped[str | None] = mapped_column(String(20), default=None)
    product_line: Mapped[str | None] = mapped_column(String(20), default=None)
    partner_id: Mapped[int | None] = mapped_column(IdType, default=None)
    observed: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
