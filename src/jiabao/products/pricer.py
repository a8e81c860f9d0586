"""Turn a catalog product into engine arrays and price a batch of model points at once (pure, vectorised).

A batch is any number of insureds of one product: arrays of issue age, sex, payment term, cover years and
options. Nothing here loops over policies; the few loops run over the product's benefit blocks, the two sexes
or the distinct payment terms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial import cashflows as cf
from jiabao.actuarial.curves import Interest
from jiabao.actuarial.decrements import accelerated_ci_rates
from jiabao.actuarial.pricing import (
    average_loading,
    gross_premium,
    premium_with_given_linked,
    round_half_up,
)
from jiabao.actuarial.reserves import CashValueTable, cash_value_table
from jiabao.actuarial.tables import Sex, TableSet, mortality_kind_for, rates_by_policy_year
from jiabao.products.schema import (
    CiAnnuity,
    CiBenefit,
    DeathBenefit,
    MaturityBenefit,
    MultiStatePricing,
    PremiumWaiver,
    Product,
    SurvivalBenefit,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Points:
    """One row per insured; all arrays have the same length."""

    issue_age: IntArray
    sex: NDArray[np.str_]  # "M" / "F"
    payment_term: IntArray
    cover_years: IntArray
    payout_age: IntArray  # annuities; 0 when unused
    mortality_multiplier: FloatArray


@dataclass(frozen=True)
class Priced:
    """Prices per unit of ``rate_unit`` SA, and the arrays needed for reserves and cash values."""

    basis: str
    rate_exact: FloatArray  # gross premium per rate_unit before rounding
    rate: FloatArray  # rounded as the product declares
    average_loading: FloatArray
    pricing: cf.Components
    cv_basis: cf.Components
    loadings: FloatArray
    cv_rate: FloatArray  # gross premium on the cash-value basis per rate_unit (premium-linked at ``rate``)


def _by_sex(table_set: TableSet, points: Points, pick: str, n: int, pad: float) -> FloatArray:
    """CI rates by policy year for each point from its sex's table (``pick``: ix / kx)."""
    out = np.zeros((len(points.issue_age), n), dtype=np.float64)
    for sex in Sex:
        rows = points.sex == sex.value
        if not rows.any():
            continue
        table = table_set.incidence_table(sex)
        values = table.ix if pick == "ix" else table.kx
        out[rows] = rates_by_policy_year(values, points.issue_age[rows], n, pad)
    return out


def _mortality(table_set: TableSet, pricing: MultiStatePricing, points: Points, n: int) -> FloatArray:
    kind = pricing.mortality or mortality_kind_for(pricing.product_type)
    out = np.ones((len(points.issue_age), n), dtype=np.float64)
    for sex in Sex:
        rows = points.sex == sex.value
        if rows.any():
            qx = table_set.mortality_table(kind, sex).qx
            out[rows] = rates_by_policy_year(qx, points.issue_age[rows], n, 1.0)
    return np.minimum(out * points.mortality_multiplier[:, None], 1.0)


def build_exposure(
    product: Product, table_set: TableSet, points: Points, interest: Interest, frequency: int = 1
) -> cf.Exposure:
    """Decrement rates, ages and cover/payment masks for a batch; premiums ``frequency`` times a year."""
    pricing = product.pricing
    assert isinstance(pricing, MultiStatePricing)
    n = int(points.cover_years.max())
    t = np.arange(n)[None, :]
    q = _mortality(table_set, pricing, points, n)
    if pricing.uses_ci_table:
        ix = _by_sex(table_set, points, "ix", n, 0.0)
        kx = _by_sex(table_set, points, "kx", n, 0.0) if pricing.accelerated else np.zeros_like(q)
        other, trigger = accelerated_ci_rates(q, ix, kx)
    else:
        other, trigger = q, np.zeros_like(q)
    cover = (t < points.cover_years[:, None]).astype(np.float64)
    return cf.Exposure(
        q=q,
        other_death=other * cover,
        trigger=trigger * cover,
        ages=points.issue_age[:, None] + t,
        cover=cover,
        pay=(t < points.payment_term[:, None]).astype(np.float64) * cover,
        interest=interest,
        waiting_years=pricing.waiting_period_years,
        frequency=frequency,
    )


def build_components(product: Product, exposure: cf.Exposure, points: Points) -> cf.Components:
    """Apply every benefit block of the product to the exposure."""
    dens = cf.densities(exposure)
    comp = cf.empty_components(dens, exposure)
    for block in product.benefits:
        if isinstance(block, CiBenefit):
            scaled = replace(dens, trigger_mid=dens.trigger_mid * block.incidence_share)
            cf.add_trigger_lump_sum(
                comp,
                scaled,
                multiple=block.multiple,
                subject_to_waiting=block.subject_to_waiting,
                refund_premium=block.waiting_refund,
            )
        elif isinstance(block, CiAnnuity):
            cf.add_trigger_annuity(
                comp,
                dens,
                exposure,
                multiple=block.multiple,
                until_age=block.until_age,
                subject_to_waiting=block.subject_to_waiting,
                refund_premium=block.waiting_refund,
            )
        elif isinstance(block, SurvivalBenefit):
            _add_survival(comp, dens, exposure, block, points)
        elif isinstance(block, DeathBenefit):
            cf.add_death_benefit(
                comp,
                dens,
                exposure,
                sa_multiple=block.sa_multiple,
                premium_multiple=block.premium_multiple,
                healthy_only=block.healthy_only,
                mask=_age_mask(block.until_age, exposure, points),
            )
        elif isinstance(block, PremiumWaiver):
            cf.add_premium_waiver(comp, dens, exposure, subject_to_waiting=block.subject_to_waiting)
        elif isinstance(block, MaturityBenefit):
            cf.add_maturity_benefit(
                comp, dens, exposure, sa_multiple=block.sa_multiple, premium_multiple=block.premium_multiple
            )
    return comp


def _age_mask(until: int | str | None, exposure: cf.Exposure, points: Points) -> FloatArray | None:
    if until is None:
        return None
    limit = points.payout_age[:, None] if until == "payout_age" else np.asarray(until)
    return np.asarray(exposure.ages < limit, dtype=np.float64)


def _add_survival(
    comp: cf.Components, dens: cf.Densities, exposure: cf.Exposure, block: SurvivalBenefit, points: Points
) -> None:
    if block.from_age == "payout_age":
        start = points.payout_age[:, None]
        paying = (exposure.ages >= start) & (exposure.ages < block.to_age)
        comp.survival_sa += block.multiple * dens.d_start * paying
    else:
        cf.add_survival_benefit(
            comp, dens, exposure, multiple=block.multiple, from_age=block.from_age, to_age=block.to_age
        )


def loading_matrix_by_term(pricing: MultiStatePricing, points: Points, shape: tuple[int, int]) -> FloatArray:
    """Loadings by policy year for each point's payment term (the last listed year repeats)."""
    out = np.zeros(shape, dtype=np.float64)
    years = np.arange(shape[1])
    for term in np.unique(points.payment_term):
        rows = points.payment_term == term
        values = np.asarray(pricing.loadings[int(term)], dtype=np.float64)
        out[rows] = values[np.minimum(years, len(values) - 1)][None, :]
    return out * (years[None, :] < points.payment_term[:, None])


def price_batch(
    product: Product,
    table_set: TableSet,
    points: Points,
    *,
    extra: cf.ExtraBlocks | None = None,
    frequency: int = 1,
    interest: Interest | None = None,
) -> Priced:
    """Gross premium per ``rate_unit`` SA on the pricing basis, then the cash-value basis premium.

    P = unit·ΣB^{SA} / Σ D·pay·(1 − L) − ΣB^{P} (equivalence principle), rounded as the product says; the
    cash-value basis uses ``cv_interest`` (default pricing + 2%) with premium-linked benefits at the rounded P.
    ``frequency`` prices the annual premium payable in that many instalments a year (UDD within the year, AMLCR
    §6.5); ``interest`` replaces the filed pricing rate by another rate or a yield curve (e.g. a profit test).
    """
    pricing = product.pricing
    assert isinstance(pricing, MultiStatePricing)
    unit = float(pricing.rate_unit)
    cv_interest = pricing.cv_interest if pricing.cv_interest is not None else pricing.interest + 0.02
    comps = []
    pricing_interest: Interest = pricing.interest if interest is None else interest
    for rate in (pricing_interest, cv_interest):
        exposure = build_exposure(product, table_set, points, rate, frequency)
        comp = build_components(product, exposure, points)
        if extra is not None:
            extra(comp, exposure)
        comps.append(comp)
    loadings = loading_matrix_by_term(pricing, points, comps[0].premium.shape)
    exact = gross_premium(comps[0], loadings, sum_assured=unit)
    rounded = round_half_up(exact, float(pricing.rate_rounding))
    cv_rate = premium_with_given_linked(comps[1], loadings, sum_assured=unit, linked_premium=rounded)
    return Priced(
        basis=table_set.basis,
        rate_exact=exact,
        rate=rounded,
        average_loading=average_loading(comps[0], loadings),
        pricing=comps[0],
        cv_basis=comps[1],
        loadings=loadings,
        cv_rate=cv_rate,
    )


def cash_values(product: Product, priced: Priced, points: Points) -> CashValueTable:
    """Minimum cash values per ``rate_unit`` SA by policy year (k by single/regular premium)."""
    pricing = product.pricing
    assert isinstance(pricing, MultiStatePricing)
    single = points.payment_term == 1
    k = np.where(single, pricing.k_single, pricing.k_regular)
    tables = [
        cash_value_table(
            priced.cv_basis,
            sum_assured=float(pricing.rate_unit),
            gross_premium=priced.rate,
            pvr_premium=priced.cv_rate,
            loadings=priced.loadings,
            payment_term=points.payment_term,
            k=float(kk),
        )
        for kk in np.unique(k)
    ]
    if len(tables) == 1:
        return tables[0]
    pick = (k == np.unique(k)[1])[:, None]
    return CashValueTable(
        policy_value_reserve=tables[0].policy_value_reserve,
        factor=np.where(pick, tables[1].factor, tables[0].factor),
        minimum_cash_value=np.where(pick, tables[1].minimum_cash_value, tables[0].minimum_cash_value),
    )
