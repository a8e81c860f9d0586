"""Valuation of the book in force: a pure function over one shard of insured lines (no database, no clock).

For each insured line of an in-force policy (one product, one insured) it produces, at the valuation date:

* **statutory reserve** (法定准备金): the one-year full preliminary term reserve on the pricing basis (7号 item 14),
  floored at the cash value and at zero (:func:`jiabao.actuarial.reserves.statutory_reserve`);
* **policy value reserve** (保单价值准备金, PVR) and **cash value** (现金价值 = r_t·max(PVR, 0)), 7号 items 5–6;
* **BEL** (best-estimate liability, IFRS 17 / 新保险合同准则 general model): the expected present value of the
  future monthly cash flows — benefits by decrement (death, CI, survival, maturity), premiums, expenses and
  commissions — on the best-estimate assumptions of the :class:`AssumptionSet`, discounted on its yield curve;
* **RA** (risk adjustment): the increase of the BEL when mortality and morbidity move by ±``ra_stress`` in the
  adverse direction (a margin method, see docs/valuation.md);
* **FCF₀**: BEL + RA at initial recognition (month 0, same assumptions), from which the service builds the CSM of
  each group (product × annual cohort × onerous or not).

Mid-year statutory values interpolate linearly between the anniversary values (7号 item 9 allows reasonable
interpolation). One-year and rate-table products (medical, accident) are valued on the unearned premium
(1/365 method, 7号 item 16), their cash value being the unearned premium (7号 item 10).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.curves import YieldCurve
from jiabao.actuarial.reserves import fpt_reserve, statutory_reserve
from jiabao.actuarial.tables import TableSet
from jiabao.products.pricer import Points, cash_values, price_batch
from jiabao.products.schema import MultiStatePricing, Product, RateTablePricing
from jiabao.valuation.projection import plan, project, run_decrements
from jiabao.valuation.shard import HORIZON_MONTHS, RESULT_FIELDS, AssumptionSet, Lines, Shard, ShardResult

__all__ = [
    "HORIZON_MONTHS",
    "RESULT_FIELDS",
    "AssumptionSet",
    "Lines",
    "Shard",
    "ShardResult",
    "book_flows",
    "future_flow",
    "present_values",
    "project",
    "value_shard",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def value_shard(shard: Shard) -> ShardResult:
    """Value every line of the shard (formulas in the module docstring)."""
    ids, products, cohorts = [], [], []
    amounts: dict[str, list[FloatArray]] = {name: [] for name in RESULT_FIELDS}
    flows: dict[str, FloatArray] = {}
    for code in sorted(shard.lines):
        lines = shard.lines[code]
        if len(lines) == 0:
            continue
        product = shard.products[code]
        if isinstance(product.pricing, RateTablePricing):
            values, flow = _value_short_term(product, lines)
        else:
            values, flow = _value_long_term(product, shard.tables[code], lines, shard.assumptions)
        ids.append(lines.policy_id)
        products.append(np.full(len(lines), code))
        cohorts.append(lines.cohort)
        for name in RESULT_FIELDS:
            amounts[name].append(values[name])
        flows[code] = flow
    if not ids:
        empty = np.zeros(0)
        return ShardResult(
            np.zeros(0, np.int64), np.zeros(0, "<U1"), np.zeros(0, np.int64), {n: empty for n in RESULT_FIELDS}
        )
    return ShardResult(
        policy_id=np.concatenate(ids),
        product=np.concatenate(products),
        cohort=np.concatenate(cohorts),
        amounts={name: np.concatenate(parts) for name, parts in amounts.items()},
        net_cash_flow=flows,
    )


# -- short-term (rate-table) products ------------------------------------------------------------------------------


def _value_short_term(product: Product, lines: Lines) -> tuple[dict[str, FloatArray], FloatArray]:
    """Unearned premium (1/365 ≈ months/12) as statutory reserve and cash value; BEL = expected claims on the
    unexpired cover (premium × expected loss ratio) − nothing more to collect; RA = 5% of it (docs/valuation.md)."""
    pricing = product.pricing
    assert isinstance(pricing, RateTablePricing)
    elapsed_in_year = lines.elapsed_months % 12
    unexpired = (12 - elapsed_in_year) / 12.0
    upr = lines.annual_premium * unexpired
    bel = upr * pricing.expected_loss_ratio
    ra = 0.05 * bel
    fcf0 = lines.annual_premium * pricing.expected_loss_ratio * 1.05 - lines.annual_premium
    flow = np.zeros(HORIZON_MONTHS)
    remaining = (12 - elapsed_in_year).astype(np.int64)
    for months in np.unique(remaining):
        rows = remaining == months
        flow[: int(months)] += bel[rows].sum() / months
    return {"statutory": upr, "pvr": upr, "cash_value": upr, "bel": bel, "ra": ra, "fcf0": fcf0}, flow


# -- long-term products ---------------------------------------------------------------------------------------------


def _points(product: Product, lines: Lines) -> Points:
    payout = product.payout_ages[0] if product.payout_ages else 0
    return Points(
        issue_age=lines.issue_age,
        sex=lines.sex,
        payment_term=lines.payment_term,
        cover_years=lines.cover_years,
        payout_age=np.full(len(lines), payout, dtype=np.int64),
        mortality_multiplier=np.ones(len(lines)),
    )


def _interpolate(by_year: FloatArray, years: IntArray, fraction: FloatArray) -> FloatArray:
    """Linear between the values at anniversaries ``years`` and ``years + 1`` (columns of ``by_year``)."""
    rows = np.arange(len(years))
    last = by_year.shape[1] - 1
    start = by_year[rows, np.minimum(years, last)]
    end = by_year[rows, np.minimum(years + 1, last)]
    return np.asarray((1.0 - fraction) * start + fraction * end, dtype=np.float64)


def _statutory_values(product: Product, table_set: TableSet, lines: Lines) -> dict[str, FloatArray]:
    pricing = product.pricing
    assert isinstance(pricing, MultiStatePricing)
    points = _points(product, lines)
    priced = price_batch(product, table_set, points)
    unit = float(pricing.rate_unit)
    scale = lines.sum_assured / unit
    fpt = fpt_reserve(priced.pricing, sum_assured=unit, gross=priced.rate)
    table = cash_values(product, priced, points)
    zero = np.zeros((len(lines), 1))
    pvr_by_year = np.concatenate([zero, table.policy_value_reserve], axis=1)
    cv_by_year = np.concatenate([zero, table.minimum_cash_value], axis=1)
    years = lines.elapsed_months // 12
    fraction = (lines.elapsed_months % 12) / 12.0
    fpt_now = _interpolate(fpt, years, fraction) * scale
    pvr_now = _interpolate(pvr_by_year, years, fraction) * scale
    cv_now = _interpolate(cv_by_year, years, fraction) * scale
    return {"statutory": statutory_reserve(fpt_now, cv_now), "pvr": pvr_now, "cash_value": cv_now}


def present_values(outgo: FloatArray, elapsed_months: IntArray, curve: YieldCurve) -> tuple[FloatArray, FloatArray]:
    """(value at the valuation date, value at issue) of each line's outgo on ``curve``; months before the
    valuation date count for nothing in the first."""
    months = outgo.shape[1]
    monthly = np.append(curve.monthly(months), 0.0)  # v(m/12) for m = 0..months−1; the extra 0 for m < 0
    at_issue = outgo @ monthly[:months]
    shifted = np.arange(months)[None, :] - elapsed_months[:, None]
    disc = monthly[np.where(shifted >= 0, shifted, months)]
    return np.asarray((outgo * disc).sum(axis=1), dtype=np.float64), np.asarray(at_issue, dtype=np.float64)


def future_flow(outgo: FloatArray, elapsed_months: IntArray) -> FloatArray:
    """Σ over lines of the outgo by month counted from the valuation date (length :data:`HORIZON_MONTHS`)."""
    months = outgo.shape[1]
    shifted = np.arange(months)[None, :] - elapsed_months[:, None]
    valid = (shifted >= 0) & (shifted < HORIZON_MONTHS)
    flow = np.bincount(shifted[valid], weights=outgo[valid], minlength=HORIZON_MONTHS)[:HORIZON_MONTHS]
    return np.asarray(flow, dtype=np.float64)


CHUNK = 1000
"""Lines projected at once: bounds memory to a few (CHUNK × 1,273 months) arrays whatever the shard size."""


def _value_long_term(
    product: Product, table_set: TableSet, lines: Lines, assumptions: AssumptionSet
) -> tuple[dict[str, FloatArray], FloatArray]:
    parts: list[dict[str, FloatArray]] = []
    flow = np.zeros(HORIZON_MONTHS)
    for start in range(0, len(lines), CHUNK):
        chunk = lines.take(np.arange(start, min(start + CHUNK, len(lines))))
        values, chunk_flow = _value_chunk(product, table_set, chunk, assumptions)
        parts.append(values)
        flow += chunk_flow
    return {name: np.concatenate([p[name] for p in parts]) for name in RESULT_FIELDS}, flow


def _value_chunk(
    product: Product, table_set: TableSet, lines: Lines, assumptions: AssumptionSet
) -> tuple[dict[str, FloatArray], FloatArray]:
    values = _statutory_values(product, table_set, lines)
    static = plan(product, table_set, lines, assumptions)
    outgo, in_force = run_decrements(static, assumptions)
    rows = np.arange(len(lines))
    share = np.maximum(in_force[rows, np.minimum(lines.elapsed_months, in_force.shape[1] - 1)], 1e-12)
    conditional = outgo / share[:, None]  # per life in force at the valuation date
    future, at_issue = present_values(conditional, lines.elapsed_months, assumptions.curve)
    at_issue = at_issue * share
    worst_future, worst_issue = future.copy(), at_issue.copy()
    for direction in (1.0, -1.0):
        stressed, _ = run_decrements(static, assumptions, direction * assumptions.ra_stress)
        f, i = present_values(stressed / share[:, None], lines.elapsed_months, assumptions.curve)
        worst_future, worst_issue = np.maximum(worst_future, f), np.maximum(worst_issue, i * share)
    values["bel"] = future
    values["ra"] = worst_future - future
    values["fcf0"] = worst_issue  # BEL₀ + RA₀ (the adverse direction at issue)
    return values, future_flow(conditional, lines.elapsed_months)


def book_flows(shard: Shard) -> dict[str, FloatArray]:
    """Only the best-estimate net outgo by month from the valuation date, per product, summed over the shard's
    lines (conditional on being in force at the valuation date) — what the scenario runs discount."""
    flows: dict[str, FloatArray] = {}
    for code in sorted(shard.lines):
        lines, product = shard.lines[code], shard.products[code]
        if len(lines) == 0:
            continue
        if isinstance(product.pricing, RateTablePricing):
            flows[code] = _value_short_term(product, lines)[1]
            continue
        total = np.zeros(HORIZON_MONTHS)
        for start in range(0, len(lines), CHUNK):
            chunk = lines.take(np.arange(start, min(start + CHUNK, len(lines))))
            outgo, in_force = project(product, shard.tables[code], chunk, shard.assumptions)
            rows = np.arange(len(chunk))
            share = np.maximum(in_force[rows, np.minimum(chunk.elapsed_months, in_force.shape[1] - 1)], 1e-12)
            total += future_flow(outgo / share[:, None], chunk.elapsed_months)
        flows[code] = total
    return flows
