"""Authorization rows for the partner network's API, merged into tests/api/test_authorization.py's table.

The table's two partner log-ins are enrolled as network partners (individuals with a practice registration, in no
team), so each sees its own data; every other role gets 403 (the portal's scope: docs/partners.md, "API")."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from jiabao.db.session import unit_of_work
from jiabao.identity.models import User
from jiabao.partners.models import Licence, Partner
from jiabao.partners.schemas import CHANNELS
from jiabao.runtime import Runtime

PARTNERS = {"partner", "other_partner"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/partners/me"): PARTNERS,
    ("GET", "/api/v1/partners/me/households"): PARTNERS,
    ("GET", "/api/v1/partners/me/sales"): PARTNERS,
    ("GET", "/api/v1/partners/me/statements"): PARTNERS,
    ("GET", "/api/v1/partners/me/statements/{month}"): PARTNERS,
    ("GET", "/api/v1/partners/me/team"): PARTNERS,
}
BODIES: dict[tuple[str, str], Any] = {}


def setup(runtime: Runtime) -> dict[str, str]:
    """Network records for the two partner log-ins; the path's month."""
    with unit_of_work(runtime.sessions) as session:
        now = runtime.clock.now()
        for username in sorted(PARTNERS):
            user = session.scalars(select(User).where(User.username == username)).one()
            partner = Partner(user_id=user.id, kind="individual", name=username, status="active", products=["*"],
                              channels=list(CHANNELS), regions=["*"], joined_on=date(2025, 1, 1), review={},
                              created_at=now)  # fmt: skip
            session.add(partner)
            session.flush()
            session.add(Licence(partner_id=partner.id, kind="practice_registration", number=f"REG-{user.id:06d}",
                                valid_from=date(2025, 1, 1), valid_to=date(2030, 12, 31)))  # fmt: skip
    return {"month": "2026-11"}
