"""Surrender (退保) after the cooling-off period: the cash value, paid within 30 days (Insurance Law art. 47,
regulation.md §2.7 H). The entry is never hidden: :func:`quote` answers for every policy the caller may see, in
any status, and says what a request today would give (inside the cooling-off period, the cancellation refund).

Cash value convention (:mod:`jiabao.policies.rules.cash_value`): the stored quote (``Policy.details["quote"]``)
has, per insured member and line, the cash value at the **end** of each policy year. We pay the value at the
position t = min(years elapsed, years paid for) — fractional: days into the policy year ÷ days in it, and paid
(or waived) instalments ÷ instalments a year — interpolated linearly between the end-of-year values, CV_0 = 0
(7号 item 9), summed over the insureds still covered. A one-year product refunds its unearned premium instead
(7号 item 10). A policy terminated after 2 years of suspension gets its cash value on the termination date
(Insurance Law art. 37; :func:`pay_on_termination`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jiabao.core.errors import Conflict
from jiabao.core.money import ZERO, to_decimal
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
from jiabao.policies.common.models import Payment, Policy
from jiabao.policies.rules import cash_value as cv
from jiabao.policies.rules.calendar import SlaKind, sla_deadline
from jiabao.policies.rules.cooling_off import CancellationKind, cancellation_refund
from jiabao.policies.rules.schedule import Frequency
from jiabao.policies.rules.servicing import Channel, ServicingItem
from jiabao.policies.servicing.cancellation import refund_for


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
    """The whole policy years of the position (0 in the first year)."""
    position_years: Decimal
    """The position the value is read at: min(years elapsed, years paid for), 4 places (e.g. 0.5123)."""
    pay_by: date | None
    basis: str
    members: list[MemberValue] = field(default_factory=list)


def _paid_instalments(locked: Locked) -> int:
    return sum(1 for r in locked.instalments if r.paid_on is not None or r.waived)


def _one_year(policy: Policy) -> bool:
    """A one-year product (意外、医疗): every quoted line covers one year."""
    lines = [line for m in policy.details.get("quote", {}).get("members", []) for line in m.get("lines", [])]
    if lines:
        return all(int(line.get("cover_years") or 0) == 1 for line in lines)
    return policy.cover_years == 1


def member_values(locked: Locked, years: Decimal) -> list[MemberValue]:
    """Each covered insured's cash value ``years`` (fractional) into the policy, interpolated between the stored
    end-of-year values (CV_0 = 0)."""
    active = {i.person_id for i in locked.policy.insureds if i.status == "active"}
    out = []
    for member in locked.policy.details.get("quote", {}).get("members", []):
        if int(member["person_id"]) not in active:
            continue
        table: dict[int, Decimal] = {}
        for line in member["lines"]:
            for row in line["cash_values"]:
                year = int(row["policy_year"])
                table[year] = table.get(year, ZERO) + Decimal(str(row["cash_value"]))
        value = cv.cash_value_at(table, years)
        out.append(MemberValue(int(member["person_id"]), member["name"], to_decimal(value)))
    return out


def _unearned_values(ctx: ServiceContext, locked: Locked, on: date) -> list[MemberValue]:
    """One-year cover: each insured's share of the unearned premium (shares by annual premium, the rounding
    remainder on the last)."""
    policy = locked.policy
    total = cv.unearned_premium(
        premium_for_year=premium_paid(ctx, policy.id),
        annual_premium=policy.annual_premium,
        start=policy.effective_date,
        on=on,
    )
    active = [i for i in policy.insureds if i.status == "active"]
    names = {int(m["person_id"]): m["name"] for m in policy.details.get("quote", {}).get("members", [])}
    weight = sum((i.annual_premium for i in active), ZERO)
    out: list[MemberValue] = []
    remaining = total
    for n, insured in enumerate(active, 1):
        if n == len(active):
            share = remaining
        else:
            share = to_decimal(total * insured.annual_premium / weight) if weight else ZERO
        remaining -= share
        out.append(MemberValue(insured.person_id, names.get(insured.person_id, ""), share))
    return out


@dataclass(frozen=True)
class _Offer:
    kind: str
    amount: Decimal
    deduction: Decimal
    premium_paid: Decimal
    pay_by: date | None
    basis: str


def _offer(ctx: ServiceContext, locked: Locked, on: date, cash_value: Decimal, *, one_year: bool) -> _Offer:
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
    basis = result.basis
    if one_year:
        basis += "; one-year cover: the unearned premium, 1/365 (7号 items 10 and 16)"
    else:
        basis += "; cash value interpolated between policy anniversaries (7号 item 9)"
    return _Offer("surrender", result.refund, result.deduction, result.premium_paid, due, basis)


def _quote(ctx: ServiceContext, locked: Locked, on: date) -> SurrenderQuote:
    policy = locked.policy
    where = cv.position(policy.effective_date, max(on, policy.effective_date))
    paid = cv.paid_years(_paid_instalments(locked), Frequency(policy.frequency).per_year)
    years = min(where.years, paid)
    one_year = _one_year(policy)
    members = _unearned_values(ctx, locked, on) if one_year else member_values(locked, years)
    offer = _offer(ctx, locked, on, sum((m.cash_value for m in members), ZERO), one_year=one_year)
    return SurrenderQuote(
        policy_id=policy.id,
        as_of=on,
        status=policy.status,
        kind=offer.kind,
        amount=offer.amount,
        deduction=offer.deduction,
        premium_paid=offer.premium_paid,
        cooling_off_end=policy.cooling_off_end,
        completed_years=where.completed_years,
        paid_years=int(paid),
        policy_year=int(years),
        position_years=cv.shown(years),
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
        "position_years": str(offer.position_years),
        "premium_paid": str(offer.premium_paid),
        "surrender_loss": str(offer.deduction),
        "members": {str(m.person_id): str(m.cash_value) for m in offer.members},
        "pay_by": offer.pay_by.isoformat() if offer.pay_by else None,
        "service_request_id": request_id,
        "basis": offer.basis,
    }


def pay_on_termination(ctx: ServiceContext, locked: Locked, terminated_on: date) -> Payment | None:
    """A policy terminated because it was not reinstated within 2 years of suspension pays its cash value
    (Insurance Law art. 37 para. 2: 按照合同约定退还保险单的现金价值) — the value on the termination date at the
    position the premiums paid reach — to the account that last paid, within 30 days (as a surrender, art. 47).
    Once per policy (the payment's key is per policy and kind); nothing is written for a zero value."""
    policy = locked.policy
    where = cv.position(policy.effective_date, max(terminated_on, policy.effective_date))
    paid = cv.paid_years(_paid_instalments(locked), Frequency(policy.frequency).per_year)
    years = min(where.years, paid)
    members = member_values(locked, years)
    amount = sum((m.cash_value for m in members), ZERO)
    if amount <= 0:
        return None
    pay_by = sla_deadline(SlaKind.SURRENDER_PAYMENT, terminated_on).due
    details: dict[str, object] = {
        "reason": "terminated_not_reinstated",
        "terminated_on": terminated_on.isoformat(),
        "position_years": str(cv.shown(years)),
        "members": {str(m.person_id): str(m.cash_value) for m in members},
        "pay_by": pay_by.isoformat(),
        "basis": "Insurance Law art. 37 para. 2: cash value on termination; paid within 30 days (art. 47 by analogy)",
    }
    payment = pay_out(ctx, policy, kind="termination_cash_value", amount=amount, details=details)
    ctx.audit("policy.termination_cash_value", "policy", policy.id, {"payment_id": payment.id, "amount": str(amount)})
    return payment
