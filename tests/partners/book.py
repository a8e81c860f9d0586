"""A generated book for the sharded-run tests: partners enrolled through the service (a region, two teams, seven
individuals, one of whom moves team mid-October), policies and their attributions written directly, and the
money as the household ledger's own posting service records it (premiums received in October and November,
cooling-off refunds and surrender cash values in November)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from jiabao.core.money import to_fen
from jiabao.db.context import ServiceContext
from jiabao.db.session import unit_of_work
from jiabao.ledger import engine as ledger_engine
from jiabao.ledger import service as ledger
from jiabao.ledger.engine import Allocation, Movement
from jiabao.partners import service as partners
from jiabao.partners.models import Attribution
from jiabao.partners.schemas import MoveIn, PartnerIn
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import Instalment, Policy
from jiabao.runtime import Runtime
from tests.factories import PASSWORD, ctx_for, make_family
from tests.partners.network import enrol, registration

AT = datetime(2026, 9, 1, tzinfo=UTC)


@dataclass
class Book:
    sellers: list[int]
    policies: list[int]
    clawed_back: list[int]
    october_years: list[int]
    """The policy year of each policy's October premium."""


def _premium(
    ctx: ServiceContext,
    household: int,
    person: int,
    policy: int,
    seq: int,
    due: date,
    amount: Decimal,
    on: date,
    key: str,
) -> None:
    row = Instalment(policy_id=policy, seq=seq, due_date=due, amount=amount, paid_on=on, waived=False)
    ctx.session.add(row)
    ctx.session.flush()
    lines = ledger_engine.received(to_fen(amount), [Allocation(policy, to_fen(amount))])
    ledger.post(ctx, household_id=household, movement=Movement.PREMIUM_RECEIVED, source=key, lines=lines,
                occurred_on=on, policy_id=policy, person_id=person, memo={"instalments": [row.id]})  # fmt: skip


def _payout(
    ctx: ServiceContext, household: int, person: int, policy: int, kind: str, amount: Decimal, on: date
) -> None:
    movement = Movement.REFUND if kind == "refund" else Movement.CASH_VALUE
    lines = ledger_engine.paid_out(movement, policy, to_fen(amount))
    ledger.post(ctx, household_id=household, movement=movement, source=f"book-{kind}:{policy}", lines=lines,
                occurred_on=on, policy_id=policy, person_id=person, memo={"kind": kind})  # fmt: skip


def generate(runtime: Runtime, policies: int = 60) -> Book:
    joined = date(2025, 1, 1)
    region = enrol(runtime, PartnerIn(username="region_n", password=PASSWORD, name="华北区域", kind="regional",
                                      joined_on=joined, licences=[registration("REG-R-0001")]))  # fmt: skip
    teams = [
        enrol(runtime, PartnerIn(username=f"team_{t}", password=PASSWORD, name=f"团队{t}", kind="team",
                                 parent_id=region.id, joined_on=joined, licences=[registration(f"REG-T-000{t}")]))
        for t in (1, 2)
    ]  # fmt: skip
    sellers: list[int] = []
    for i in range(7):
        p = enrol(runtime, PartnerIn(username=f"agent_{i}", password=PASSWORD, name=f"代理人{i}", kind="individual",
                                     parent_id=teams[i % 2].id, joined_on=joined,
                                     licences=[registration(f"REG-I-1{i:03d}")]))  # fmt: skip
        sellers.append(p.id)
    with unit_of_work(runtime.sessions) as session:  # agent_0 moves from 团队1 to 团队2 on 15 October
        partners.move(ctx_for(runtime, session), sellers[0], MoveIn(parent_id=teams[1].id, on=date(2026, 10, 15)))
    family = make_family(runtime, username="bookcust", seq=90, phone="13900000090")
    hh, person = family.household_id, family.head_person_id
    ids: list[int] = []
    clawed: list[int] = []
    years: list[int] = []
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        for n in range(policies):
            annual = Decimal(12000 + (n % 7) * 1500)
            effective = date(2024, 1, 20) + timedelta(days=(n * 17) % 900)
            common = dict(household_id=hh, policyholder_person_id=person, product_code="family_ci",
                          product_version=1, channel="partner", frequency="annual", payment_term=20,
                          annual_premium=annual, instalment=annual, basis="book")  # fmt: skip
            app = Application(status="issued", coverage=30, quote={}, details={}, created_at=AT, updated_at=AT,
                              **common)  # fmt: skip
            session.add(app)
            session.flush()
            pol = Policy(policy_no=f"BOOK{n:06d}", application_id=app.id, status="in_force", issued_at=AT,
                         effective_date=effective, received_on=effective, cooling_off_end=effective + timedelta(15),
                         cover_years=30, reinstated_on=[], details={}, updated_at=AT, **common)  # fmt: skip
            session.add(pol)
            session.flush()
            seller = sellers[n % len(sellers)]
            session.add(Attribution(subject="application", subject_id=app.id, household_id=hh, recorded_at=AT,
                                    selling_partner_id=seller, servicing_partner_id=seller))  # fmt: skip
            ids.append(pol.id)
            year = max(1, 2026 - effective.year + (1 if (effective.month, effective.day) <= (10, 1) else 0))
            years.append(year)
            due = effective.replace(year=effective.year + year - 1)
            on = date(2026, 10, 1 + n % 28)
            _premium(ctx, hh, person, pol.id, year, due, annual, on, f"book-oct:{pol.id}")
            if n % 3 == 0:  # a second premium in November (an instalment of the next year, paid early)
                _premium(ctx, hh, person, pol.id, year + 1, due.replace(year=due.year + 1), annual,
                         date(2026, 11, 1 + n % 25), f"book-nov:{pol.id}")  # fmt: skip
            if n % 10 == 4:
                _payout(ctx, hh, person, pol.id, "refund", annual, date(2026, 11, 20))
                clawed.append(pol.id)
            elif n % 10 == 7:
                _payout(ctx, hh, person, pol.id, "surrender", annual / 2, date(2026, 11, 21))
                if effective > date(2024, 11, 21):  # the plan claws back surrenders within 24 months
                    clawed.append(pol.id)
    return Book(sellers, ids, clawed, years)
