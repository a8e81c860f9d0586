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

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.curves import YieldCurve
from jiabao.actuarial.reserves import fpt_reserve, statutory_reserve
from jiabao.actuarial.tables import Sex, TableSet, mortality_kind_for
from jiabao.products.pricer import Points, cash_values, price_batch
from jiabao.products.schema import (
    CiAnnuity,
    CiBenefit,
    DeathBenefit,
    MaturityBenefit,
    MultiStatePricing,
    Product,
    RateTablePricing,
    SurvivalBenefit,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
RESULT_FIELDS = ("statutory", "pvr", "cash_value", "bel", "ra", "fcf0")
HORIZON_MONTHS = 106 * 12 + 1


@dataclass(frozen=True)
class AssumptionSet:
    """Best-estimate assumptions of one valuation (versioned: every run records the version it used)."""

    version: str
    curve: YieldCurve
    mortality_multiplier: float = 0.90
    incidence_multiplier: float = 0.95
    lapse_by_year: tuple[float, ...] = (0.08, 0.06, 0.05, 0.04, 0.03, 0.02)
    commission_by_year: tuple[float, ...] = (0.30, 0.10, 0.05, 0.0)
    acquisition_per_policy: float = 150.0
    maintenance_per_year: float = 36.0
    inflation: float = 0.02
    claim_expense_ratio: float = 0.01
    ra_stress: float = 0.10

    def parameters(self) -> dict[str, object]:
        """Everything but the curve's arrays, for the stored assumption set."""
        return {
            "mortality_multiplier": self.mortality_multiplier,
            "incidence_multiplier": self.incidence_multiplier,
            "lapse_by_year": list(self.lapse_by_year),
            "commission_by_year": list(self.commission_by_year),
            "acquisition_per_policy": self.acquisition_per_policy,
            "maintenance_per_year": self.maintenance_per_year,
            "inflation": self.inflation,
            "claim_expense_ratio": self.claim_expense_ratio,
            "ra_stress": self.ra_stress,
            "curve": {"name": self.curve.name, "step": self.curve.step, "forwards": self.curve.forwards.tolist()},
        }


@dataclass(frozen=True)
class Lines:
    """Insured lines of one product, one row each (arrays of equal length)."""

    policy_id: IntArray
    cohort: IntArray  # issue year
    issue_age: IntArray
    sex: NDArray[np.str_]
    elapsed_months: IntArray  # whole months from the effective date to the valuation date
    payment_term: IntArray
    cover_years: IntArray
    per_year: IntArray  # instalments a year
    sum_assured: FloatArray
    annual_premium: FloatArray
    modal_ratio: FloatArray  # instalment / annual premium of the policy (market modal factors)

    def __len__(self) -> int:
        return len(self.policy_id)

    def take(self, rows: NDArray[np.bool_] | IntArray) -> Lines:
        return Lines(**{name: getattr(self, name)[rows] for name in self.__dataclass_fields__})


@dataclass(frozen=True)
class Shard:
    """What a worker needs: lines by product code, the products, their table sets and the assumptions."""

    lines: dict[str, Lines]
    products: dict[str, Product]
    tables: dict[str, TableSet]
    assumptions: AssumptionSet


@dataclass
class ShardResult:
    """Per insured line (``policy_id``, ``product``, ``cohort``, the six amounts) and the book's expected net
    cash flow by month from the valuation date, per product (for the scenario runs)."""

    policy_id: IntArray
    product: NDArray[np.str_]
    cohort: IntArray
    amounts: dict[str, FloatArray]
    net_cash_flow: dict[str, FloatArray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.policy_id)


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


@dataclass(frozen=True)
class _Benefits:
    death_sa: float  # × SA on death
    death_premiums: float  # × premiums paid on death
    death_until_age: int  # deaths at this attained age or later pay nothing
    ci: float  # × SA on CI (lump sums, mild blocks weighted by their incidence share)
    ci_annuity: float  # × SA a year after CI while younger than ci_annuity_until
    ci_annuity_until: int
    survival: tuple[tuple[float, int, int], ...]  # (× SA a year, from age, to age)
    maturity_sa: float
    maturity_premiums: float


def _benefits(product: Product) -> _Benefits:
    payout = product.payout_ages[0] if product.payout_ages else 200
    death_sa = death_prem = ci = ci_ann = mat_sa = mat_prem = 0.0
    death_until, ci_until = 200, 0
    survival: list[tuple[float, int, int]] = []
    for block in product.benefits:
        if isinstance(block, DeathBenefit):
            death_sa += block.sa_multiple
            death_prem += block.premium_multiple
            if block.until_age is not None:
                death_until = payout if block.until_age == "payout_age" else int(block.until_age)
        elif isinstance(block, CiBenefit):
            ci += block.multiple * block.incidence_share
        elif isinstance(block, CiAnnuity):
            ci_ann, ci_until = block.multiple, block.until_age
        elif isinstance(block, SurvivalBenefit):
            start = payout if block.from_age == "payout_age" else int(block.from_age)
            survival.append((block.multiple, start, block.to_age))
        elif isinstance(block, MaturityBenefit):
            mat_sa += block.sa_multiple
            mat_prem += block.premium_multiple
    return _Benefits(death_sa, death_prem, death_until, ci, ci_ann, ci_until, tuple(survival), mat_sa, mat_prem)


def _annual_rates(product: Product, table_set: TableSet, lines: Lines, years: int) -> tuple[FloatArray, FloatArray]:
    """(other death, CI incidence) by policy year from the pricing tables, before best-estimate multipliers."""
    pricing = product.pricing
    assert isinstance(pricing, MultiStatePricing)
    kind = pricing.mortality or mortality_kind_for(pricing.product_type)
    ages = lines.issue_age[:, None] + np.arange(years)[None, :]
    q = np.ones((len(lines), years))
    ix = np.zeros((len(lines), years))
    kx = np.zeros((len(lines), years))
    for sex in Sex:
        rows = lines.sex == sex.value
        if not rows.any():
            continue
        qx = table_set.mortality_table(kind, sex).qx
        q[rows] = qx[np.minimum(ages[rows], len(qx) - 1)]
        if pricing.uses_ci_table:
            table = table_set.incidence_table(sex)
            ix[rows] = np.where(ages[rows] < len(table.ix), table.ix[np.minimum(ages[rows], len(table.ix) - 1)], 0.0)
            if pricing.accelerated:
                kx[rows] = table.kx[np.minimum(ages[rows], len(table.kx) - 1)]
    return q * (1.0 - kx), ix


def _monthly(annual: FloatArray) -> FloatArray:
    return np.asarray(1.0 - np.power(1.0 - np.clip(annual, 0.0, 1.0), 1.0 / 12.0), dtype=np.float64)


@dataclass(frozen=True)
class Plan:
    """What does not depend on the decrement rates, per line and month: the outgo per policy in force
    (premiums net of commission, expenses, survival benefits) and per death, per CI and at maturity."""

    other: FloatArray  # annual other-death rate by policy year
    incidence: FloatArray  # annual CI incidence by policy year
    covered: NDArray[np.bool_]
    maturity_month: IntArray
    per_policy: FloatArray  # outgo per policy in force at the start of the month
    per_death: FloatArray  # outgo per death in the month (benefit + claim expense)
    per_ci: FloatArray  # outgo per CI in the month
    per_maturity: FloatArray  # (lines,): benefit + claim expense per policy reaching the end of cover
    lapse_monthly: FloatArray  # (months,)


def plan(product: Product, table_set: TableSet, lines: Lines, assumptions: AssumptionSet) -> Plan:
    """The static part of :func:`project` (module docstring; benefits, premiums and expenses by month)."""
    pricing = product.pricing
    assert isinstance(pricing, MultiStatePricing)
    benefits = _benefits(product)
    years = int(lines.cover_years.max())
    months = 12 * years + 1
    other, ix = _annual_rates(product, table_set, lines, years)
    year_of = np.arange(months) // 12
    t = np.arange(months)[None, :]
    covered = t < (12 * lines.cover_years)[:, None]
    sa, annual = lines.sum_assured[:, None], lines.annual_premium[:, None]
    due = covered & (t % (12 // lines.per_year)[:, None] == 0) & (t < (12 * lines.payment_term)[:, None])
    instalment_due = due * (annual * lines.modal_ratio[:, None])
    paid_to_date = np.cumsum(instalment_due, axis=1)
    age = lines.issue_age[:, None] + year_of[None, :]
    claim_load = 1.0 + assumptions.claim_expense_ratio
    death_pay = (benefits.death_sa * sa + benefits.death_premiums * paid_to_date) * (age < benefits.death_until_age)
    ci_annuity_years = np.clip(benefits.ci_annuity_until - age, 0, None) if benefits.ci_annuity else 0.0
    ci_pay = (benefits.ci + benefits.ci_annuity * ci_annuity_years) * sa
    waiting = t < round(12 * pricing.waiting_period_years)
    ci_pay = np.where(waiting, paid_to_date, ci_pay)  # in the waiting period: premiums refunded (product terms)
    survival = np.zeros_like(instalment_due)
    anniversary = (t % 12 == 0) & covered
    for multiple, start, end in benefits.survival:
        survival += anniversary * ((age >= start) & (age < end)) * multiple * sa
    commission = _commission_rates(pricing, lines, assumptions, year_of)
    running = assumptions.maintenance_per_year / 12.0 * np.power(1.0 + assumptions.inflation, t / 12.0)
    per_policy = claim_load * survival + running * covered - instalment_due * (1.0 - commission)
    per_policy[:, 0] += assumptions.acquisition_per_policy
    rows = np.arange(len(lines))
    last_paid = paid_to_date[rows, np.minimum(12 * lines.cover_years, months - 1)]
    per_maturity = claim_load * (benefits.maturity_sa * lines.sum_assured + benefits.maturity_premiums * last_paid)
    lapse = np.asarray(assumptions.lapse_by_year)[np.minimum(year_of, len(assumptions.lapse_by_year) - 1)]
    return Plan(
        other=other,
        incidence=ix,
        covered=covered,
        maturity_month=(12 * lines.cover_years).astype(np.int64),
        per_policy=per_policy,
        per_death=claim_load * death_pay,
        per_ci=claim_load * ci_pay,
        per_maturity=per_maturity,
        lapse_monthly=_monthly(lapse),
    )


def run_decrements(plan: Plan, assumptions: AssumptionSet, stress: float = 0.0) -> tuple[FloatArray, FloatArray]:
    """(net outgo, policies in force) by month for the plan's lines, mortality and morbidity × (1 + stress)."""
    lines, months = plan.per_policy.shape
    year_idx = np.minimum(np.arange(months) // 12, plan.other.shape[1] - 1)
    factor = 1.0 + stress
    q_m = _monthly(np.minimum(plan.other * assumptions.mortality_multiplier * factor, 1.0))[:, year_idx]
    ci_m = _monthly(np.minimum(plan.incidence * assumptions.incidence_multiplier * factor, 1.0))[:, year_idx]
    step = (1.0 - q_m - ci_m) * (1.0 - plan.lapse_monthly)[None, :]
    pols = np.ones((lines, months))
    np.cumprod(step[:, :-1], axis=1, out=pols[:, 1:])
    rows = np.arange(lines)
    matured = pols[rows, np.minimum(plan.maturity_month, months - 1)] * (plan.maturity_month < months)
    pols *= plan.covered
    outgo = pols * (plan.per_policy + q_m * plan.per_death + ci_m * plan.per_ci)
    outgo[rows, np.minimum(plan.maturity_month, months - 1)] += matured * plan.per_maturity
    return np.asarray(outgo, dtype=np.float64), pols


def project(
    product: Product,
    table_set: TableSet,
    lines: Lines,
    assumptions: AssumptionSet,
    *,
    stress: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """(expected net outgo, expected policies in force) per line by month from issue, ``(lines, months)``.

    Net outgo = benefits + expenses + commissions − premiums. Decrements are monthly at constant force within
    the year (death, CI, then lapse on the survivors); premiums at the start of each instalment month; claims
    in the month of the event; survival benefits on the anniversary; the maturity benefit at the end of cover.
    """
    return run_decrements(plan(product, table_set, lines, assumptions), assumptions, stress)


def _commission_rates(
    pricing: MultiStatePricing, lines: Lines, assumptions: AssumptionSet, year_of: IntArray
) -> FloatArray:
    """Commission by policy year as a share of premium, never above the pricing loading of that year (62号
    item 4: commission ≤ the loading)."""
    base = np.asarray(assumptions.commission_by_year)[np.minimum(year_of, len(assumptions.commission_by_year) - 1)]
    out = np.zeros((len(lines), len(year_of)))
    for term in np.unique(lines.payment_term):
        rows = lines.payment_term == term
        loads = np.asarray(pricing.loadings.get(int(term), [0.0]), dtype=np.float64)
        out[rows] = np.minimum(base, loads[np.minimum(year_of, len(loads) - 1)])[None, :]
    return out


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
