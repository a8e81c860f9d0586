"""Invariants of the advice engine over random households (hypothesis): gap ≥ 0, score in 0–100, the plan's
premiums within the budget, every line within its product's limits and the minors' death cap."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiabao.advice.engine import Assumptions, GapKind, HouseholdInput, MemberInput, assess, recommend
from jiabao.advice.engine.plan import death_multiple
from jiabao.advice.pricing import QuotePricer
from jiabao.products.catalog import Catalog

money = st.integers(min_value=0, max_value=3_000_000).map(Decimal)
cover = st.dictionaries(st.sampled_from(list(GapKind)), st.integers(0, 3_000_000).map(Decimal), max_size=5)


@st.composite
def members(draw: st.DrawFn) -> MemberInput:
    age = draw(st.integers(0, 95))
    earns = age >= 18 and draw(st.booleans())
    return MemberInput(
        member_id=str(draw(st.integers(1, 10**6))),
        name="成员",
        age=age,
        sex=draw(st.sampled_from(["M", "F"])),
        relationship=draw(st.sampled_from(["self", "spouse", "child", "parent", "grandparent"])),
        annual_income=Decimal(draw(st.integers(1000, 2_000_000))) if earns else Decimal(0),
        social_insurance=draw(st.booleans()),
        retired=age >= 55 and draw(st.booleans()),
        occupation_class=draw(st.sampled_from([None, 1, 2, 3, 4, 5, 6])),
        cover=draw(cover),
        education_cost=draw(money) if age < 18 else Decimal(0),
    )


@st.composite
def households(draw: st.DrawFn) -> HouseholdInput:
    found = draw(st.lists(members(), min_size=1, max_size=7, unique_by=lambda m: m.member_id))
    return HouseholdInput(
        tuple(found), debts=draw(money), liquid_assets=draw(money), existing_premiums=draw(money) / 50
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(h=households())
def test_gaps_non_negative_and_score_in_range(h: HouseholdInput, assumptions: Assumptions) -> None:
    result = assess(h, assumptions)
    assert 0 <= result.score <= 100
    for m in result.members:
        for r in m.kinds.values():
            assert r.need >= 0 and r.gap >= 0 and r.gap == max(Decimal(0), r.need - r.cover)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(h=households(), share=st.sampled_from([Decimal("0.01"), Decimal("0.05"), Decimal("0.10"), Decimal("0.30")]))
def test_plan_within_budget_and_limits(
    h: HouseholdInput, share: Decimal, assumptions: Assumptions, catalog: Catalog, batch_pricer: QuotePricer
) -> None:
    plan = recommend(h, assumptions, catalog.products, batch_pricer, budget_share=share)
    assert plan.total_premium <= plan.budget
    assert plan.after.score >= assess(h, assumptions).score  # buying cover never lowers the score
    ages = {m.member_id: m for m in h.members}
    death_bought: dict[str, Decimal] = {}
    for line in plan.lines:
        product = catalog.products[line.product_code]
        age = ages[line.member_id].age
        assert product.ages.min_age <= age <= product.ages.max_age
        upper = product.amounts.max if age >= 18 or product.amounts.max_minor is None else product.amounts.max_minor
        assert product.amounts.min <= line.sum_assured <= upper
        assert (line.sum_assured - product.amounts.min) % product.amounts.step == 0
        death_bought[line.member_id] = death_bought.get(line.member_id, Decimal(0)) + line.sum_assured * death_multiple(
            product
        )
    for mid, bought in death_bought.items():
        cap = assumptions.minor_death_cap(ages[mid].age)
        if cap is not None:
            assert bought == 0 or bought + ages[mid].cover.get(GapKind.DEATH, Decimal(0)) <= cap
