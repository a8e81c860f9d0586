"""Renewal (续保) of one-year products (medical, accident, senior cancer): from 30 days before the cover ends to the
end date, each insured is re-priced at the attained age (the rate-table band at the new age ÷ the band at the
last pricing age, applied to the standard premium, so options such as social insurance and occupation class keep
their factors), cover runs one more year and the next year's instalments are scheduled. Inside the product's
guaranteed-renewal period renewal is never refused, whatever the claims (Health Insurance Measures art. 21;
``rules.alterations.renewal_decision``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from jiabao.core.errors import Conflict
from jiabao.core.money import to_decimal
from jiabao.core.validation import age_on
from jiabao.db.context import ServiceContext
from jiabao.family.schemas import HouseholdOut
from jiabao.policies.common import premiums
from jiabao.policies.common.models import Instalment, Policy, ServiceRequest
from jiabao.policies.rules import alterations as rules
from jiabao.policies.rules.schedule import Frequency, add_years, due_date, instalment_count
from jiabao.policies.rules.servicing import Channel, ServicingItem
from jiabao.policies.servicing.common import active_insureds, finish, modal, open_request
from jiabao.policies.servicing.schemas import RenewalIn
from jiabao.products.offer import on_sale
from jiabao.products.schema import Product, RateTablePricing
from jiabao.products.service import ProductEngine

WINDOW_DAYS = 30


def _band(product: Product, age: int) -> Decimal | None:
    pricing = product.pricing
    assert isinstance(pricing, RateTablePricing)
    for band in pricing.bands:
        if band.min_age <= age <= band.max_age:
            return Decimal(str(band.rate))
    return None


def renew(
    ctx: ServiceContext,
    engine: ProductEngine,
    policy: Policy,
    overview: HouseholdOut,
    channel: Channel,
    data: RenewalIn,
) -> ServiceRequest:
    """Renew a one-year policy for the next year (see the module docstring)."""
    del data
    product = engine.catalog.get(policy.product_code)
    if product is None or product.coverage.kind != "one_year" or not isinstance(product.pricing, RateTablePricing):
        raise Conflict("Only one-year products are renewed", "仅一年期产品可以续保", code="not_renewable")
    insureds = active_insureds(policy)
    end = max(i.end_date for i in insureds if i.end_date is not None)
    today = ctx.clock.today()
    if not end - timedelta(days=WINDOW_DAYS) <= today <= end:
        raise Conflict(
            f"Renewal is open from 30 days before the cover ends ({end.isoformat()})",
            f"续保申请时间为保险期间届满前30日至届满日（{end.isoformat()}）",
            code="renewal_window",
        )
    births = {m.person_id: m.birth_date for m in overview.members + overview.former_members}
    medical = product.medical
    guaranteed_until = add_years(policy.effective_date, medical.guaranteed_renewal_years) if medical else None
    claims = int(policy.details.get("claims_count") or 0)
    changes: dict[str, dict[str, str]] = {}
    plans: list[tuple[int, Decimal]] = []
    for insured in insureds:
        attained = age_on(births[insured.person_id], end)
        decision = rules.renewal_decision(
            attained_age=attained,
            max_renewal_age=medical.max_renewal_age if medical else product.ages.max_age,
            guaranteed_until=guaranteed_until,
            renewal_date=end,
            on_sale=on_sale(product, end),
            claims_made=claims,
        )
        if not decision.renew:
            raise Conflict(
                f"Renewal is not possible ({decision.reason})",
                {"max_renewal_age": "被保险人已超过最高续保年龄", "product_closed": "该产品已停售，不能续保"}.get(
                    decision.reason, "不能续保"
                ),
                code=f"renewal_{decision.reason}",
            )
        last_age = int(
            (policy.details.get("priced_ages") or {}).get(str(insured.person_id))
            or age_on(births[insured.person_id], policy.effective_date)
        )
        old_rate, new_rate = _band(product, last_age), _band(product, attained)
        if not old_rate or new_rate is None:
            raise Conflict("No rate for the attained age", "续保年龄无对应费率", code="renewal_no_rate")
        plans.append((insured.person_id, new_rate / old_rate))
        changes[str(insured.person_id)] = {"from_age": str(last_age), "to_age": str(attained)}
    row = open_request(ctx, policy, ServicingItem.RENEWAL, channel, {"cover_end": end.isoformat()})
    ratios = dict(plans)
    new_end = add_years(end, 1)
    for insured in insureds:
        before = insured.annual_premium
        premiums.restandard(insured, to_decimal((insured.standard_premium or before) * ratios[insured.person_id]))
        insured.end_date = new_end
        changes[str(insured.person_id)] |= {"premium_before": str(before), "premium_after": str(insured.annual_premium)}
    frequency = Frequency(policy.frequency)
    seq = int(ctx.session.scalar(select(func.max(Instalment.seq)).where(Instalment.policy_id == policy.id)) or 0)
    amount = sum((modal(i.annual_premium, policy.frequency) for i in insureds), Decimal(0))
    for n in range(instalment_count(1, frequency)):
        ctx.session.add(
            Instalment(policy_id=policy.id, seq=seq + n + 1, due_date=due_date(end, frequency, n), amount=amount)
        )
    policy.annual_premium = sum((i.annual_premium for i in insureds), Decimal(0))
    policy.instalment = amount
    policy.cover_years = (policy.cover_years or 1) + 1
    policy.details = {
        **policy.details,
        "priced_ages": {k: int(v["to_age"]) for k, v in changes.items()},
        "renewals": [*(policy.details.get("renewals") or []), {"from": end.isoformat(), "to": new_end.isoformat()}],
    }
    ctx.session.flush()
    finish(
        ctx,
        policy,
        row,
        {
            "cover_end": new_end.isoformat(),
            "guaranteed": guaranteed_until is not None and end <= guaranteed_until,
            "claims_made": claims,
            "instalment": str(amount),
            "members": changes,
        },
    )
    return row
