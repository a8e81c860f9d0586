"""The batch pricer (one quote per product/age/sex/options, then scaled) gives the quoting engine's premiums."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiabao.advice.engine import MemberInput, load_assumptions
from jiabao.advice.engine.plan import choose_options, sum_assured_limit
from jiabao.advice.pricing import QuotePricer
from jiabao.products.catalog import Catalog
from jiabao.products.limits import death_cover, minor_death_cap


@pytest.mark.parametrize("age", [3, 30, 45, 58, 70, 82])
def test_scaled_premium_equals_quote(
    age: int, catalog: Catalog, pricer: QuotePricer, batch_pricer: QuotePricer
) -> None:
    a = load_assumptions()
    member = MemberInput("m", "成员", age, "F", "self", Decimal(100000), occupation_class=2)
    checked = 0
    for choices in a.recommend.products.values():
        for choice in choices:
            product = catalog.products[choice.code]
            options = choose_options(product, member, choice, 20)
            if options is None:
                continue
            low, step, high = product.amounts.min, product.amounts.step, product.amounts.max
            high = min(high, sum_assured_limit(product, member, a, member.cover)[0])  # incl. the minors' cap
            for sa in {low, min(high, low + 7 * step), min(high, low + 123 * step), high}:
                exact = pricer(product, member, options, Decimal(sa))
                cap = minor_death_cap(age)
                if cap is not None and death_cover(product, Decimal(sa)) > cap:
                    assert exact is None  # a minor's death cover above 保监发〔2015〕90号's cap is refused
                    continue
                assert exact is not None
                assert batch_pricer(product, member, options, Decimal(sa)) == exact, (product.code, sa)
                checked += 1
    assert checked >= 3
