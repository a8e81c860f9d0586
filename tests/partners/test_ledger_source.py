"""Commission is on premium received and recorded in the household ledger (issue 15, docs/ledger.md): where the
payments table and the books differ, the books win."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from jiabao.db.session import unit_of_work
from jiabao.ledger import service as ledger
from jiabao.partners.models import CommissionLine
from jiabao.partners.sources import premium_events
from jiabao.policies.common.models import Payment, Policy
from jiabao.runtime import Runtime
from tests.factories import ctx_for
from tests.partners.book import generate
from tests.partners.network import approve_plan, run


def lines(runtime: Runtime, month: str, policy_id: int) -> list[tuple[str, str, Decimal]]:
    with unit_of_work(runtime.sessions) as session:
        rows = session.scalars(
            select(CommissionLine).where(CommissionLine.month == month, CommissionLine.policy_id == policy_id)
        ).all()
        return sorted((r.kind, r.ref, r.amount) for r in rows)


def test_a_payment_not_in_the_books_earns_nothing_and_a_refund_in_the_books_claws_back(runtime: Runtime) -> None:
    book = generate(runtime, policies=6)
    approve_plan(runtime, effective=date(2023, 1, 1))
    kept, refunded = book.policies[1], book.policies[2]  # neither is refunded or surrendered by the book
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, kept)
        assert policy is not None and policy.status == "in_force"
        # A premium in `payments` that the books never recorded (no ledger journal): not premium received.
        stray = Payment(idempotency_key="stray-1", kind="renewal_premium", direction="in", policy_id=kept,
                        amount=Decimal("99999.00"), account_enc=b"\x00", account_masked="****",
                        holder_person_id=policy.policyholder_person_id, status="succeeded",
                        created_at=datetime(2026, 10, 9, 3, tzinfo=UTC), details={})  # fmt: skip
        session.add(stray)
        session.flush()
        stray_id = stray.id
    run(runtime, "2026-10")
    october = lines(runtime, "2026-10", kept)
    assert october and all(ref == f"book-oct:{kept}" for _, ref, _ in october)
    assert all(ref != f"payment:{stray_id}" for _, ref, _ in october)
    # November: the books record a cooling-off refund (Dr premium income, Cr refunds payable, paid out) for a policy
    # the policies table still shows in force (the payments-based source clawed back on the policy's end only) —
    # the ledger drives the clawback (the plan's cooling_off share, 100%, of everything paid on the policy).
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session)
        policy = session.get(Policy, refunded)
        assert policy is not None and policy.status == "in_force"
        refund = Payment(idempotency_key="refund-x", kind="refund", direction="out", policy_id=refunded,
                         amount=policy.annual_premium, account_enc=b"\x00", account_masked="****",
                         holder_person_id=policy.policyholder_person_id, status="pending",
                         created_at=datetime(2026, 11, 12, 3, tzinfo=UTC), details={})  # fmt: skip
        session.add(refund)
        session.flush()
        ledger.post_payment(ctx, household_id=policy.household_id, payment_id=refund.id, kind="refund",
                            policy_id=refunded, person_id=policy.policyholder_person_id,
                            amount=policy.annual_premium, details={})  # fmt: skip
        events = premium_events(session, date(2026, 11, 1), date(2026, 11, 30))
        assert [e.kind for e in events if e.policy_id == refunded] == ["cooling_off"]
    run(runtime, "2026-11")
    paid = sum(amount for _, _, amount in lines(runtime, "2026-10", refunded))
    clawed = lines(runtime, "2026-11", refunded)
    assert paid > 0 and {kind for kind, _, _ in clawed} == {"clawback"}
    assert sum(amount for _, _, amount in clawed) == -paid
