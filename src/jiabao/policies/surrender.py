"""Surrender (退保) after the cooling-off period: the cash value, paid within 30 days (Insurance Law art. 47,
regulation.md §2.7 H). The entry is never hidden: :func:`quote` answers for every policy the caller may see, in
any status, and says what a request today would give (inside the cooling-off period, the cancellation refund).

Cash value convention: the stored quote (``Policy.details["quote"]``) has, per insured member and line, the cash
value at the **end** of each policy year (per the premiums of that year having been paid). We pay the value at
the end of the last policy year that has both **elapsed** (full years since the effective date) and been **paid
for** (instalments paid or waived ÷ instalments a year, rounded down), summed over the insureds still covered.
In the first policy year that is 0.00. No interpolation inside a year and no deduction of unpaid premium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jiabao.core.errors import Conflict
from jiabao.core.money import ZERO, to_decimal
from jiabao.db.context import ServiceContext
from jiabao.policies.billing_common import (
    Locked,
    end_policy,
    lock_policy,
    pay_out,
    premium_paid,
    refuse_ended,
    service_request,
)
from jiabao.policies.cancellation import refund_for
from jiabao.policies.rules.calendar import SlaKind, sla_deadline
from jiabao.policies.rules.cooling_off import CancellationKind, cancellation_refund
from jiabao.policies.rules.schedule import Frequency, add_years
from jiabao.policies.rules.servicing import Channel, ServicingItem


@dataclass(frozen=True)
class MemberValue:
    person_id: int
    name: str
    cash_value: Decimal


@dataclass(frozen=True)
class SurrenderQuote:
    policy_id: int
    as_of: date
    status: str
    kind: str
    """``cooling_off`` (cancellation: premium back less ≤ ¥10), ``surrender`` (cash value) or ``ended``."""
    amount: Decimal
    deduction: Decimal
    """Cooling-off: the fee kept. Surrender: the surrender loss, premium paid − cash value (≥ 0)."""
    premium_paid: Decimal
    cooling_off_end: date
    completed_years: int
    paid_years: int
    policy_year: int
    """The policy year whose end-of-year cash value is used (0: none yet)."""
    pay_by: date | None
    basis: str
    members: list[MemberValue] = field(default_factory=list)


def _completed_years(start: date, on: date) -> int:
    years = 0
    while add_years(start, years + 1) <= on:
        years += 1
    return years


def _paid_years(locked: Locked) -> int:
    paid = sum(1 for r in locked.instalments if r.paid_on is not None or r.waived)
    return paid // Frequency(locked.policy.frequency).per_year


def member_values(locked: Locked, year: int) -> list[MemberValue]:
    """Each covered insured's cash value at the end of policy ``year`` (0.00 for year 0) from the stored quote."""
    active = {i.person_id for i in locked.policy.insureds if i.status == "active"}
    out = []
    for member in locked.policy.details.get("quote", {}).get("members", []):
        if int(member["person_id"]) not in active:
            continue
        rows = [r for line in member["lines"] for r in line["cash_values"] if int(r["policy_year"]) == year]
        value = sum((Decimal(str(r["cash_value"])) for r in rows), ZERO)
        out.append(MemberValue(int(member["person_id"]), member["name"], to_decimal(value)))
    return out


@dataclass(frozen=True)
class _Offer:
    kind: str
    amount: Decimal
    deduction: Decimal
    premium_paid: Decimal
    pay_by: date | None
    basis: str


def _offer(ctx: ServiceContext, locked: Locked, on: date, cash_value: Decimal) -> _Offer:
    policy = locked.policy
    if policy.status in ("cancelled", "surrendered", "terminated"):
        paid = premium_paid(ctx, policy.id)
        return _Offer("ended", ZERO, ZERO, paid, None, f"the policy has ended ({policy.status})")
    early = refund_for(ctx, locked, on)
    if early.kind is CancellationKind.COOLING_OFF:
        due = sla_deadline(SlaKind.SERVICING_COMPLETE, on).due
        return _Offer("cooling_off", early.refund, early.deduction, early.premium_paid, due, early.basis)
    result = cancellation_refund(
        received_on=policy.received_on,
        requested_on=on,
        premium_paid=early.premium_paid,
        cash_value=cash_value,
        days=(policy.cooling_off_end - policy.received_on).days,
    )
    due = sla_deadline(SlaKind.SURRENDER_PAYMENT, on).due
    return _Offer("surrender", result.refund, result.deduction, result.premium_paid, due, result.basis)


def _quote(ctx: ServiceContext, locked: Locked, on: date) -> SurrenderQuote:
    policy = locked.policy
    completed, paid = _completed_years(policy.effective_date, on), _paid_years(locked)
    year = min(completed, paid)
    members = member_values(locked, year)
    offer = _offer(ctx, locked, on, sum((m.cash_value for m in members), ZERO))
    return SurrenderQuote(
        policy_id=policy.id,
        as_of=on,
        status=policy.status,
        kind=offer.kind,
        amount=offer.amount,
        deduction=offer.deduction,
        premium_paid=offer.premium_paid,
        cooling_off_end=policy.cooling_off_end,
        completed_years=completed,
        paid_years=paid,
        policy_year=year,
        pay_by=offer.pay_by,
        basis=offer.basis,
        members=members,
    )


def quote(ctx: ServiceContext, policy_id: int) -> SurrenderQuote:
    """What the policyholder would get today; shown before confirming (read only)."""
    return _quote(ctx, lock_policy(ctx, policy_id, write=False), ctx.clock.today())


@dataclass(frozen=True)
class SurrenderOut:
    quote: SurrenderQuote
    payment_id: int | None
    account_masked: str | None
    service_request_id: int


def surrender(ctx: ServiceContext, policy_id: int, *, channel: Channel) -> SurrenderOut:
    """Surrender for the cash value (409 ``in_cooling_off`` inside the period: cancel instead, it refunds more)."""
    locked = lock_policy(ctx, policy_id)
    policy = locked.policy
    refuse_ended(policy)
    today = ctx.clock.today()
    offer = _quote(ctx, locked, today)
    if offer.kind == "cooling_off":
        raise Conflict(
            "Inside the cooling-off period, cancel instead: the premium comes back less at most ¥10",
            "犹豫期内请申请撤销合同：退还已交保费，仅扣除不超过10元工本费",
            code="in_cooling_off",
        )
    assert offer.pay_by is not None
    request = service_request(
        ctx,
        policy,
        ServicingItem.SURRENDER,
        channel=channel,
        status="accepted",
        payload={"type": "surrender", "requested_on": today.isoformat(), "policy_year": offer.policy_year},
        result={},
        complete_due=offer.pay_by,
    )
    payment = None
    if offer.amount > 0:  # no payment row for a zero cash value (first policy year): nothing to move
        payment = pay_out(ctx, policy, kind="surrender", amount=offer.amount, details=_details(offer, request.id))
    request.result = {
        "cash_value": str(offer.amount),
        "surrender_loss": str(offer.deduction),
        "payment_id": payment.id if payment else None,
    }
    end_policy(ctx, policy, status="surrendered", reason="surrender")
    ctx.session.flush()
    ctx.audit("policy.surrender", "policy", policy.id, {**request.result, "channel": channel})
    return SurrenderOut(offer, payment.id if payment else None, payment.account_masked if payment else None, request.id)


def _details(offer: SurrenderQuote, request_id: int) -> dict[str, object]:
    return {
        "reason": "surrender",
        "policy_year": offer.policy_year,
        "premium_paid": str(offer.premium_paid),
        "surrender_loss": str(offer.deduction),
        "members": {str(m.person_id): str(m.cash_value) for m in offer.members},
        "pay_by": offer.pay_by.isoformat() if offer.pay_by else None,
        "service_request_id": request_id,
        "basis": offer.basis,
    }
