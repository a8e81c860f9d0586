"""Reinstatement (复效) of a suspended policy within 2 years of suspension (Insurance Law art. 37; SPC Interp. III
art. 8; regulation.md §0, §2.7 H).

The simplified health declaration asks one thing: did the insured's risk rise significantly during suspension?

- **No**: reinstated online at once (straight-through): the back premiums with simple interest
  (``rules.billing.back_premiums``) are taken in one payment of kind ``reinstatement``, the instalments are marked
  paid, the date is added to ``Policy.reinstated_on`` and the policy is in force again.
- **Yes**: nothing is charged; a ``reinstatement`` service request is recorded with status ``referred`` for an
  underwriter, with the date by which silence counts as consent (30 days, Interp. III art. 8). The answer is 202
  and further online attempts are refused (409 ``reinstatement_under_review``) while the review is open, so the
  declaration cannot be changed to get round it.

Interest rate: :data:`DEFAULT_ANNUAL_RATE` = 5% a year, simple, actual/365 (product practice, Conf. L; pass
``annual_rate`` to override per product).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jiabao.core.errors import Conflict
from jiabao.core.idempotency import scoped_key
from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.notify import MessageKind
from jiabao.policies.billing import suspensions
from jiabao.policies.billing.common import (
    Locked,
    bank_card,
    channel_of,
    check_key,
    check_replay,
    lock_policy,
    payment_by_key,
    product_names,
    refuse_ended,
    schedule,
    service_request,
    state,
)
from jiabao.policies.billing.common import premiums as premiums_of
from jiabao.policies.billing.service import apply
from jiabao.policies.common import ledger_posting, messages, payments
from jiabao.policies.common.models import Payment, ServiceRequest
from jiabao.policies.rules import billing as rules
from jiabao.policies.rules.servicing import ServicingItem

DEFAULT_ANNUAL_RATE = Decimal("0.05")
SILENCE_IS_CONSENT_DAYS = 30


@dataclass(frozen=True)
class ReinstatementResult:
    status: str
    """``reinstated`` or ``referred`` (an underwriter reviews; nothing charged)."""
    policy_id: int
    policy_status: str
    service_request_id: int
    payment_id: int | None
    back_premiums: rules.BackPremiums | None
    replayed: bool = False


def quote(ctx: ServiceContext, policy_id: int, *, annual_rate: Decimal = DEFAULT_ANNUAL_RATE) -> rules.BackPremiums:
    """What reinstating today would cost (read only)."""
    locked = lock_policy(ctx, policy_id, write=False)
    return _back_premiums(locked, ctx.clock.today(), annual_rate)


def _back_premiums(locked: Locked, on: date, annual_rate: Decimal) -> rules.BackPremiums:
    """Back premiums from the live billing state (the stored status may wait for tonight's job)."""
    refuse_ended(locked.policy)
    current = state(locked, on)
    if current.status is rules.PolicyStatus.TERMINATED:
        raise Conflict(
            f"The 2-year reinstatement period ended on {current.reinstatement_deadline}; the policy has terminated",
            f"复效期已于 {current.reinstatement_deadline} 届满，保单已终止",
            code="reinstatement_window_closed",
        )
    if current.status is not rules.PolicyStatus.SUSPENDED or current.suspended_on is None:
        raise Conflict(
            "Only a suspended policy can be reinstated", "仅效力中止的保单可以申请复效", code="not_suspended"
        )
    rows = locked.instalments
    return rules.back_premiums(
        schedule(rows), premiums_of(rows), suspended_on=current.suspended_on, reinstate_on=on, annual_rate=annual_rate
    )


def reinstate(
    ctx: ServiceContext,
    policy_id: int,
    *,
    idempotency_key: str | None,
    account: str,
    risk_increased: bool,
    annual_rate: Decimal = DEFAULT_ANNUAL_RATE,
) -> ReinstatementResult:
    """Reinstate a suspended policy (see the module docstring). The same key always returns the first result."""
    locked = lock_policy(ctx, policy_id)
    key = scoped_key(locked.policy.household_id, check_key(idempotency_key))
    existing = payment_by_key(ctx, key)
    if existing is not None:
        return _replay(ctx, locked, check_replay(existing, policy_id, "reinstatement"))
    today = ctx.clock.today()
    apply(ctx, locked, today)
    _refuse_under_review(ctx, locked)
    due = _back_premiums(locked, today, annual_rate)
    number = bank_card(account)
    if risk_increased:
        return _refer(ctx, locked, due, number)
    payment = _charge(ctx, locked, key, number, due)
    by_seq = {r.seq: r for r in locked.instalments}
    for line in due.lines:
        by_seq[line.instalment].paid_on, by_seq[line.instalment].payment_id = today, payment.id
    policy = locked.policy
    policy.reinstated_on = [*policy.reinstated_on, today.isoformat()]
    suspensions.close(ctx, policy.id, today, "reinstated")
    policy.suspended_on, policy.status, policy.updated_at = None, rules.PolicyStatus.IN_FORCE.value, ctx.now()
    ctx.session.flush()
    ledger_posting.premium_received(ctx, payment, policy)
    apply(ctx, locked, today)  # the rules confirm every instalment due by today is paid
    request = service_request(
        ctx,
        policy,
        ServicingItem.REINSTATEMENT,
        channel=channel_of(ctx.principal),
        status="completed",
        payload={"risk_increased": False, "declaration": "simplified"},
        result={"outcome": "reinstated", "payment_id": payment.id, **_amounts(due)},
    )
    _notify(ctx, locked, today)
    ctx.audit("policy.reinstate", "policy", policy.id, {"payment_id": payment.id, **_amounts(due)})
    return ReinstatementResult("reinstated", policy.id, policy.status, request.id, payment.id, due)


def _amounts(due: rules.BackPremiums) -> dict[str, Any]:
    return {
        "principal": str(due.principal),
        "interest": str(due.interest),
        "total": str(due.total),
        "annual_rate": str(due.annual_rate),
        "instalments": [line.instalment for line in due.lines],
    }


def _charge(ctx: ServiceContext, locked: Locked, key: str, number: str, due: rules.BackPremiums) -> Payment:
    policy = locked.policy
    details = {"channel": channel_of(ctx.principal).value, **_amounts(due), "basis": due.basis}
    return payments.receive(
        ctx,
        key=key,
        kind="reinstatement",
        amount=due.total,
        account_number=number,
        holder_person_id=policy.policyholder_person_id,
        details=details,
        policy_id=policy.id,
    )


def _open_review(ctx: ServiceContext, policy_id: int) -> ServiceRequest | None:
    stmt = select(ServiceRequest).where(
        ServiceRequest.policy_id == policy_id,
        ServiceRequest.kind == ServicingItem.REINSTATEMENT.value,
        ServiceRequest.status == "referred",
    )
    return ctx.session.scalars(stmt.limit(1)).first()


def _refuse_under_review(ctx: ServiceContext, locked: Locked) -> None:
    if _open_review(ctx, locked.policy.id) is not None:
        raise Conflict(
            "An underwriter is reviewing this reinstatement; we will contact you",
            "您的复效申请正在由核保人员审核，我们会尽快与您联系",
            code="reinstatement_under_review",
        )


def _refer(ctx: ServiceContext, locked: Locked, due: rules.BackPremiums, number: str) -> ReinstatementResult:
    """Risk rose significantly: a person decides (the insurer may refuse only then; silence for 30 days is consent).
    The account is kept encrypted with the request (same column and key as ``payments.account``) so that an
    acceptance — by the underwriter or by silence — can collect the back premiums."""
    today = ctx.clock.today()
    request = service_request(
        ctx,
        locked.policy,
        ServicingItem.REINSTATEMENT,
        channel=channel_of(ctx.principal),
        status="referred",
        payload={
            "risk_increased": True,
            "declaration": "simplified",
            "review": "underwriter",
            "consent_by_silence_on": (today + timedelta(days=SILENCE_IS_CONSENT_DAYS)).isoformat(),
            "account_enc_b64": base64.b64encode(ctx.cipher.encrypt(payments.ACCOUNT_COLUMN, number)).decode(),
            "account_masked": mask_bank_card(number),
        },
        result={"outcome": "referred", "quoted": _amounts(due)},
        complete_due=today + timedelta(days=SILENCE_IS_CONSENT_DAYS),
    )
    ctx.audit("policy.reinstate_referred", "policy", locked.policy.id, {"service_request_id": request.id})
    return ReinstatementResult("referred", locked.policy.id, locked.policy.status, request.id, None, due)


def _replay(ctx: ServiceContext, locked: Locked, payment: Payment) -> ReinstatementResult:
    stmt = select(ServiceRequest).where(
        ServiceRequest.policy_id == locked.policy.id, ServiceRequest.kind == ServicingItem.REINSTATEMENT.value
    )
    request = next(r for r in ctx.session.scalars(stmt) if r.result.get("payment_id") == payment.id)
    return ReinstatementResult(
        "reinstated", locked.policy.id, locked.policy.status, request.id, payment.id, None, replayed=True
    )


def _notify(ctx: ServiceContext, locked: Locked, on: date) -> None:
    messages.queue(
        ctx,
        MessageKind.REINSTATEMENT_DONE,
        recipient=locked.holder,
        policy_no=locked.policy.policy_no,
        product=product_names(locked.policy),
        link=f"/policies/{locked.policy.id}",
        on=on,
    )
