"""Authorization rows for the SMS sign-in, sign-up and reset routes (public: anonymous callers too), merged
into tests/api/test_authorization.py's table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from jiabao.db.session import unit_of_work
from jiabao.identity import callbacks
from jiabao.identity.models import User
from jiabao.identity.service import principal_of
from jiabao.runtime import Runtime
from tests.factories import ctx_for

EVERYONE = {"customer", "other_customer", "partner", "other_partner", "underwriter", "claims", "service", "risk",
            "actuary", "admin", "auditor", "anonymous"}  # fmt: skip
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/auth/sms/code"): EVERYONE,
    ("POST", "/api/v1/auth/sms/token"): EVERYONE,
    ("POST", "/api/v1/auth/signup"): EVERYONE,
    ("POST", "/api/v1/auth/password/reset"): EVERYONE,
    # User administration: admins only. Call-backs: customers ask; service staff and admins work the queue.
    ("GET", "/api/v1/admin/users"): {"admin"},
    ("POST", "/api/v1/admin/users"): {"admin"},
    ("PATCH", "/api/v1/admin/users/{user_id}"): {"admin"},
    ("POST", "/api/v1/callbacks"): {"customer", "other_customer"},
    ("GET", "/api/v1/callbacks"): {"service", "admin"},
    ("POST", "/api/v1/callbacks/{callback_id}/done"): {"service", "admin"},
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/auth/sms/code"): {"mobile": "13512340000", "purpose": "login"},
    ("POST", "/api/v1/auth/sms/token"): {"mobile": "13512340000", "code": "123456"},
    ("POST", "/api/v1/auth/signup"): {
        "mobile": "13512340000",
        "code": "123456",
        "name": "测试",
        "id_number": "11010519900101001X",
    },
    ("POST", "/api/v1/auth/password/reset"): {"mobile": "13512340000", "code": "123456", "password": "x" * 10},
    ("POST", "/api/v1/admin/users"): {
        "username": "new.staff",
        "display_name": "新员工",
        "role": "service",
        "password": "long-enough-pw",
    },
    ("PATCH", "/api/v1/admin/users/{user_id}"): {"active": True},
    ("POST", "/api/v1/callbacks"): {"topic": "general"},
}


def ids(runtime: Runtime, user_id: int) -> dict[str, int]:
    """Path ids: a user to administer (``user_id``) and an open call-back of the customer (``callback_id``)."""
    with unit_of_work(runtime.sessions) as session:
        customer = session.scalars(select(User).where(User.username == "customer")).one()
        ctx = ctx_for(runtime, session, principal_of(customer))
        return {"user_id": user_id, "callback_id": callbacks.request_callback(ctx, "general").id}
