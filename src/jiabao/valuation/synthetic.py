"""A synthetic book in force (pure, seeded) for the executor tests and the valuation benchmarks: insured lines of
every catalog product within its age, term, coverage and amount limits, premiums from the product's own pricer
(multi-state products) or rate table, issued up to ten years before the valuation date."""

from __future__ import annotations

import numpy as np

from jiabao.actuarial.tables import TableLibrary
from jiabao.products.catalog import Catalog
from jiabao.products.pricer import Points, price_batch
from jiabao.products.quoting import MODAL_FACTORS, table_set_for
from jiabao.products.schema import Frequency, MultiStatePricing, Product, RateTablePricing
from jiabao.valuation.engine import AssumptionSet, Lines, Shard

PER_YEAR = {Frequency.ANNUAL: 1, Frequency.SEMI_ANNUAL: 2, Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12}


def _cover(product: Product, ages: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    kind = product.coverage.kind
    if kind == "whole_life":
        return np.asarray(product.coverage.end_age - ages + 1)
    if kind == "one_year":
        return np.ones(len(ages), dtype=np.int64)
    options = np.asarray(product.coverage.options)[rng.integers(0, len(product.coverage.options), len(ages))]
    return np.asarray(options if kind == "years" else options - ages)


def product_lines(
    product: Product, tables: TableLibrary, count: int, rng: np.random.Generator, first_id: int, year: int
) -> Lines:
    ages = rng.integers(product.ages.min_age, product.ages.max_age + 1, count)
    terms = np.asarray(product.payment.terms)[rng.integers(0, len(product.payment.terms), count)]
    cover = _cover(product, ages, rng)
    limit = product.ages.max_age_at_payment_end or 200
    ok = (terms <= cover) & (cover >= 1) & (ages + np.where(terms > 1, terms, 0) <= limit)
    ages, terms, cover = ages[ok], terms[ok], cover[ok]
    n = len(ages)
    steps = np.arange(float(product.amounts.min), float(product.amounts.max) + 1, float(product.amounts.step))
    sa = steps[rng.integers(0, min(len(steps), 50), n)]
    sex = np.where(rng.random(n) < 0.5, "M", "F")
    frequencies = [f for f in product.payment.frequencies]
    chosen = [frequencies[i] for i in rng.integers(0, len(frequencies), n)]
    per_year = np.array([PER_YEAR[f] for f in chosen], dtype=np.int64)
    modal = np.array([float(MODAL_FACTORS[f]) for f in chosen])
    pricing = product.pricing
    if isinstance(pricing, MultiStatePricing):
        payout = product.payout_ages[0] if product.payout_ages else 0
        points = Points(ages, sex, terms, cover, np.full(n, payout, dtype=np.int64), np.ones(n))
        rate = price_batch(product, table_set_for(product, tables), points).rate
        premium = rate * sa / float(pricing.rate_unit)
    else:
        assert isinstance(pricing, RateTablePricing)
        bands = pricing.bands
        rate = np.array(
            [float(next((b.rate for b in bands if b.min_age <= a <= b.max_age), bands[-1].rate)) for a in ages]
        )
        premium = rate * sa / float(pricing.rate_unit)
    elapsed = rng.integers(0, 12 * np.minimum(cover, 10), n)
    return Lines(
        policy_id=np.arange(first_id, first_id + n, dtype=np.int64),
        cohort=(year - elapsed // 12).astype(np.int64),
        issue_age=ages.astype(np.int64),
        sex=sex,
        elapsed_months=elapsed.astype(np.int64),
        payment_term=terms.astype(np.int64),
        cover_years=cover.astype(np.int64),
        per_year=per_year,
        sum_assured=sa,
        annual_premium=np.round(premium, 2),
        modal_ratio=modal,
    )


def synthetic_book(
    catalog: Catalog,
    tables: TableLibrary,
    assumptions: AssumptionSet,
    *,
    lines_per_shard: int,
    shards: int,
    seed: int = 7,
    year: int = 2026,
) -> list[Shard]:
    """``shards`` shards of about ``lines_per_shard`` lines spread over every catalog product."""
    rng = np.random.default_rng(seed)
    products = sorted(catalog.products.values(), key=lambda p: p.code)
    per_product = max(1, lines_per_shard // len(products))
    out, next_id = [], 1
    for _ in range(shards):
        lines: dict[str, Lines] = {}
        for product in products:
            block = product_lines(product, tables, per_product, rng, next_id, year)
            next_id += per_product
            if len(block):
                lines[product.code] = block
        out.append(
            Shard(
                lines=lines,
                products={code: catalog.products[code] for code in lines},
                tables={
                    code: table_set_for(catalog.products[code], tables)
                    for code in lines
                    if not isinstance(catalog.products[code].pricing, RateTablePricing)
                },
                assumptions=assumptions,
            )
        )
    return out
