"""Demo data for risk control: three unrelated demo households whose heads give the same mobile number, so the
ring explorer (``/risk/rings``) has a ring to show. Everything else on the risk pages comes from real use."""

from __future__ import annotations

from sqlalchemy import select

from jiabao.core.auth import Principal, Role
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.family import service as family
from jiabao.family.models import Household, Member
from jiabao.family.schemas import MemberUpdate
from jiabao.runtime import Runtime

RING_PHONE = "13700001111"
SYSTEM = Principal(user_id=0, role=Role.ADMIN, username="demo", display_name="demo")


def plant_ring(runtime: Runtime, households: int = 3) -> list[int]:
    """Give the heads of the last ``households`` demo households one shared phone; returns their ids."""
    with unit_of_work(runtime.sessions) as session:
        ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=SYSTEM)
        rows = session.execute(
            select(Member.id, Household.id)
            .join(Household, Household.id == Member.household_id)
            .where(Member.person_id == Household.head_person_id, Member.left_on.is_(None))
            .order_by(Household.id.desc())
            .limit(households)
        ).all()
        for member_id, _ in rows:
            family.update_member(ctx, member_id, MemberUpdate(phone=RING_PHONE))
        return [household for _, household in rows]
