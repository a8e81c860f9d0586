"""Cooling-off cancellation (犹豫期撤销, regulation.md §2.1): inside the period the premium paid comes back less a
production fee of at most ¥10 (``rules.cooling_off.cancellation_refund``), to the account that paid.

Recorded as a payment out of kind ``refund`` (``pending`` until finance pays it, due within 5 working days — the
Basic Service Rules' finish limit), the policy ``cancelled`` with its insureds ended, and a servicing request of
kind ``surrender`` (the servicing item the online share counts; ``payload.type`` = ``cooling_off``) with the
channel it came through. After the period the same request is a surrender (:mod:`jiabao.policies.servicing.surrender`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jiabao.core.errors import Conflict
from jiabao.db.context import ServiceContext
from jiabao.policies.billing.common import (
    Locked,
    end_policy,
    lock_policy,
    pay_out,
    premium_paid,
    refuse_ended,
    service_request,
)
from jiabao.policies.common.models import ServiceRequest
from jiabao.policies.rules.cooling_off import CancellationKind, CancellationResult, cancellation_refund
from jiabao.policies.rules.servicing import Channel, ServicingItem


@dataclass(frozen=True)
class CancellationOut:
    policy_id: int
    status: str
    refund: Decimal
    fee: Decimal
    premium_paid: Decimal
    payment_id: int
    account_masked: str
    pay_by: date
    service_request_id: int
    basis: str


def refund_for(ctx: ServiceContext, locked: Locked, on: date) -> CancellationResult:
    """What a cancellation requested on ``on`` gives (a surrender kind once the period is over)."""
    policy = locked.policy
    return cancellation_refund(
        received_on=policy.received_on,
        requested_on=on,
        premium_paid=premium_paid(ctx, policy.id),
        cash_value=Decimal(0),  # only read after the period, where the caller uses the surrender quote instead
        days=(policy.cooling_off_end - policy.received_on).days,
    )


def _details(result: CancellationResult, request: ServiceRequest) -> dict[str, Any]:
    return {
        "reason": "cooling_off_cancellation",
        "premium_paid": str(result.premium_paid),
        "fee": str(result.deduction),
        "pay_by": request.complete_due.isoformat(),
        "service_request_id": request.id,
        "basis": result.basis,
    }


def cancel(ctx: ServiceContext, policy_id: int, *, channel: Channel) -> CancellationOut:
    """Cancel inside the cooling-off period (409 ``cooling_off_over`` after it: surrender instead)."""
    locked = lock_policy(ctx, policy_id)
    policy = locked.policy
    refuse_ended(policy)
    today = ctx.clock.today()
    result = refund_for(ctx, locked, today)
    if result.kind is not CancellationKind.COOLING_OFF:
        raise Conflict(
            f"The cooling-off period ended on {policy.cooling_off_end}: surrender the policy for its cash value",
            f"犹豫期已于 {policy.cooling_off_end} 结束，可申请退保（退还现金价值）",
            code="cooling_off_over",
        )
    request = service_request(
        ctx,
        policy,
        ServicingItem.SURRENDER,
        channel=channel,
        status="accepted",
        payload={"type": "cooling_off", "requested_on": today.isoformat()},
        result={},
    )
    payment = pay_out(ctx, policy, kind="refund", amount=result.refund, details=_details(result, request))
    request.result = {"refund": str(result.refund), "fee": str(result.deduction), "payment_id": payment.id}
    end_policy(ctx, policy, status="cancelled", reason="cooling_off_cancellation")
    ctx.session.flush()
    ctx.audit("policy.cancel", "policy", policy.id, {**request.result, "channel": channel.value})
    return CancellationOut(
        policy_id=policy.id,
        status=policy.status,
        refund=result.refund,
        fee=result.deduction,
        premium_paid=result.premium_paid,
        payment_id=payment.id,
        account_masked=payment.account_masked,
        pay_by=request.complete_due,
        service_request_id=request.id,
        basis=result.basis,
    )
