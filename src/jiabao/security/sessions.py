"""Server-side page sessions (issue 10, item 5): the signed cookie carries a random session id whose SHA-256 is
stored here; logging out revokes the row, so a copied or replayed cookie no longer opens anything."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jiabao.security.models import UserSession


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(session: Session, *, user_id: int, now: datetime, ttl_seconds: int) -> str:
    """A new session for the user; returns the id to put in the cookie (never stored in clear)."""
    session_id = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            id_hash=_hash(session_id),
            user_id=user_id,
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )
    )
    session.flush()
    return session_id


def user_of(session: Session, session_id: object, *, now: datetime) -> int | None:
    """The user of a live session, or None (unknown, revoked or expired)."""
    if not isinstance(session_id, str) or not 20 <= len(session_id) <= 100:
        return None
    row = session.get(UserSession, _hash(session_id))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row.user_id


def end(session: Session, session_id: object, *, now: datetime) -> None:
    if isinstance(session_id, str) and session_id:
        session.execute(
            update(UserSession)
            .where(UserSession.id_hash == _hash(session_id), UserSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def end_all(session: Session, user_id: int, *, now: datetime) -> int:
    """Revoke every open session of a user (log out everywhere, password change, account lock by staff)."""
    ids = session.scalars(
        select(UserSession.id_hash).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    ).all()
    if ids:
        session.execute(update(UserSession).where(UserSession.id_hash.in_(ids)).values(revoked_at=now))
    return len(ids)
