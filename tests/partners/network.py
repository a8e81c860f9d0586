"""Shared steps for the partner tests: a region, a team under it, an individual added by the team partner, an
approved plan, and a family plan sold by the individual through the real application flow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Principal
from jiabao.db.session import unit_of_work
from jiabao.identity.models import User
from jiabao.identity.service import principal_of
from jiabao.partners import commissions
from jiabao.partners import service as partners
from jiabao.partners.models import Partner
from jiabao.partners.schemas import LicenceIn, PartnerIn
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import PASSWORD, add_member, ctx_for, make_family, resident_id
from tests.policies.flow import ACCOUNT, confirm_body, healthy

PLAN_RULES: dict[str, Any] = {
    "rates": {"family_ci": {"20": ["0.30", "0.10", "0.05"]}},
    "overrides": {"team": ["0.05", "0.02"], "regional": ["0.02"]},
    "persistency": {"13": "0.04", "25": "0.03"},
    "quality": {"rate": "0", "max_complaints": 0},
    "clawback": {"cooling_off": "1", "surrender": "1", "surrender_months": 24, "rescission": "1"},
    "tax": {"method": "none"},
}


def registration(number: str, valid_to: date | None = date(2028, 12, 31), start: date = date(2025, 1, 1)) -> LicenceIn:
    return LicenceIn(kind="practice_registration", number=number, valid_from=start, valid_to=valid_to)


@dataclass
class Network:
    regional: int
    team: int
    individual: int
    individual_user: int


def principal(runtime: Runtime, username: str) -> Principal:
    with unit_of_work(runtime.sessions) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return principal_of(user)


def enrol(runtime: Runtime, data: PartnerIn, by: Principal | None = None) -> Partner:
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session) if by is None else ctx_for(runtime, session, by)
        partner = partners.create(ctx, data, product_codes=set(runtime.products.catalog.codes()))
        session.expunge(partner)
        return partner


def network(runtime: Runtime, *, individual_registration: LicenceIn | None = None) -> Network:
    regional = enrol(runtime, PartnerIn(username="region_n", password=PASSWORD, name="华北区域", kind="regional",
                                        licences=[registration("REG-R-0001")]))  # fmt: skip
    team = enrol(runtime, PartnerIn(username="team_wang", password=PASSWORD, name="王团队", kind="team",
                                    parent_id=regional.id, licences=[registration("REG-T-0001")]))  # fmt: skip
    licence = individual_registration or registration("REG-I-0001")
    individual = enrol(
        runtime,
        PartnerIn(username="agent_li", password=PASSWORD, name="李敏", kind="individual", licences=[licence]),
        by=principal(runtime, "team_wang"),
    )
    return Network(regional.id, team.id, individual.id, individual.user_id)


def approve_plan(runtime: Runtime, rules: dict[str, Any] | None = None, effective: date = date(2026, 1, 1)) -> int:
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        plan = commissions.create_plan(ctx, "standard", effective, rules or PLAN_RULES)
        commissions.approve_plan(ctx, plan.id, runtime.products.catalog)
        return plan.id


@dataclass
class Sold:
    household_id: int
    application_id: int
    policy_id: int
    policy_no: str
    customer: dict[str, str]


def start_sale(client: TestClient, runtime: Runtime, net_user: int, *, seq: int = 1, agent: str = "agent_li") -> Any:
    family = make_family(runtime, username=f"cust{seq}", seq=seq, phone=f"139{seq:08d}", partner_id=net_user)
    spouse = add_member(runtime, family.household_id, name="李娜", relationship="spouse",
                        id_number=resident_id(date(1987, 6, 1), "F", seq + 100))  # fmt: skip
    assert spouse
    customer = token_for(client, f"cust{seq}")
    seller = token_for(client, agent)
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=customer).json()
    head, wife = members[0]["person_id"], members[1]["person_id"]
    body = {
        "product_code": "family_ci", "payment_term": 20, "frequency": "annual", "coverage": 30,
        "insureds": [{"person_id": head, "sum_assured": "300000"}, {"person_id": wife, "sum_assured": "300000"}],
    }  # fmt: skip
    started = client.post(f"/api/v1/households/{family.household_id}/applications", json=body, headers=seller)
    return family, customer, head, wife, started


def sell(client: TestClient, runtime: Runtime, net_user: int, *, seq: int = 1, agent: str = "agent_li") -> Sold:
    family, customer, head, wife, started = start_sale(client, runtime, net_user, seq=seq, agent=agent)
    assert started.status_code == 201, started.text
    app_id = started.json()["id"]
    for person in (head, wife):
        url = f"/api/v1/applications/{app_id}/insureds/{person}/questionnaire"
        questions = client.get(url, headers=customer).json()["questions"]
        answered = client.post(url, json={"answers": healthy(questions)}, headers=customer)
        assert answered.status_code == 200, answered.text
    body = confirm_body(client, app_id, customer)
    body["beneficiaries"] = {str(head): {"legal_heirs": False, "beneficiaries": [{"name": "李娜", "share": "100"}]}}
    confirmed = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=customer)
    assert confirmed.status_code == 200, confirmed.text
    paid = client.post(f"/api/v1/applications/{app_id}/payments", json={"account": ACCOUNT},
                       headers=customer | {"Idempotency-Key": f"first-premium-{app_id}"})  # fmt: skip
    assert paid.status_code == 201, paid.text
    out = paid.json()
    return Sold(family.household_id, app_id, out["policy_id"], out["policy_no"], customer)


def run(runtime: Runtime, month: str) -> commissions.RunSummary:
    with unit_of_work(runtime.sessions) as session:
        return commissions.run_month(ctx_for(runtime, session), month)


def statement(runtime: Runtime, month: str, partner_id: int) -> commissions.Statement:
    with unit_of_work(runtime.sessions) as session:
        return commissions.statement(ctx_for(runtime, session), month, partner_id)
