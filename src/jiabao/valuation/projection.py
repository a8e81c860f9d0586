"""Monthly best-estimate projection of insured lines (pure): a static plan (benefits, premiums, expenses by month)
and decrement passes over it (base and the risk-adjustment stresses reuse one plan). Formulas in
:mod:`jiabao.valuation.engine`'s docstring and docs/valuation.md."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.tables import Sex, TableSet, mortality_kind_for
from jiabao.products.schema import (
    CiAnnuity,
    CiBenefit,
    DeathBenefit,
    MaturityBenefit,
    MultiStatePricing,
    Product,
    SurvivalBenefit,
)
from jiabao.valuation.shard import AssumptionSet, Lines

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


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
    """(net outgo, expected survivors in the portfolio) by month for the plan's lines, mortality and morbidity
    × (1 + stress). The survivors are not cut at the end of cover, so that a line valued in its maturity month is
    conditioned on reaching it (the outgo is cut: nothing is paid after cover but the maturity benefit)."""
    lines, months = plan.per_policy.shape
    year_idx = np.minimum(np.arange(months) // 12, plan.other.shape[1] - 1)
    factor = 1.0 + stress
    q_m = _monthly(np.minimum(plan.other * assumptions.mortality_multiplier * factor, 1.0))[:, year_idx]
    ci_m = _monthly(np.minimum(plan.incidence * assumptions.incidence_multiplier * factor, 1.0))[:, year_idx]
    total = q_m + ci_m
    if np.any(total > 1.0):  # where the table closes (q = 1) death and CI share the month's exits
        scale = np.where(total > 1.0, 1.0 / np.maximum(total, 1.0), 1.0)
        q_m, ci_m, total = q_m * scale, ci_m * scale, np.minimum(total, 1.0)
    step = (1.0 - total) * (1.0 - plan.lapse_monthly)[None, :]
    alive = np.ones((lines, months))
    np.cumprod(step[:, :-1], axis=1, out=alive[:, 1:])
    rows = np.arange(lines)
    matured = alive[rows, np.minimum(plan.maturity_month, months - 1)] * (plan.maturity_month < months)
    outgo = (alive * plan.covered) * (plan.per_policy + q_m * plan.per_death + ci_m * plan.per_ci)
    outgo[rows, np.minimum(plan.maturity_month, months - 1)] += matured * plan.per_maturity
    return np.asarray(outgo, dtype=np.float64), alive


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
