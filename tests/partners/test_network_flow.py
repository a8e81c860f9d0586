"""The partner network end to end on the database: the sale check in the application flow, attribution, the
monthly run with overrides, re-running a month, corrections as adjustments, the cooling-off clawback, the loading
cap at approval, a move in the hierarchy and orphan-policy reassignment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.core.auth import Role
from jiabao.core.errors import Conflict
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.family.models import Household
from jiabao.partners import commissions
from jiabao.partners import service as partners
from jiabao.partners.models import Attribution, CommissionLine, Membership, PaymentInstruction
from jiabao.partners.schemas import LeaveIn, LicenceIn, MoveIn, PartnerIn
from jiabao.policies.application.models import Application
from jiabao.policies.common.models import Policy
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import PASSWORD, ctx_for, make_user
from tests.partners.network import (
    PLAN_RULES,
    approve_plan,
    enrol,
    network,
    principal,
    registration,
    run,
    sell,
    start_sale,
    statement,
)
from tests.policies.test_billing_helpers import on

D = Decimal


def applications(runtime: Runtime) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Application)) or 0)


def test_a_sale_without_a_valid_practice_registration_is_refused_and_nothing_is_stored(
    client: TestClient, runtime: Runtime
) -> None:
    """保险代理人监管规定 art. 27: no sale before (or after) the practice registration (执业登记) is valid."""
    net = network(runtime, individual_registration=registration("REG-I-0002", valid_to=date(2026, 6, 30)))
    *_, started = start_sale(client, runtime, net.individual_user)
    assert started.status_code == 409, started.text
    error = started.json()["error"]
    assert error["code"] == "practice_registration_expired" and "执业登记" in error["message_zh"]
    assert error["fields"][0]["field"] == "partner"
    assert applications(runtime) == 0


def test_a_product_the_partner_may_not_sell_is_refused_on_the_product_field(
    client: TestClient, runtime: Runtime
) -> None:
    net = network(runtime)
    with unit_of_work(runtime.sessions) as session:
        partner = partners.get(ctx_for(runtime, session), net.individual)
        partner.products = ["whole_life"]
    *_, started = start_sale(client, runtime, net.individual_user)
    assert started.status_code == 422
    assert [(f["field"], f["code"]) for f in started.json()["error"]["fields"]] == [
        ("product_code", "product_not_granted")
    ]
    assert applications(runtime) == 0


def test_a_team_partner_adds_only_individuals_under_itself(runtime: Runtime) -> None:
    network(runtime)
    team = principal(runtime, "team_wang")
    try:
        enrol(runtime, PartnerIn(username="another_team", password=PASSWORD, name="赵团队", kind="team"), by=team)
    except Exception as exc:
        assert getattr(exc, "code", "") == "kind_not_allowed"
    else:  # pragma: no cover
        raise AssertionError("a team partner added a team")


def test_sale_records_the_seller_and_the_month_pays_commission_and_both_overrides(
    client: TestClient, runtime: Runtime
) -> None:
    net = network(runtime)
    approve_plan(runtime)
    sold = sell(client, runtime, net.individual_user)  # 26 Nov 2026
    with unit_of_work(runtime.sessions) as session:
        attr = session.scalars(select(Attribution).where(Attribution.subject == "application")).one()
        assert (attr.selling_partner_id, attr.servicing_partner_id) == (net.individual, net.individual)
        premium = session.get(Application, sold.application_id).annual_premium  # type: ignore[union-attr]
    summary = run(runtime, "2026-11")
    assert summary.events == 1 and summary.seq == 1
    mine = statement(runtime, "2026-11", net.individual)
    assert mine.by_kind == {"first_year": (premium * D("0.30")).quantize(D("0.01"))}
    team = statement(runtime, "2026-11", net.team)
    assert team.by_kind == {"override": (premium * D("0.05")).quantize(D("0.01"))}
    region = statement(runtime, "2026-11", net.regional)
    assert region.by_kind == {"override": (premium * D("0.02")).quantize(D("0.01"))}


def test_re_running_a_month_gives_the_same_result_and_a_correction_is_an_adjustment(
    client: TestClient, runtime: Runtime
) -> None:
    """Corrections are new lines, never edits: the first run (before the plan was approved) paid nothing; the
    re-run after approval posts the commission as adjustment lines; a third run posts nothing."""
    net = network(runtime)
    sell(client, runtime, net.individual_user)
    first = run(runtime, "2026-11")
    assert first.lines_written == 0
    approve_plan(runtime)
    second = run(runtime, "2026-11")
    assert second.seq == 2 and second.lines_written == 3 and second.adjustments == 3
    before = statement(runtime, "2026-11", net.individual)
    third = run(runtime, "2026-11")
    assert third.seq == 3 and third.lines_written == 0 and third.total == 0
    after = statement(runtime, "2026-11", net.individual)
    assert before.net == after.net and before.lines == after.lines
    assert all(line.adjustment for line in after.lines)


def test_cooling_off_cancellation_claws_back_from_the_seller_and_the_team(client: TestClient, runtime: Runtime) -> None:
    """保险法 art. 15 and the policy's 犹豫期: the cancellation refunds the premium; the plan claws back 100%."""
    net = network(runtime)
    approve_plan(runtime)
    sold = sell(client, runtime, net.individual_user)
    run(runtime, "2026-11")
    on(runtime, date(2026, 12, 3))
    done = client.post(f"/api/v1/policies/{sold.policy_id}/cancellation", headers=sold.customer)
    assert done.status_code == 201, done.text
    run(runtime, "2026-12")
    for pid in (net.individual, net.team, net.regional):
        nov, dec = statement(runtime, "2026-11", pid), statement(runtime, "2026-12", pid)
        assert dec.by_kind["clawback"] == -nov.net and dec.net == -nov.net
    with unit_of_work(runtime.sessions) as session:
        lines = session.scalars(select(CommissionLine).where(CommissionLine.month == "2026-11")).all()
        assert all(not line.adjustment for line in lines)  # November is untouched


def test_approval_refuses_a_plan_paying_more_than_the_filed_loading(runtime: Runtime) -> None:
    """报行合一: family_ci files a 20-year loading of 40% in year 2; 0.36 + overrides 0.02 + persistency 0.04 =
    0.42 > 0.40 is refused with the year named."""
    rules = dict(PLAN_RULES, rates={"family_ci": {"20": ["0.30", "0.36"]}})
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        plan = commissions.create_plan(ctx, "rich", date(2026, 1, 1), rules)
        try:
            commissions.approve_plan(ctx, plan.id, runtime.products.catalog)
        except Conflict as exc:
            assert exc.code == "exceeds_filed_loading"
            assert [f.field for f in exc.fields] == ["rates.family_ci.20.2"]
        else:  # pragma: no cover
            raise AssertionError("approved a plan above the filed loading")


def test_a_move_ends_the_old_membership_the_day_the_new_one_starts(runtime: Runtime) -> None:
    net = network(runtime)
    other = enrol(runtime, PartnerIn(username="team_zhao", password=PASSWORD, name="赵团队", kind="team",
                                     parent_id=net.regional, licences=[registration("REG-T-0002")]))  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        partners.move(ctx, net.individual, MoveIn(parent_id=other.id, on=date(2026, 12, 15)))
        assert partners.parent_of(ctx, net.individual, date(2026, 12, 14)) == net.team
        assert partners.parent_of(ctx, net.individual, date(2026, 12, 15)) == other.id
        rows = session.scalars(
            select(Membership).where(Membership.partner_id == net.individual).order_by(Membership.id)
        )
        assert [(m.parent_id, m.valid_to) for m in rows] == [(net.team, date(2026, 12, 15)), (other.id, None)]


def test_a_departing_partners_policies_pass_to_a_successor_and_the_policyholders_are_told(
    client: TestClient, runtime: Runtime
) -> None:
    """孤儿单: when the agent leaves, the insurer arranges continued service and informs the policyholder."""
    net = network(runtime)
    sold = sell(client, runtime, net.individual_user)
    successor = enrol(
        runtime,
        PartnerIn(username="agent_zhou", password=PASSWORD, name="周倩", kind="individual",
                  licences=[registration("REG-I-0003")]),
        by=principal(runtime, "team_wang"),
    )  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        moved = partners.leave(ctx, net.individual, LeaveIn(on=date(2026, 11, 30), successor_id=successor.id))
        assert moved == 1
        assert partners.servicing_partner_of_policy(ctx, sold.policy_id) == successor.id
        row = session.scalars(select(Attribution).where(Attribution.subject == "policy")).one()
        assert (row.selling_partner_id, row.servicing_partner_id) == (net.individual, successor.id)
        assert session.get(Household, sold.household_id).partner_id == successor.user_id  # type: ignore[union-attr]
        told = [m for m in session.scalars(select(OutboxMessage)) if m.payload.get("kind") == "partner_reassigned"]
        assert len(told) == 1 and "周倩" in told[0].payload["body"] and sold.policy_no in told[0].payload["body"]
        assert partners.get(ctx, net.individual).status == "left"
        assert partners.orphan_policies(ctx, net.individual) == []
    *_, again = start_sale(client, runtime, net.individual_user, seq=2)
    assert again.status_code == 409 and again.json()["error"]["code"] == "partner_left"


def test_a_rescission_for_non_disclosure_claws_back_from_the_seller_and_its_upline(
    client: TestClient, runtime: Runtime
) -> None:
    """Insurance Law art. 16: service staff rescind the contract (the servicing flow's 解除合同, end reason
    ``rescinded``); the plan claws back 100% of what November paid on the policy, from all three partners."""
    net = network(runtime)
    approve_plan(runtime)
    sold = sell(client, runtime, net.individual_user)
    run(runtime, "2026-11")
    make_user(runtime, "counter1", Role.SERVICE)
    on(runtime, date(2026, 12, 10))
    body = {"kind": "rescission", "learned_on": "2026-12-05", "intentional": False, "reason": "未告知高血压",
            "identity_verified": True, "customer_confirmed": True}  # fmt: skip
    done = client.post(f"/api/v1/policies/{sold.policy_id}/service-requests", json=body,
                       headers=token_for(client, "counter1"))  # fmt: skip
    assert done.status_code == 201, done.text
    run(runtime, "2026-12")
    for pid in (net.individual, net.team, net.regional):
        nov, dec = statement(runtime, "2026-11", pid), statement(runtime, "2026-12", pid)
        assert nov.net > 0 and dec.by_kind == {"clawback": -nov.net}, (pid, dec.by_kind)
    with unit_of_work(runtime.sessions) as session:
        refs = set(session.scalars(select(CommissionLine.ref).where(CommissionLine.kind == "clawback")))
        attributed = session.scalars(select(Attribution).where(Attribution.subject == "service_request")).one()
    assert refs == {f"end:{sold.policy_id}"}
    assert (attributed.selling_partner_id, attributed.servicing_partner_id) == (None, net.individual)


def test_an_institution_sells_only_what_the_insurers_authorisation_covers(client: TestClient, runtime: Runtime) -> None:
    """保险代理人监管规定 art. 36 / 互联网保险业务监管办法 art. 8: an internet platform needs its licence and the
    insurer's authorisation for the product; without it the sale is refused with the reason and nothing stored."""
    net = network(runtime)
    licence = LicenceIn(kind="institution_licence", number="LIC-P-0001", valid_from=date(2025, 1, 1))
    narrow = LicenceIn(kind="insurer_authorisation", number="AUTH-0001", valid_from=date(2025, 1, 1),
                       valid_to=date(2027, 12, 31), products=["whole_life"])  # fmt: skip
    platform = enrol(runtime, PartnerIn(username="platform_x", password=PASSWORD, name="某互联网平台",
                                        kind="institutional", institution_type="internet_platform",
                                        parent_id=net.regional, licences=[licence, narrow]))  # fmt: skip
    *_, refused = start_sale(client, runtime, platform.user_id, agent="platform_x")
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "product_not_authorised" and "委托授权" in error["message_zh"]
    assert [f["field"] for f in error["fields"]] == ["product_code"]
    assert applications(runtime) == 0
    with unit_of_work(runtime.sessions) as session:
        partners.add_licence(ctx_for(runtime, session), platform.id,
                             LicenceIn(kind="insurer_authorisation", number="AUTH-0002", valid_from=date(2026, 1, 1),
                                       valid_to=date(2026, 11, 25), products=["family_ci"]))  # fmt: skip
    *_, expired = start_sale(client, runtime, platform.user_id, seq=2, agent="platform_x")
    assert expired.status_code == 409 and expired.json()["error"]["code"] == "product_not_authorised"
    with unit_of_work(runtime.sessions) as session:
        partners.add_licence(ctx_for(runtime, session), platform.id,
                             LicenceIn(kind="insurer_authorisation", number="AUTH-0003", valid_from=date(2026, 11, 1),
                                       valid_to=date(2027, 10, 31), products=["family_ci"]))  # fmt: skip
    *_, allowed = start_sale(client, runtime, platform.user_id, seq=3, agent="platform_x")
    assert allowed.status_code == 201, allowed.text
    with unit_of_work(runtime.sessions) as session:
        attr = session.scalars(select(Attribution).where(Attribution.subject == "application")).one()
        assert attr.selling_partner_id == platform.id


def test_approval_pays_what_each_statement_nets_once_and_a_negative_month_is_carried(
    client: TestClient, runtime: Runtime
) -> None:
    """Approval writes one payment instruction per partner for what the month owes beyond earlier approvals; a
    correction approved later pays only the difference; a month clawed back below zero pays nothing and is brought
    forward into the next month's statement."""
    net = network(runtime)
    sell(client, runtime, net.individual_user)
    run(runtime, "2026-11")  # no plan approved yet: nothing owed

    def approve(month: str) -> dict[int, Decimal]:
        with unit_of_work(runtime.sessions) as session:
            return {p.partner_id: p.amount for p in commissions.approve(ctx_for(runtime, session), month)}

    assert approve("2026-11") == {}
    approve_plan(runtime)
    run(runtime, "2026-11")  # the correction: adjustment lines
    nets = {pid: statement(runtime, "2026-11", pid).net for pid in (net.individual, net.team, net.regional)}
    assert approve("2026-11") == nets and all(v > 0 for v in nets.values())
    run(runtime, "2026-11")
    assert approve("2026-11") == {}  # nothing more owed
    with unit_of_work(runtime.sessions) as session:
        with pytest.raises(Conflict) as again:
            commissions.approve(ctx_for(runtime, session), "2026-11")
        assert again.value.code == "run_approved"
        paid = session.scalars(select(PaymentInstruction).order_by(PaymentInstruction.id)).all()
        assert [(p.partner_id, p.amount, p.tax, p.status) for p in paid] == [
            (pid, nets[pid], Decimal(0), "pending") for pid in sorted(nets)
        ]
    on(runtime, date(2026, 12, 3))
    policy_id = _policy_of(runtime)
    done = client.post(f"/api/v1/policies/{policy_id}/cancellation", headers=token_for(client, "cust1"))
    assert done.status_code == 201, done.text
    run(runtime, "2026-12")
    assert approve("2026-12") == {}
    dec = statement(runtime, "2026-12", net.individual)
    assert dec.net == -nets[net.individual] and dec.payable == 0
    on(runtime, date(2027, 1, 5))
    run(runtime, "2027-01")
    jan = statement(runtime, "2027-01", net.individual)
    assert jan.by_kind == {"brought_forward": dec.net} and jan.payable == 0
    assert approve("2027-01") == {}


def _policy_of(runtime: Runtime) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalars(select(Policy.id)).one())
