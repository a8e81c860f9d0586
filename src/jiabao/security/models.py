"""Tables of the security and privacy domain: server-side sessions, log-in throttling, key canaries, key-rotation
and retention progress, personal-information requests and consents (issue 10)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime


class UserSession(Base):
    """A page log-in. The cookie carries a random id; the database keeps only its SHA-256, so logging out (or an
    administrator) ends it for good: a replayed cookie is refused."""

    __tablename__ = "user_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class LoginThrottle(Base):
    """Failed log-ins per account or per client address (keyed hash): growing delays, then a temporary lock."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("scope", "key_hash", name="uq_login_throttle_scope_key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(10))
    """``account`` or ``address``."""
    key_hash: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class KeyCanary(Base):
    """A value sealed with each key at first start: a wrong or changed key no longer opens it, and the platform
    refuses to start instead of mixing two keys in one database."""

    __tablename__ = "key_canaries"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class JobProgress(Base):
    """Where a long batch job (key rotation, retention) stands: it resumes after the last id it committed."""

    __tablename__ = "job_progress"
    __table_args__ = (UniqueConstraint("job", "part", name="uq_job_progress_job_part"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(String(40))
    part: Mapped[str] = mapped_column(String(60))
    last_id: Mapped[int] = mapped_column(IdType, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PrivacyRequest(Base):
    """A data subject's request under PIPL arts. 44-47: export, consent withdrawal, deletion."""

    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    household_id: Mapped[int] = mapped_column(IdType, ForeignKey("households.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_on: Mapped[datetime] = mapped_column(UtcDateTime)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ConsentRecord(Base):
    """The current state of an optional consent per person (withdrawal is as easy as giving it: PIPL art. 15)."""

    __tablename__ = "privacy_consents"
    __table_args__ = (UniqueConstraint("person_id", "kind", name="uq_privacy_consents_person_kind"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(IdType, ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"), default=None)
