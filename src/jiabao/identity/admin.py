"""User administration (issue 11, item 7): an administrator creates staff users, changes a role, disables or
re-enables an account. Every change is audited; a changed or disabled user's sessions and tokens end at once, so
new permissions apply from the next request (no stale role in a live session)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.core.auth import Principal, Role
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied
from jiabao.db import audit
from jiabao.identity import repository
from jiabao.identity.models import User
from jiabao.identity.service import create_user

STAFF_ASSIGNABLE = (
    Role.PARTNER,
    Role.UNDERWRITER,
    Role.CLAIMS,
    Role.SERVICE,
    Role.RISK,
    Role.ACTUARY,
    Role.ADMIN,
    Role.AUDITOR,
)
"""Roles an administrator may give. Customers sign up themselves (their account is tied to a verified person)."""


class StaffUserIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=3, max_length=60, pattern=r"^[a-z][a-z0-9_.-]*$")
    display_name: str = Field(min_length=1, max_length=60)
    role: Role
    password: str = Field(min_length=10, max_length=200)


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    active: bool | None = None


class UserRow(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    mobile_masked: str | None
    created_at: datetime


def _row(user: User) -> UserRow:
    return UserRow(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        active=user.active,
        mobile_masked=user.mobile_masked,
        created_at=user.created_at,
    )


def _ensure_admin(principal: Principal) -> None:
    if principal.role is not Role.ADMIN:
        raise PermissionDenied()


def list_users(session: Session, principal: Principal, *, role: Role | None = None, limit: int = 200) -> list[UserRow]:
    _ensure_admin(principal)
    stmt = select(User).order_by(User.role, User.username).limit(limit)
    if role is not None:
        stmt = stmt.where(User.role == role.value)
    return [_row(u) for u in session.scalars(stmt)]


def _record(
    session: Session, principal: Principal, now: datetime, action: str, user: User, detail: dict[str, object]
) -> None:
    audit.record(
        session, at=now, actor_id=principal.user_id, actor_role=principal.role.value, action=action,
        entity="user", entity_id=user.id, detail=detail,
    )  # fmt: skip


def _role_problem(role: Role) -> InvalidInput:
    zh, en = "只能分配合作伙伴或内部员工角色", "Only partner or staff roles can be given here"
    return InvalidInput(en, zh, fields=(FieldProblem("role", "role_not_assignable", zh, en),))


def create_staff(session: Session, principal: Principal, data: StaffUserIn, *, now: datetime) -> UserRow:
    _ensure_admin(principal)
    if data.role not in STAFF_ASSIGNABLE:
        raise _role_problem(data.role)
    if repository.by_username(session, data.username) is not None:
        zh, en = "该用户名已被使用", "This username is taken"
        raise Conflict(en, zh, code="user_exists", fields=(FieldProblem("username", "user_exists", zh, en),))
    user = create_user(
        session, username=data.username, password=data.password, role=data.role,
        display_name=data.display_name, now=now,
    )  # fmt: skip
    _record(session, principal, now, "admin.user_created", user, {"role": data.role.value})
    return _row(user)


def change_user(session: Session, principal: Principal, user_id: int, change: UserChange, *, now: datetime) -> UserRow:
    """Change a role or enable/disable; the user's sessions and tokens end (token version bumped)."""
    _ensure_admin(principal)
    user = repository.by_id(session, user_id)
    if user is None:
        raise NotFound("User not found", "未找到该用户", code="user_not_found")
    if user.id == principal.user_id:
        zh, en = "不能修改自己的角色或停用自己的账户", "You cannot change your own role or disable yourself"
        raise Conflict(en, zh, code="own_account")
    changed: dict[str, object] = {}
    if change.role is not None and change.role.value != user.role:
        if change.role not in STAFF_ASSIGNABLE or user.role == Role.CUSTOMER.value:
            raise _role_problem(change.role)
        changed["role"] = {"from": user.role, "to": change.role.value}
        user.role = change.role.value
    if change.active is not None and change.active != user.active:
        changed["active"] = change.active
        user.active = change.active
    if changed:
        user.token_version += 1
        _record(session, principal, now, "admin.user_changed", user, changed)
        session.flush()
    return _row(user)
