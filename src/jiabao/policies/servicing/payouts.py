"""Survival, maturity and annuity payments (生存金 / 满期金 / 年金领取): the daily job pays each on its date to the
registered account, once (the payment key is the policy, the insured and the date), with any policy loan settled
first. An annuity (a product with the ``annuity`` line) is paid only when the annuitant's survival was confirmed
within the year before the due date (``rules.alterations.survival_proven``); otherwise it waits, and the
policyholder is asked once for the confirmation (生存认证), which is itself a servicing item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jiabao.core.money import ZERO, to_decimal
from jiabao.db.context import ServiceContext
from jiabao.db.outbox import enqueue
from jiabao.family.schemas import HouseholdOut
from jiabao.policies.common.models import Payment, Policy, ServiceRequest
from jiabao.policies.rules import alterations as rules
from jiabao.policies.rules.schedule import add_years
from jiabao.policies.rules.servicing import Channel, ServicingItem
from jiabao.policies.servicing import loans
from jiabao.policies.servicing.common import active_insureds, finish, open_request, problem, raise_if
from jiabao.policies.servicing.schemas import SurvivalConfirmationIn
from jiabao.products.schema import MaturityBenefit, Product, SurvivalBenefit
from jiabao.products.service import ProductEngine

PAYABLE = ("in_force", "in_grace")


@dataclass
class PayoutSummary:
    as_of: date
    paid: list[dict[str, Any]] = field(default_factory=list)
    waiting_for_survival: list[dict[str, Any]] = field(default_factory=list)


def confirm_survival(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: SurvivalConfirmationIn
) -> ServiceRequest:
    """生存认证: the annuitant is alive today (online: the annuitant's own verified log-in or video; at the
    counter: staff saw the person and the ID). Later annuities due within a year are released."""
    del overview
    if data.person_id not in {i.person_id for i in active_insureds(policy)}:
        raise_if([problem("person_id", "not_insured", "不是本保单在保的被保险人", "Not an insured of this policy")])
    today = ctx.clock.today()
    row = open_request(ctx, policy, ServicingItem.SURVIVAL_CONFIRMATION, channel, {"person_id": data.person_id})
    survival = {**(policy.details.get("survival") or {}), str(data.person_id): today.isoformat()}
    policy.details = {**policy.details, "survival": survival}
    finish(ctx, policy, row, {"person_id": data.person_id, "confirmed_on": today.isoformat(), "method": data.method})
    return row


def _blocks(product: Product) -> tuple[list[SurvivalBenefit], list[MaturityBenefit]]:
    return (
        [b for b in product.benefits if isinstance(b, SurvivalBenefit)],
        [b for b in product.benefits if isinstance(b, MaturityBenefit)],
    )


def _member_quote(policy: Policy, person_id: int) -> dict[str, Any]:
    for member in policy.details.get("quote", {}).get("members", []):
        if int(member["person_id"]) == person_id:
            return dict(member)
    return {}


def _pay(
    ctx: ServiceContext, policy: Policy, person_id: int, kind: str, due: date, amount: Decimal, today: date
) -> dict[str, Any] | None:
    key = f"{kind}-{policy.id}-{person_id}-{due.isoformat()}"
    if ctx.session.scalars(select(Payment.id).where(Payment.idempotency_key == key)).first() is not None:
        return None
    deducted = loans.settle_from_benefit(ctx.session, policy.id, amount, today, source=kind)
    payment = loans.pay_to_registered_account(
        ctx,
        policy,
        kind=kind,
        key=key,
        amount=amount - deducted,
        details={"person_id": person_id, "due_on": due.isoformat(), "benefit": str(amount), "loan": str(deducted)},
    )
    ctx.session.add(
        ServiceRequest(
            policy_id=policy.id,
            kind=ServicingItem.BENEFIT_PAYMENT.value,
            channel=Channel.ONLINE.value,  # paid by the system to the registered account, nobody had to come in
            status="completed",
            requested_at=ctx.now(),
            accept_due=today,
            complete_due=max(due, today),
            completed_at=ctx.now(),
            payload={"person_id": person_id, "benefit": kind, "due_on": due.isoformat()},
            result={"payment_id": payment.id, "amount": str(amount), "loan_deducted": str(deducted)},
        )
    )
    ctx.session.flush()
    ctx.audit(f"policy.{kind}", "policy", policy.id, {"payment_id": payment.id, "due_on": due.isoformat()})
    enqueue(
        ctx.session,
        topic="sms",
        at=ctx.now(),
        payload={
            "kind": "benefit_paid",
            "person_id": policy.policyholder_person_id,
            "subject": None,
            "body": f"【家保】您的保单{policy.policy_no}{due.isoformat()}应领的"
            f"{ {'annuity': '年金', 'survival_benefit': '生存金', 'maturity_benefit': '满期金'}[kind] }"
            f"¥{amount - deducted}已转入您登记的账户{payment.account_masked}。",
            "policy_no": policy.policy_no,
        },
    )
    return {
        "policy_id": policy.id,
        "person_id": person_id,
        "kind": kind,
        "due_on": due.isoformat(),
        "amount": str(amount),
    }


def pay_due_benefits(ctx: ServiceContext, engine: ProductEngine, as_of: date) -> PayoutSummary:
    """The daily job: every survival benefit, annuity and maturity benefit due on or before ``as_of`` and not yet
    paid, on live policies whose product has such benefits."""
    summary = PayoutSummary(as_of)
    codes = [
        code
        for code, product in engine.catalog.products.items()
        if any(isinstance(b, SurvivalBenefit | MaturityBenefit) for b in product.benefits)
    ]
    stmt = (
        select(Policy)
        .where(Policy.product_code.in_(codes), Policy.status.in_(PAYABLE))
        .options(selectinload(Policy.insureds))
        .order_by(Policy.id)
    )
    for policy in ctx.session.scalars(stmt):
        product = engine.catalog.get(policy.product_code)
        assert product is not None
        survival_blocks, maturity_blocks = _blocks(product)
        annuity = "annuity" in [str(line) for line in product.product_lines]
        payout_age = int(policy.details.get("payout_age") or (product.payout_ages[0] if product.payout_ages else 0))
        for insured in active_insureds(policy):
            member = _member_quote(policy, insured.person_id)
            if not member:
                continue
            issue_age = int(member["age"])
            cover_years = int(member["lines"][0]["cover_years"]) if member.get("lines") else (policy.cover_years or 1)
            cover_end = add_years(policy.effective_date, cover_years)
            for block in survival_blocks:
                start = payout_age if block.from_age == "payout_age" else int(block.from_age)
                kind = "annuity" if annuity else "survival_benefit"
                for due in rules.payout_dates(
                    effective=policy.effective_date,
                    issue_age=issue_age,
                    from_age=start,
                    to_age=int(block.to_age),
                    cover_end=cover_end,
                    through=as_of,
                ):
                    confirmed = (policy.details.get("survival") or {}).get(str(insured.person_id))
                    if annuity and not rules.survival_proven(date.fromisoformat(confirmed) if confirmed else None, due):
                        summary.waiting_for_survival.append(
                            {"policy_id": policy.id, "person_id": insured.person_id, "due_on": due.isoformat()}
                        )
                        _ask_survival(ctx, policy, insured.person_id, due)
                        continue
                    amount = to_decimal(insured.sum_assured * Decimal(str(block.multiple)))
                    paid = _pay(ctx, policy, insured.person_id, kind, due, amount, as_of)
                    if paid:
                        summary.paid.append(paid)
            for maturity in maturity_blocks:
                if cover_end <= as_of:
                    amount = to_decimal(insured.sum_assured * Decimal(str(maturity.sa_multiple)))
                    if amount > ZERO:
                        paid = _pay(ctx, policy, insured.person_id, "maturity_benefit", cover_end, amount, as_of)
                        if paid:
                            summary.paid.append(paid)
    return summary


def _ask_survival(ctx: ServiceContext, policy: Policy, person_id: int, due: date) -> None:
    asked = list(policy.details.get("survival_asked") or [])
    key = f"{person_id}:{due.isoformat()}"
    if key in asked:
        return
    policy.details = {**policy.details, "survival_asked": [*asked, key]}
    enqueue(
        ctx.session,
        topic="sms",
        at=ctx.now(),
        payload={
            "kind": "survival_confirmation_needed",
            "person_id": policy.policyholder_person_id,
            "subject": None,
            "body": f"【家保】您的保单{policy.policy_no}有一笔{due.isoformat()}应领的年金，"
            "请在家保App或柜面完成生存认证后发放。",
            "policy_no": policy.policy_no,
        },
    )
    ctx.session.flush()
