"""Where the outbox's internal topics go (docs/operations.md, "Outbox delivery").

The outbox (``jiabao.db.outbox``) carries, besides SMS and e-mail to customers (delivered by the gateways, outside
this code), three internal topics, each routed here to a place a person works from:

- ``staff`` — a complaint handler's deadline warnings: one notification in the **staff inbox** of the handler
  named in the message (``handler_id``), and, when ``copy_supervisor`` is set (overdue), one for every active admin
  (the supervisors);
- ``management`` — major complaints and the complaint early warnings: one notification for every active admin,
  the **management report recipients**;
- ``post`` — decision letters to complainants who chose post: one row in the **printable letter queue**
  (the letter's link and SHA-256, the person), which the back office prints and marks as posted.

Each delivery writes its rows in the delivering transaction; the outbox message is marked delivered in the same
transaction, so a crash delivers it again or not at all, never twice (the rows carry the outbox id, unique).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from jiabao.core.auth import Role
from jiabao.db.base import Base, IdType, UtcDateTime
from jiabao.db.outbox import OutboxMessage
from jiabao.identity.models import User


class StaffNotification(Base):
    """One message in one staff member's inbox."""

    __tablename__ = "staff_notifications"
    __table_args__ = (UniqueConstraint("outbox_id", "user_id", name="uq_staff_notifications_outbox_user"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(IdType, index=True)
    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"), index=True)
    topic: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class PostLetter(Base):
    """A letter waiting to be printed and posted (complaint decisions sent by post)."""

    __tablename__ = "post_letters"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(IdType, unique=True)
    person_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("persons.id"), default=None)
    kind: Mapped[str] = mapped_column(String(60))
    ref: Mapped[str | None] = mapped_column(String(40), default=None)
    link: Mapped[str | None] = mapped_column(String(200), default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


INTERNAL_TOPICS = ("staff", "management", "post")


def _admins(session: Session) -> list[int]:
    stmt = select(User.id).where(User.role == Role.ADMIN.value, User.active).order_by(User.id)
    return list(session.scalars(stmt))


def _notify(session: Session, message: OutboxMessage, users: list[int], now: datetime) -> None:
    payload = message.payload
    known = set(session.scalars(select(User.id).where(User.id.in_(users), User.active)))
    if not known:
        raise LookupError(f"no active recipient for a {message.topic} message")
    for user_id in (u for u in dict.fromkeys(users) if u in known):
        session.add(StaffNotification(outbox_id=message.id, user_id=user_id, topic=message.topic,
                                      kind=str(payload.get("kind", message.topic))[:60], payload=payload,
                                      created_at=now))  # fmt: skip
    session.flush()


def deliver_internal(session: Session, *, now: datetime, limit: int = 500) -> int:
    """Deliver pending ``staff`` / ``management`` / ``post`` messages; returns how many were delivered. Messages of
    other topics are left for their gateways. A failing message keeps its error and is retried next time."""
    pending = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.delivered_at.is_(None), OutboxMessage.topic.in_(INTERNAL_TOPICS))
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    delivered = 0
    for message in pending:
        message.attempts += 1
        try:
            with session.begin_nested():  # a failed handler leaves nothing half-written
                _route(session, message, now)
        except LookupError as exc:
            message.last_error = str(exc)[:500]
            continue
        message.delivered_at, message.last_error = now, None
        delivered += 1
    session.flush()
    return delivered


def _route(session: Session, message: OutboxMessage, now: datetime) -> None:
    payload = message.payload
    if message.topic == "staff":
        users = [int(payload["handler_id"])] if payload.get("handler_id") else []
        if payload.get("copy_supervisor") or not users:
            users += _admins(session)
        if not users:
            raise LookupError("no handler and no active admin for a staff message")
        _notify(session, message, users, now)
    elif message.topic == "management":
        admins = _admins(session)
        if not admins:
            raise LookupError("no active admin to receive management reports")
        _notify(session, message, admins, now)
    else:  # post
        session.add(PostLetter(outbox_id=message.id, person_id=payload.get("person_id"),
                               kind=str(payload.get("kind", "letter"))[:60], ref=payload.get("ref"),
                               link=payload.get("link"), sha256=payload.get("sha256"), created_at=now))  # fmt: skip
        session.flush()


def inbox(session: Session, user_id: int, *, unread_only: bool = False) -> list[StaffNotification]:
    """A staff member's notifications, newest first."""
    stmt = select(StaffNotification).where(StaffNotification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(StaffNotification.read_at.is_(None))
    return list(session.scalars(stmt.order_by(StaffNotification.id.desc())))


def letters_to_post(session: Session) -> list[PostLetter]:
    """The printable letter queue: letters not yet posted, oldest first."""
    stmt = select(PostLetter).where(PostLetter.posted_at.is_(None)).order_by(PostLetter.id)
    return list(session.scalars(stmt))
