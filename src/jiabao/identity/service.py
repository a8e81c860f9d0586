"""Log-in, users and preferences. Passwords are argon2id hashes; tokens carry a version that logout bumps."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from jiabao.core.auth import Principal, Role, hash_password, needs_rehash, verify_password
from jiabao.core.errors import Conflict, NotAuthenticated
from jiabao.db import audit
from jiabao.identity import repository
from jiabao.identity.models import User

# Verified against when the user does not exist, so a wrong username costs the same time as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password")


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class Preferences(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(default=None, pattern="^(zh|en)$")
    elderly_mode: bool | None = None


class UserOut(BaseModel):
    id: int
    username: str
    role: Role
    display_name: str
    person_id: int | None
    language: str
    elderly_mode: bool


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        role=Role(user.role),
        username=user.username,
        display_name=user.display_name,
        person_id=user.person_id,
        language=user.language,
        elderly_mode=user.elderly_mode,
    )


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=Role(user.role),
        display_name=user.display_name,
        person_id=user.person_id,
        language=user.language,
        elderly_mode=user.elderly_mode,
    )


def authenticate(session: Session, credentials: Credentials, *, now: datetime) -> User:
    """Check a username and password; failures are audited and say nothing about which part was wrong."""
    user = repository.by_username(session, credentials.username)
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, credentials.password)
    if user is None or not ok or not user.active:
        audit.record(
            session,
            at=now,
            actor_id=user.id if user else None,
            actor_role="anonymous",
            action="auth.login_failed",
            entity="user",
            entity_id=user.id if user else "-",
        )
        raise NotAuthenticated("Wrong username or password", "用户名或密码错误", code="bad_credentials")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(credentials.password)
    audit.record(
        session,
        at=now,
        actor_id=user.id,
        actor_role=user.role,
        action="auth.login",
        entity="user",
        entity_id=user.id,
    )
    return user


def user_for_token(session: Session, user_id: int, version: int) -> User | None:
    user = repository.by_id(session, user_id)
    if user is None or not user.active or user.token_version != version:
        return None
    return user


_TOKEN_CALLER = select(
    User.id, User.role, User.username, User.display_name, User.person_id, User.language, User.elderly_mode
).where(User.id == bindparam("user_id"), User.active.is_(True), User.token_version == bindparam("version"))
"""Built once: the statement every API request runs (its compiled form is cached; no ORM entity is loaded)."""


def principal_for_token(session: Session, user_id: int, version: int) -> Principal | None:
    """The caller a bearer token names, read afresh on every request (one indexed row, a handful of columns):
    a revoked token (``token_version`` bumped) or a deactivated user is refused at once, in every process."""
    row = session.execute(_TOKEN_CALLER, {"user_id": user_id, "version": version}).first()
    if row is None:
        return None
    return Principal(
        user_id=row.id,
        role=Role(row.role),
        username=row.username,
        display_name=row.display_name,
        person_id=row.person_id,
        language=row.language,
        elderly_mode=row.elderly_mode,
    )


def active_user(session: Session, user_id: int) -> User | None:
    user = repository.by_id(session, user_id)
    return user if user is not None and user.active else None


def revoke_tokens(session: Session, user_id: int) -> None:
    user = repository.by_id(session, user_id)
    if user is not None:
        user.token_version += 1


def set_preferences(session: Session, user_id: int, prefs: Preferences) -> User:
    user = repository.by_id(session, user_id)
    if user is None:
        raise NotAuthenticated()
    if prefs.language is not None:
        user.language = prefs.language
    if prefs.elderly_mode is not None:
        user.elderly_mode = prefs.elderly_mode
    session.flush()
    return user


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    now: datetime,
    person_id: int | None = None,
    elderly_mode: bool = False,
) -> User:
    if repository.by_username(session, username) is not None:
        raise Conflict(f"User {username} exists", f"用户 {username} 已存在", code="user_exists")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        display_name=display_name,
        person_id=person_id,
        language="zh",
        elderly_mode=elderly_mode,
        active=True,
        token_version=0,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user
