"""Demo advice data: the demo customers' households declare their finances (a mortgage, savings) and get a
first protection score, so the protection page and the family home's summary show a real plan."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from jiabao.advice import repository, service
from jiabao.advice.schemas import DebtIn, FactsIn, MemberFactsIn
from jiabao.core.auth import Principal, Role
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.family import service as family
from jiabao.family.models import Household
from jiabao.identity import repository as users
from jiabao.runtime import Runtime

DEMO_CUSTOMERS = ("customer", "customer2", "elder")


def seed_advice(runtime: Runtime) -> int:
    """Declare facts for the demo customers' households that have none yet; returns how many were declared."""
    system = Principal(user_id=0, role=Role.ADMIN, username="demo", display_name="demo")
    done = 0
    with unit_of_work(runtime.sessions) as session:
        ctx = ServiceContext(session=session, clock=runtime.clock, cipher=runtime.cipher, principal=system)
        for username in DEMO_CUSTOMERS:
            user = users.by_username(session, username)
            if user is None or user.person_id is None:
                continue
            household_id = session.scalar(select(Household.id).where(Household.head_person_id == user.person_id))
            if household_id is None or repository.facts(session, household_id) is not None:
                continue
            overview = family.get_overview(ctx, household_id)
            members = [
                MemberFactsIn(person_id=m.person_id, annual_income=Decimal(180000 if i == 0 else 120000))
                for i, m in enumerate(x for x in overview.members if 22 <= x.age < 60 and not x.retired)
            ]
            facts = FactsIn(
                members=members,
                debts=[DebtIn(kind="mortgage", outstanding=Decimal(1200000))] if username != "elder" else [],
                liquid_assets=Decimal(150000),
            )
            service.save_facts(ctx, runtime.products, household_id, facts)
            done += 1
    return done
