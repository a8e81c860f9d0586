"""The policies' side of the household ledger: each place where money moves calls one of these (one line at the
call site), in the same transaction as the payment row, so the ledger and the payments commit together."""

from __future__ import annotations

from sqlalchemy import select

from jiabao.db.context import ServiceContext
from jiabao.ledger import service as ledger
from jiabao.policies.common.models import Instalment, Payment, Policy


def premium_received(ctx: ServiceContext, payment: Payment, policy: Policy) -> None:
    """A premium payment of one policy (first, renewal, reinstatement with its interest), after the instalments it
    paid point at it (flushed)."""
    rows = ctx.session.scalars(select(Instalment.id).where(Instalment.payment_id == payment.id)).all()
    ledger.post_payment(
        ctx,
        household_id=policy.household_id,
        payment_id=payment.id,
        kind=payment.kind,
        policy_id=policy.id,
        person_id=payment.holder_person_id,
        amount=payment.amount,
        details=payment.details,
        instalment_ids=list(rows),
    )


def paid_out(ctx: ServiceContext, payment: Payment, household_id: int) -> None:
    """Money out (cooling-off refund, cash value, claim) to the family."""
    if payment.policy_id is None:  # pragma: no cover - every payment out belongs to a policy
        raise ValueError("a payment out without a policy")
    ledger.post_payment(
        ctx,
        household_id=household_id,
        payment_id=payment.id,
        kind=payment.kind,
        policy_id=payment.policy_id,
        person_id=payment.holder_person_id,
        amount=payment.amount,
        details=payment.details,
    )


def premium_waived(ctx: ServiceContext, policy: Policy, row: Instalment, claim_id: int) -> None:
    """An instalment the family waiver pays (posted on its due date)."""
    ledger.post_waiver(
        ctx,
        household_id=policy.household_id,
        policy_id=policy.id,
        person_id=policy.policyholder_person_id,
        instalment_id=row.id,
        amount=row.amount,
        due_date=row.due_date,
        claim_id=claim_id,
    )
