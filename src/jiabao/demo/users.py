"""Demo log-ins: one user for every role, customers linked to real seeded households."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.core.auth import Role
from jiabao.family.models import Household, Person
from jiabao.identity import repository as users
from jiabao.identity import service as identity

DEMO_PASSWORD = "jiabao-demo-2026"  # noqa: S105 - the documented demo password


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    display_name: str
    note: str


STAFF = (
    ("partner", Role.PARTNER, "王经理（合作伙伴）", "serves every tenth household"),
    ("underwriter", Role.UNDERWRITER, "李核保", ""),
    ("claims", Role.CLAIMS, "赵理赔", ""),
    ("service", Role.SERVICE, "陈客服", "may search and edit households"),
    ("risk", Role.RISK, "周风控", ""),
    ("actuary", Role.ACTUARY, "吴精算", "no access to personal data"),
    ("admin", Role.ADMIN, "系统管理员", ""),
    ("auditor", Role.AUDITOR, "孙审计", "reads the audit log"),
)


def _heads(session: Session, *, limit: int, min_birth: bool = False) -> list[Person]:
    stmt = select(Person).join(Household, Household.head_person_id == Person.id)
    stmt = stmt.order_by(Person.birth_date if min_birth else Household.id).limit(limit)
    return list(session.scalars(stmt))


def ensure_demo_users(session: Session, *, now: datetime, password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    """Create the demo users once (idempotent); return every demo log-in."""
    logins: list[DemoLogin] = []
    for username, role, name, note in STAFF:
        if users.by_username(session, username) is None:
            identity.create_user(session, username=username, password=password, role=role, display_name=name, now=now)
        logins.append(DemoLogin(username, role, name, note))
    first_two = _heads(session, limit=2)
    oldest = _heads(session, limit=1, min_birth=True)
    customers = [
        ("customer", first_two[:1], False),
        ("customer2", first_two[1:2], False),
        ("elder", oldest, True),
    ]
    for username, heads, elderly in customers:
        if not heads:
            continue
        if users.by_username(session, username) is None:
            identity.create_user(
                session,
                username=username,
                password=password,
                role=Role.CUSTOMER,
                display_name=heads[0].name,
                now=now,
                person_id=heads[0].id,
                elderly_mode=elderly,
            )
        note = "elderly-friendly mode on" if elderly else "head of a household"
        logins.append(DemoLogin(username, Role.CUSTOMER, heads[0].name, note))
    session.flush()
    return logins


def partner_user_id(session: Session) -> int | None:
    user = users.by_username(session, "partner")
    return user.id if user else None
