"""Queries for users."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.identity.models import User


def by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)
