"""Transactional outbox: side effects (SMS, e-mail, screening) are rows written in the same transaction as the
change, and delivered after commit by :func:`deliver_pending`. A rollback drops them with everything else."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from jiabao.db.base import Base, IdType, UtcDateTime

Handler = Callable[[dict[str, Any]], None]


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "delivered_at", "id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    topic: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)


def enqueue(session: Session, *, topic: str, payload: dict[str, Any], at: datetime) -> OutboxMessage:
    message = OutboxMessage(created_at=at, topic=topic, payload=payload, attempts=0)
    session.add(message)
    return message


def deliver_pending(session: Session, handlers: Mapping[str, Handler], *, now: datetime, limit: int = 100) -> int:
    """Deliver up to ``limit`` pending messages; a failing handler leaves its message pending with the error."""
    stmt = select(OutboxMessage).where(OutboxMessage.delivered_at.is_(None)).order_by(OutboxMessage.id)
    delivered = 0
    for message in session.scalars(stmt.limit(limit)):
        handler = handlers.get(message.topic)
        message.attempts += 1
        if handler is None:
            message.last_error = f"no handler for topic {message.topic}"
            continue
        try:
            handler(message.payload)
        except Exception as exc:  # a failed delivery is retried later, never lost
            message.last_error = repr(exc)[:500]
            continue
        message.delivered_at = now
        delivered += 1
    return delivered
