"""Prices plan lines with the products' own quoting engine (``products.quoting.quote_household``).

Two modes over the same engine: ``exact`` quotes every (product, member, options, sum assured) as asked;
the batch mode quotes each (product, age, sex, options) once at a reference sum assured and scales:
every premium in the catalog is rate × SA / rate unit, rounded half-up to the fen, with the rate independent of
the sum assured (docs/products.md), so the scaled premium equals the quote (tests/advice/test_pricing.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jiabao.actuarial.tables import Sex, TableLibrary
from jiabao.advice.engine import MemberInput, Options
from jiabao.products.catalog import Catalog
from jiabao.products.limits import MemberRequest, ProductSelection, QuoteRefused
from jiabao.products.quoting import money, quote_household
from jiabao.products.schema import MultiStatePricing, Product

RELATIONS = {"self": "self", "spouse": "spouse", "child": "child", "parent": "parent"}
_MISSING = object()


class QuotePricer:
    """A :data:`jiabao.advice.engine.PremiumFn` backed by the quoting engine, with a per-instance cache."""

    def __init__(self, catalog: Catalog, tables: TableLibrary, as_of: date, *, exact: bool = True) -> None:
        self.catalog, self.tables, self.as_of, self.exact = catalog, tables, as_of, exact
        self._cache: dict[tuple[object, ...], Decimal | None] = {}
        self.quotes = 0  # how many times the quoting engine ran (for the benchmark)

    def _quote(self, product: Product, m: MemberInput, options: Options, sa: Decimal) -> Decimal | None:
        self.quotes += 1
        selection = ProductSelection(
            product_code=product.code,
            sum_assured=sa,
            coverage=options.coverage,
            payment_term=options.payment_term,
            occupation_class=options.occupation_class,
            social_insurance=options.social_insurance,
            health_rating=options.health_rating,
            payout_age=options.payout_age,
        )
        request = MemberRequest(
            member_id=m.member_id,
            age=m.age,
            sex=Sex(m.sex),
            relation=RELATIONS.get(m.relationship, "other"),
            selections=[selection],
        )
        try:
            quote = quote_household(
                members=[request], catalog=self.catalog, tables=self.tables, as_of=self.as_of, include_cash_values=False
            )
        except QuoteRefused:
            return None
        return quote.annual_premium

    def __call__(self, product: Product, m: MemberInput, options: Options, sa: Decimal) -> Decimal | None:
        if self.exact:
            key: tuple[object, ...] = (product.code, product.version, m.age, m.sex, m.relationship, options, sa)
            found = self._cache.get(key, _MISSING)
            if found is _MISSING:
                found = self._cache[key] = self._quote(product, m, options, sa)
            return found  # type: ignore[return-value]
        key = (product.code, product.version, m.age, m.sex, options)
        rate = self._cache.get(key, _MISSING)
        if rate is _MISSING:
            reference = _reference_amount(product)
            if reference is None:  # no whole number of rate units on the amount grid: quote exactly
                return self._quote(product, m, options, sa)
            premium = self._quote(product, m, options, reference)
            unit = Decimal(product.pricing.rate_unit)
            rate = self._cache[key] = None if premium is None else premium / (reference / unit)
        if rate is None:
            return None
        unit = Decimal(product.pricing.rate_unit)
        if isinstance(product.pricing, MultiStatePricing):  # the quoting engine scales in floats: same here
            return money(float(rate) * (float(sa) / float(unit)))  # type: ignore[arg-type]
        return money(rate * sa / unit)  # type: ignore[operator]


def _reference_amount(product: Product) -> Decimal | None:
    """The smallest sum assured on the product's grid that is a whole number of rate units: its premium is
    rate × (SA / unit) with no rounding, so premium / SA is the exact rate per yuan."""
    low, step, high = Decimal(product.amounts.min), Decimal(product.amounts.step), Decimal(product.amounts.max)
    unit = Decimal(product.pricing.rate_unit)
    sa = low
    while sa <= high:
        if sa % unit == 0:
            return sa
        sa += step
    return None
