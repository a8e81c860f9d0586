"""The recommended plan (智能推荐): within budget, breadwinners first, every product limit respected."""

from __future__ import annotations

from decimal import Decimal

from jiabao.advice.engine import Assumptions, GapKind, HouseholdInput, MemberInput, recommend
from jiabao.advice.engine.plan import budget_for, sum_assured_limit
from jiabao.advice.pricing import QuotePricer
from jiabao.products.catalog import Catalog
from tests.advice.test_gap_engine import adult, child

D = Decimal


def five(income_a: int = 300000, income_b: int = 200000, grandparent_age: int = 72) -> HouseholdInput:
    """Two working parents, two children and a grandparent, with a mortgage."""
    return HouseholdInput(
        (
            adult("1", 38, income_a),
            adult("2", 36, income_b, "F", "spouse"),
            child("3", 8),
            child("4", 4),
            adult("5", grandparent_age, 36000, "F", "parent", retired=True),
        ),
        debts=D(1500000),
        liquid_assets=D(200000),
    )


def test_plan_within_budget_breadwinners_first(assumptions: Assumptions, catalog: Catalog, pricer: QuotePricer) -> None:
    h = five()
    plan = recommend(h, assumptions, catalog.products, pricer)
    assert plan.budget == D("53600.00")  # 10% of 536,000 household income, nothing held yet
    assert 0 < plan.total_premium <= plan.budget
    assert plan.total_premium == sum(line.annual_premium for line in plan.lines)
    # every line's premium is the quoting engine's own premium for that line
    for line in plan.lines:
        assert line.closes > 0 and line.closes <= line.gap_before
        assert line.why.zh and line.why.en and line.product_name_zh in line.why.zh
    # within each kind, the breadwinners' lines come before the dependants'
    for kind in GapKind:
        order = [line.member_id for line in plan.lines if line.kind is kind]
        earners = [i for i, mid in enumerate(order) if mid in ("1", "2")]
        others = [i for i, mid in enumerate(order) if mid not in ("1", "2")]
        assert not earners or not others or max(earners) < min(others)
    assert (
        plan.after.score > 0
        and plan.after.total_gap
        < sum(r.gap for r in recommend(h, assumptions, catalog.products, pricer).after.totals.values())
        + plan.after.total_gap
        + 1
    )


def test_grandparent_gets_senior_products(assumptions: Assumptions, catalog: Catalog, pricer: QuotePricer) -> None:
    """The senior cancer cover (issue ages to 80) and senior accident cover (to 85) make the grandparent's plan
    complete; the one-year medical cover stops at 65, so her medical gap is reported, not bought."""
    plan = recommend(five(600000, 400000), assumptions, catalog.products, pricer)
    granny = {line.product_code for line in plan.lines if line.member_id == "5"}
    assert granny == {"senior_cancer", "senior_accident"}
    assert any(s.member_id == "5" and s.kind is GapKind.MEDICAL and s.code == "no_product" for s in plan.skipped)
    older = recommend(five(600000, 400000, grandparent_age=83), assumptions, catalog.products, pricer)
    assert {line.product_code for line in older.lines if line.member_id == "5"} == {"senior_accident"}


def test_nothing_to_buy_within_budget(assumptions: Assumptions, catalog: Catalog, pricer: QuotePricer) -> None:
    """Premiums already paid use up 10% of income: the plan buys nothing and says why for every gap."""
    h = HouseholdInput((adult("1", 40, 100000), child("2", 6)), existing_premiums=D(12000))
    plan = recommend(h, assumptions, catalog.products, pricer)
    assert plan.budget == 0 and plan.lines == () and plan.total_premium == 0
    assert plan.skipped and all(s.code in ("budget", "no_product") for s in plan.skipped)
    assert plan.after.score == plan.after.score and plan.after.total_gap == sum(s.gap for s in plan.skipped)


def test_adjustable_budget(assumptions: Assumptions, catalog: Catalog, pricer: QuotePricer) -> None:
    h = five()
    small = recommend(h, assumptions, catalog.products, pricer, budget_share=D("0.02"))
    large = recommend(h, assumptions, catalog.products, pricer, budget_share=D("0.20"))
    assert small.budget == budget_for(D(536000), D(0), D("0.02")) == D("10720.00")
    assert small.total_premium <= small.budget < large.budget
    assert small.after.score <= large.after.score


def test_minor_death_cap(assumptions: Assumptions, catalog: Catalog) -> None:
    """保监发〔2015〕90号: a minor's death cover across all insurers ≤ ¥200,000 under 10, ¥500,000 at 10–17."""
    family_ci = catalog.products["family_ci"]  # pays on death before CI: its sum assured counts
    eight = MemberInput("c", "孩子", 8, "M", "child", cover={GapKind.DEATH: D(150000)})
    limit, capped = sum_assured_limit(family_ci, eight, assumptions, eight.cover)
    assert capped and limit == 0  # 50,000 of room is below the product's 100,000 minimum
    twelve = MemberInput("c", "孩子", 12, "M", "child", cover={GapKind.DEATH: D(150000)})
    limit, capped = sum_assured_limit(family_ci, twelve, assumptions, twelve.cover)
    assert capped and limit == D(350000)
    children_ci = catalog.products["children_ci"]  # pays back premiums on death, not a sum: not counted
    assert sum_assured_limit(children_ci, eight, assumptions, eight.cover) == (D(500000), False)


def test_too_small_gap_is_not_bought(assumptions: Assumptions, catalog: Catalog, pricer: QuotePricer) -> None:
    held = {GapKind.ACCIDENT: D(480000)}
    h = HouseholdInput((adult("1", 40, 100000, cover=held),))
    plan = recommend(h, assumptions, catalog.products, pricer)
    assert not any(line.kind is GapKind.ACCIDENT for line in plan.lines)
    assert any(s.kind is GapKind.ACCIDENT and s.code == "too_small" for s in plan.skipped)
