"""Users (用户) of the platform: customers, partners and staff; SMS verification codes; call-back requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    display_name: Mapped[str] = mapped_column(String(60))
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), index=True, default=None)
    language: Mapped[str] = mapped_column(String(5), default="zh")
    elderly_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    mobile_enc: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    """The sign-in mobile number (E.164), AES-GCM encrypted; ``mobile_bidx`` finds it, ``mobile_masked`` shows it."""
    mobile_bidx: Mapped[str | None] = mapped_column(String(32), unique=True, default=None)
    mobile_masked: Mapped[str | None] = mapped_column(String(20), default=None)


class SmsCode(Base):
    """A one-time SMS verification code (短信验证码). Only its keyed hash is kept; it expires, counts wrong
    entries and is used once. ``purpose`` is ``login``, ``signup`` or ``reset``."""

    __tablename__ = "sms_codes"
    __table_args__ = (Index("ix_sms_codes_mobile", "mobile_bidx", "created_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    mobile_bidx: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(String(10))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    """When the code was accepted, superseded by a newer one or used up by wrong entries."""


class CallbackRequest(Base):
    """A customer's "call me back" (请人工回电): a task in the service staff's queue until someone calls."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    topic: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(10), index=True, default="open")
    handled_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
