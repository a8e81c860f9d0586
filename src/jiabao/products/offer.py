"""What the catalog offers today (pure): products closed to new business, and the age/term cells the 7号
death-cover-to-premium ratio always refuses, which are therefore not offered.

The ratio (银保监办发〔2020〕7号 item 1: cover ≥ 160% / 140% / 120% of premiums paid at attained ages 18–40 /
41–60 / 61+, in every premium-paying year) compares the sum assured with premiums; the premium is proportional to
the sum assured, so whether a cell passes does not depend on the amount — a cell that fails, fails for every
amount. Premiums are counted as actually paid: the instalment × instalments a year (monthly 12 × 0.088).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from jiabao.actuarial.regulation import minimum_cover_ratio
from jiabao.actuarial.tables import Sex, TableLibrary
from jiabao.products.catalog import Catalog
from jiabao.products.pricer import Points, price_batch
from jiabao.products.quoting import (
    INSTALMENTS_PER_YEAR,
    MODAL_FACTORS,
    cover_multiple,
    cover_ratio_applies,
    sale_violations,
    table_set_for,
)
from jiabao.products.schema import Frequency, MultiStatePricing, Product


@dataclass(frozen=True)
class RefusedCell:
    """Issue ages (``ages``) never offered for this payment term, cover option, frequency and sex."""

    payment_term: int
    coverage: int | None
    frequency: Frequency
    sex: Sex
    ages: tuple[int, ...]


def on_sale(product: Product, on: date) -> bool:
    return product.filed_on <= on and not sale_violations(product, on)


def _cover_options(product: Product) -> list[int | None]:
    kind = product.coverage.kind
    return list(product.coverage.options) if kind in ("years", "to_age") else [None]


def _cover_years(product: Product, option: int | None, age: int) -> int:
    kind = product.coverage.kind
    if kind == "whole_life":
        return product.coverage.end_age - age + 1
    if kind == "one_year" or option is None:
        return 1
    return option if kind == "years" else option - age


def refused_cells(product: Product, tables: TableLibrary) -> tuple[RefusedCell, ...]:
    """Every cell the 7号 ratio refuses whatever the amount (empty when the rule does not apply)."""
    if not cover_ratio_applies(product) or not isinstance(product.pricing, MultiStatePricing):
        return ()
    pricing = product.pricing
    unit = float(pricing.rate_unit)
    multiple = cover_multiple(product)
    table_set = table_set_for(product, tables)
    out = []
    for term in product.payment.terms:
        for option in _cover_options(product):
            ages = [
                a
                for a in range(product.ages.min_age, product.ages.max_age + 1)
                if (product.ages.max_age_at_payment_end is None or a + term <= product.ages.max_age_at_payment_end)
                and _cover_years(product, option, a) >= max(term, 1)
            ]
            if not ages:
                continue
            for sex in Sex:
                years = np.array([_cover_years(product, option, a) for a in ages], dtype=np.int64)
                points = Points(
                    issue_age=np.array(ages, dtype=np.int64),
                    sex=np.array([sex.value] * len(ages)),
                    payment_term=np.full(len(ages), term, dtype=np.int64),
                    cover_years=years,
                    payout_age=np.zeros(len(ages), dtype=np.int64),
                    mortality_multiplier=np.ones(len(ages)),
                )
                rate = price_batch(product, table_set, points).rate / unit  # premium per yuan of SA
                for frequency in product.payment.frequencies:
                    yearly = rate * float(MODAL_FACTORS[frequency]) * INSTALMENTS_PER_YEAR[frequency]
                    refused = tuple(
                        age
                        for age, per_year, n in zip(ages, yearly, years, strict=True)
                        if _fails(age, float(per_year), multiple, min(term, int(n)))
                    )
                    if refused:
                        out.append(RefusedCell(term, option, frequency, sex, refused))
    return tuple(out)


def _fails(age: int, per_year: float, multiple: float, paying_years: int) -> bool:
    for t in range(1, paying_years + 1):
        attained = age + t - 1
        if attained >= 18 and multiple < minimum_cover_ratio(attained) * per_year * t - 1e-9:
            return True
    return False


_CACHE: dict[tuple[str, int, str], tuple[RefusedCell, ...]] = {}


def cached_refused_cells(product: Product, tables: TableLibrary) -> tuple[RefusedCell, ...]:
    """``refused_cells`` once per product version and basis (the tables do not change while a process runs)."""
    key = (product.code, product.version, table_set_for(product, tables).basis)
    if key not in _CACHE:
        _CACHE[key] = refused_cells(product, tables)
    return _CACHE[key]


def closed_products(catalog: Catalog, on: date) -> list[str]:
    """Codes of products filed but closed to new business on ``on`` (they remain serviceable)."""
    return sorted(code for code, p in catalog.products.items() if p.filed_on <= on and not on_sale(p, on))
