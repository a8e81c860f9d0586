"""One family bill (家庭账单): every instalment of the household's policies falling due in a period on one bill and
one debit from the designated family payment account, allocated to each policy. A declined debit leaves each
instalment due with its own grace period (Insurance Law art. 36: 60 days from each due date); reminders name every
policy on the bill; a policy can still be paid alone; the same idempotency key never debits twice; the ledger
balances and the days reconcile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.errors import InvalidInput
from jiabao.core.money import to_fen
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.ledger import statement as ledger_statement
from jiabao.ledger.engine import Account
from jiabao.policies.billing import family as family_billing
from jiabao.policies.billing.family import DebitOutcome
from jiabao.policies.billing.family_models import FamilyPaymentAccount
from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.claims.flow import issue_for
from tests.claims.test_claims_family import _household
from tests.factories import ctx_for
from tests.ledger.helpers import assert_balanced, reconcile_on
from tests.policies.flow import ACCOUNT
from tests.policies.test_billing_helpers import on, policy_row, run_job

FAMILY_CARD = "6222021234567890128"
START, END = date(2026, 12, 15), date(2027, 1, 14)


def declined(account: str, amount: Decimal, reference: str) -> DebitOutcome:
    return DebitOutcome(False, "insufficient_funds")


def _outbox(runtime: Runtime, kind: str) -> list[dict[str, object]]:
    with unit_of_work(runtime.sessions) as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [dict(m.payload, topic=m.topic) for m in rows if m.payload.get("kind") == kind]


def _state(client: TestClient, headers: dict[str, str], policy_id: int) -> dict[str, object]:
    body: dict[str, object] = client.get(f"/api/v1/policies/{policy_id}/instalments", headers=headers).json()
    return body


def test_family_bill_with_a_failed_debit_then_collected(client: TestClient, runtime: Runtime) -> None:
    home = _household(client, runtime)
    ci = issue_for(
        client, home.id, home.headers, "family_ci", [(home.head, "300000"), (home.spouse, "300000")],
        payment_term=20, coverage=30, frequency="monthly",
    )  # fmt: skip  # issued 26 Nov 2026: monthly premiums due on the 26th
    on(runtime, date(2026, 12, 3))
    kid = issue_for(
        client, home.id, home.headers, "children_ci", [(home.child, "200000")], payment_term=20, coverage=30,
        frequency="monthly",
    )  # fmt: skip  # due on the 3rd

    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        with pytest.raises(InvalidInput) as bad_card:
            family_billing.designate_account(ctx, home.id, account="6222021234567890129", holder_person_id=home.head)
        assert bad_card.value.fields[0].field == "account"  # the check digit (Luhn) fails
        with pytest.raises(InvalidInput) as minor:
            family_billing.designate_account(ctx, home.id, account=FAMILY_CARD, holder_person_id=home.child)
        assert minor.value.fields[0].code == "not_adult_member"
        account = family_billing.designate_account(ctx, home.id, account=FAMILY_CARD, holder_person_id=home.spouse)
        assert account.account_masked != FAMILY_CARD and account.account_masked.endswith("0128")
    with unit_of_work(runtime.sessions) as session:
        stored = session.scalars(select(FamilyPaymentAccount)).one()
        assert FAMILY_CARD.encode() not in stored.account_enc  # encrypted at rest

    with unit_of_work(runtime.sessions) as session:
        bill = family_billing.draw_up(ctx_for(runtime, session), home.id, START, END)
    assert [(x.policy_id, x.due_date) for x in bill.lines] == [(ci, date(2026, 12, 26)), (kid, date(2027, 1, 3))]
    assert bill.total == sum((x.amount for x in bill.lines), Decimal(0)) and bill.debit_on == date(2026, 12, 26)
    numbers = [policy_row(runtime, p).policy_no for p in (ci, kid)]
    for message in _outbox(runtime, "family_bill_due"):  # SMS and e-mail: every policy on the bill is named
        assert all(n in str(message["body"]) for n in numbers), message

    on(runtime, date(2026, 12, 26))
    with unit_of_work(runtime.sessions) as session:
        failed = family_billing.collect(
            ctx_for(runtime, session), bill.id, idempotency_key="bill-2026-12-a", bank=declined
        )
    assert failed.outcome == "declined" and failed.bill.status == "failed" and failed.payment_ids == []
    assert all(not x.paid for x in failed.bill.lines)
    assert {str(m["topic"]) for m in _outbox(runtime, "family_bill_failed")} == {"sms", "email"}
    assert all(all(n in str(m["body"]) for n in numbers) for m in _outbox(runtime, "family_bill_failed"))
    with unit_of_work(runtime.sessions) as session:  # the same key answers the same: no second debit attempt
        again = family_billing.collect(ctx_for(runtime, session), bill.id, idempotency_key="bill-2026-12-a")
    assert again.replayed and again.outcome == "declined"

    # each instalment is still due, each policy with its own grace period from its own due date
    on(runtime, date(2027, 1, 10))
    run_job(runtime)
    ci_state, kid_state = _state(client, home.headers, ci), _state(client, home.headers, kid)
    assert (ci_state["status"], ci_state["grace_ends_on"]) == ("in_grace", "2027-02-24")
    assert (kid_state["status"], kid_state["grace_ends_on"]) == ("in_grace", "2027-03-04")

    # the children's policy is paid alone; the bill then collects only the rest, in one debit
    alone = client.post(
        f"/api/v1/policies/{kid}/premiums",
        json={"account": ACCOUNT},
        headers=home.headers | {"Idempotency-Key": "kid-alone-0001"},
    )
    assert alone.status_code == 201 and alone.json()["instalment"] == 2, alone.text
    with unit_of_work(runtime.sessions) as session:
        paid = family_billing.collect(ctx_for(runtime, session), bill.id, idempotency_key="bill-2026-12-b")
    assert paid.outcome == "paid" and paid.bill.status == "paid" and len(paid.payment_ids) == 1
    ci_line = next(x for x in bill.lines if x.policy_id == ci)
    assert paid.amount == ci_line.amount  # one debit, for what was still due
    with unit_of_work(runtime.sessions) as session:
        replay = family_billing.collect(ctx_for(runtime, session), bill.id, idempotency_key="bill-2026-12-b")
        assert replay.replayed and replay.payment_ids == paid.payment_ids
        assert len(session.scalars(select(Payment).where(Payment.kind == "family_bill")).all()) == 1
    assert _state(client, home.headers, ci)["status"] == "in_force"

    posted = assert_balanced(runtime)
    billed = [j for j in posted if j.movement == "premium_billed"]
    assert sorted(j.on(Account.PREMIUM_RECEIVABLE) for j in billed) == sorted(to_fen(x.amount) for x in bill.lines)
    receivable = sum(j.on(Account.PREMIUM_RECEIVABLE) for j in posted)
    assert receivable == 0  # every billed premium settled: one by the bill, one paid alone
    bill_journal = next(j for j in posted if j.source == f"bill:{bill.id}")
    assert bill_journal.bank == to_fen(ci_line.amount)
    for day in (date(2026, 11, 26), date(2026, 12, 3), date(2026, 12, 26), date(2027, 1, 10)):
        assert reconcile_on(runtime, day).clean, day
    with unit_of_work(runtime.sessions) as session:
        stmt = ledger_statement.statement(ctx_for(runtime, session), home.id, date(2026, 11, 1), date(2027, 1, 31))
    assert stmt.balanced and stmt.closing.outstanding == 0
    assert {r.policy_id for r in stmt.rows} == {ci, kid}
    assert stmt.closing.paid_in == sum(j.bank for j in posted)


def test_nothing_due_and_no_account(client: TestClient, runtime: Runtime) -> None:
    home = _household(client, runtime)
    issue_for(
        client, home.id, home.headers, "family_ci", [(home.head, "300000")], payment_term=20, coverage=30,
        frequency="monthly",
    )  # fmt: skip
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        from jiabao.core.errors import Conflict

        with pytest.raises(Conflict) as nothing:
            family_billing.draw_up(ctx, home.id, date(2026, 11, 27), date(2026, 12, 20))
        assert nothing.value.code == "nothing_due"
        bill = family_billing.draw_up(ctx, home.id, START, END)
        with pytest.raises(Conflict) as no_account:
            family_billing.collect(ctx, bill.id, idempotency_key="no-account-1")
        assert no_account.value.code == "no_family_payment_account"
