"""The ledger's balance invariant on every money path, through the real API: first and renewal premiums, the
cooling-off refund, reinstatement with interest on the back premiums, surrender and termination cash values,
claim payments and the whole-family premium waiver. Each posts exactly one balanced journal per movement whose
family-account line equals the payment, and the day reconciles."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.config import Settings
from jiabao.core.money import to_fen
from jiabao.db.session import unit_of_work
from jiabao.ledger.engine import Account
from jiabao.policies.common.models import Instalment, Payment
from jiabao.policies.rules.schedule import add_years
from jiabao.runtime import Runtime
from tests.claims.flow import issue_for
from tests.claims.test_claims_family import _cancer, _household, _submit
from tests.ledger.helpers import assert_balanced, journals, reconcile_on
from tests.policies.flow import ACCOUNT, issue
from tests.policies.test_billing_helpers import on, payments, run_job

ISSUED = date(2026, 11, 26)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Large CI advances paid straight through (as in tests/claims/test_claims_family.py)."""
    return settings.model_copy(update={"claims_advance_adjuster_above": Decimal("1000000")})


def _one_per_payment(runtime: Runtime, policy_id: int) -> None:
    """Each payment of the policy has exactly one journal, whose family-account line is the payment."""
    posted = {j.payment_id: j for j in journals(runtime) if j.payment_id is not None}
    for p in payments(runtime, policy_id):
        journal = posted[p.id]
        assert journal.source == f"payment:{p.id}"
        assert journal.bank == (to_fen(p.amount) if p.direction == "in" else -to_fen(p.amount))


def test_first_premium_and_cooling_off_refund(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 15 and regulation.md §2.1: inside the cooling-off period the premium comes back less a
    fee of at most ¥10 — the ledger keeps exactly the fee as premium income."""
    issued = issue(client, runtime)
    first = payments(runtime, issued.policy_id)[0]
    on(runtime, ISSUED + timedelta(days=10))
    done = client.post(f"/api/v1/policies/{issued.policy_id}/cancellation", headers=issued.headers)
    assert done.status_code == 201, done.text
    posted = assert_balanced(runtime)
    assert [j.movement for j in posted] == ["premium_received", "refund"]
    _one_per_payment(runtime, issued.policy_id)
    received, refund = posted
    assert received.on(Account.PREMIUM_INCOME, issued.policy_id) == -to_fen(first.amount)
    fee = to_fen(Decimal(done.json()["fee"]))
    assert 0 < fee <= 1000
    income = sum(j.on(Account.PREMIUM_INCOME, issued.policy_id) for j in posted)
    assert income == -fee  # the production fee is all the insurer keeps
    assert refund.on(Account.REFUNDS_PAYABLE) == 0  # owed, then paid by the bank instruction
    assert reconcile_on(runtime, ISSUED).clean and reconcile_on(runtime, ISSUED + timedelta(days=10)).clean


def test_renewal_and_reinstatement_with_interest(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 37: reinstatement pays the back premiums with interest; the interest is its own income."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 11, 26))
    paid = client.post(
        f"/api/v1/policies/{issued.policy_id}/premiums",
        json={"account": ACCOUNT},
        headers=issued.headers | {"Idempotency-Key": "ledger-renewal-1"},
    )
    assert paid.status_code == 201, paid.text
    on(runtime, date(2029, 2, 1))  # the third premium (26 Nov 2028) unpaid past its grace: suspended
    run_job(runtime)
    back = client.post(
        f"/api/v1/policies/{issued.policy_id}/reinstatement",
        json={"account": ACCOUNT, "risk_increased": False},
        headers=issued.headers | {"Idempotency-Key": "ledger-reinstate-1"},
    )
    assert back.status_code == 201, back.text
    posted = assert_balanced(runtime)
    assert [j.movement for j in posted] == ["premium_received"] * 3
    _one_per_payment(runtime, issued.policy_id)
    reinstatement = payments(runtime, issued.policy_id)[-1]
    interest = to_fen(Decimal(reinstatement.details["interest"]))
    assert interest > 0
    assert posted[-1].on(Account.INTEREST_INCOME) == -interest
    assert posted[-1].on(Account.PREMIUM_INCOME) == -(to_fen(reinstatement.amount) - interest)
    for day in (ISSUED, date(2027, 11, 26), date(2029, 2, 1)):
        assert reconcile_on(runtime, day).clean


def test_surrender_cash_value(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 47: the cash value is paid to the family; it is a surrender benefit, not a refund."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 6, 1))
    done = client.post(f"/api/v1/policies/{issued.policy_id}/surrender", headers=issued.headers)
    assert done.status_code == 201, done.text
    posted = assert_balanced(runtime)
    _one_per_payment(runtime, issued.policy_id)
    assert posted[-1].movement == "cash_value"
    assert posted[-1].on(Account.SURRENDER_PAID) == to_fen(Decimal(done.json()["quote"]["amount"])) > 0
    assert reconcile_on(runtime, date(2027, 6, 1)).clean


def test_termination_pays_the_cash_value(client: TestClient, runtime: Runtime) -> None:
    """Insurance Law art. 37: not reinstated within two years, the policy ends and its cash value is paid."""
    issued = issue(client, runtime)
    on(runtime, add_years(date(2028, 1, 26), 2))
    run_job(runtime)
    on(runtime, date(2030, 1, 27))
    run_job(runtime)
    posted = assert_balanced(runtime)
    _one_per_payment(runtime, issued.policy_id)
    out = payments(runtime, issued.policy_id)[-1]
    assert out.kind == "termination_cash_value" and posted[-1].movement == "cash_value"
    assert reconcile_on(runtime, date(2030, 1, 27)).clean


def test_claim_payments_and_family_waiver(client: TestClient, runtime: Runtime) -> None:
    """A CI claim paid in advance (重疾先赔) with the spouse benefit, and the whole-family waiver (一人出险全家豁免):
    one journal per payment instruction, one waiver journal per waived instalment on its due date."""
    home = _household(client, runtime)
    family_ci = issue_for(
        client, home.id, home.headers, "family_ci", [(home.head, "300000"), (home.spouse, "300000")],
        payment_term=20, coverage=30,
    )  # fmt: skip
    children_ci = issue_for(
        client, home.id, home.headers, "children_ci", [(home.child, "200000")], payment_term=20, coverage=30
    )
    runtime.clock.advance(timedelta(days=120))
    claim = _submit(client, home, _cancer(home.head, runtime.clock.today() - timedelta(days=5)), "ledger-ci-1")
    assert Decimal(claim["paid_amount"]) == Decimal("360000.00")
    posted = assert_balanced(runtime)
    claims = [j for j in posted if j.movement == "claim"]
    assert sorted(-j.bank for j in claims) == [to_fen("60000"), to_fen("300000")]
    assert sum(j.on(Account.CLAIMS_PAID) for j in claims) == to_fen("360000")
    waivers = [j for j in posted if j.movement == "premium_waived"]
    with unit_of_work(runtime.sessions) as session:
        waived = session.scalars(select(Instalment).where(Instalment.waived.is_(True))).all()
        assert waived and len(waivers) == len(waived)
        by_id = {j.source: j for j in waivers}
        for row in waived:
            journal = by_id[f"waiver:{row.id}"]
            assert journal.occurred_on == row.due_date and journal.bank == 0
            assert journal.on(Account.PREMIUM_WAIVED) == to_fen(row.amount)
        assert {row.policy_id for row in waived} == {family_ci, children_ci}
        claim_payments = session.scalars(select(Payment).where(Payment.kind == "claim")).all()
        assert {p.id for p in claim_payments} == {j.payment_id for j in claims}
    assert reconcile_on(runtime, runtime.clock.today()).clean
