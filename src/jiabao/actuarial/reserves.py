"""Reserves and cash values on :class:`~jiabao.actuarial.cashflows.Components`.

All values are per policy in force at the stated time, prospective (未来法):

    ₜV = (S·Σ_{s≥t} (B^{SA}_s + SB_s) + P^{b}·Σ_{s≥t} B^{P}_s − P^{v}·Σ_{s≥t} D_s pay_s (1 − L_s)) / D_t

where P^{b} is the premium that sets premium-linked benefits and P^{v} the valuation premium (AMLCR ch. 7).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.cashflows import Components, reverse_cumsum

FloatArray = NDArray[np.float64]

DEFAULT_K_REGULAR = 0.8
"""k for regular-premium policies in r_t = k + t(1 − k)/min(20, n). The retrieved text of 93号 items 16–17
does
not carry the k table; 0.8 (regular) and 1.0 (single) follow a public filing spreadsheet. Configurable per
product."""
DEFAULT_K_SINGLE = 1.0


def _divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), 0.0))


def prospective_reserve(
    comp: Components,
    *,
    sum_assured: float | FloatArray,
    benefit_premium: float | FloatArray,
    valuation_premium: float | FloatArray,
    loadings: FloatArray | None = None,
) -> FloatArray:
    """ₜV at the start of each policy year t = 0..n (before that year's premium); shape ``(points, years +
    1)``.

    The last column (end of cover) is 0. Formula in the module docstring.
    """
    sa = np.asarray(sum_assured, dtype=np.float64).reshape(-1, 1)
    pb = np.asarray(benefit_premium, dtype=np.float64).reshape(-1, 1)
    pv = np.asarray(valuation_premium, dtype=np.float64).reshape(-1, 1)
    net_income = comp.premium if loadings is None else comp.premium * (1.0 - loadings)
    outgo = sa * (comp.sa + comp.survival_sa) + pb * comp.premium_linked - pv * net_income
    values = _divide(reverse_cumsum(outgo), comp.in_force)
    return np.concatenate([values, np.zeros((values.shape[0], 1))], axis=1)


def net_premium_reserve(comp: Components, *, sum_assured: float | FloatArray, gross: FloatArray) -> FloatArray:
    """Net level premium reserve: valuation premium P^{net} = (S·ΣB + P·ΣB^P) / Σ D·pay, no loadings."""
    sa = np.asarray(sum_assured, dtype=np.float64)
    pnet = (sa * (comp.sa + comp.survival_sa).sum(axis=1) + gross * comp.premium_linked.sum(axis=1)) / (
        comp.premium.sum(axis=1)
    )
    return prospective_reserve(comp, sum_assured=sa, benefit_premium=gross, valuation_premium=pnet)


def fpt_reserve(comp: Components, *, sum_assured: float | FloatArray, gross: FloatArray) -> FloatArray:
    """Full preliminary term reserve (一年期完全修正法, 7号 item 14).

    Year 1 is valued as one-year term (₀V = ₁V = 0); from year 2 the net premium is
    P^{FPT} = Σ_{s≥1} (S·B_s + P·B^P_s) / Σ_{s≥1} D_s pay_s, i.e. ₜV^{FPT} = PVFB_t − P^{FPT}·PVFP_t
    for t ≥ 1.
    """
    sa = np.asarray(sum_assured, dtype=np.float64).reshape(-1, 1)
    outgo = sa * (comp.sa + comp.survival_sa) + gross.reshape(-1, 1) * comp.premium_linked
    later_premium = comp.premium[:, 1:].sum(axis=1)
    p_fpt = _divide(outgo[:, 1:].sum(axis=1), later_premium)
    values = _divide(reverse_cumsum(outgo - p_fpt.reshape(-1, 1) * comp.premium), comp.in_force)
    values[:, 0] = 0.0
    return np.concatenate([values, np.zeros((values.shape[0], 1))], axis=1)


def cash_value_factor(policy_years: NDArray[np.int64], payment_term: NDArray[np.int64], k: float) -> FloatArray:
    """r_t = k + t(1 − k)/min(20, n) for t < min(20, n), else 1 (保监发〔2015〕93号 items 16–17)."""
    t = np.asarray(policy_years, dtype=np.float64)
    limit = np.minimum(20, np.asarray(payment_term, dtype=np.float64)).reshape(-1, 1)
    return np.asarray(np.where(t < limit, k + t * (1.0 - k) / limit, 1.0), dtype=np.float64)


@dataclass(frozen=True)
class CashValueTable:
    """End-of-year values by policy year t = 1..n, each shaped ``(points, years)``."""

    policy_value_reserve: FloatArray  # PVR at the end of year t, after the survival benefit due then
    factor: FloatArray  # r_t
    minimum_cash_value: FloatArray  # r_t · max(PVR_t, 0)


def cash_value_table(
    comp: Components,
    *,
    sum_assured: float | FloatArray,
    gross_premium: FloatArray,
    pvr_premium: FloatArray,
    loadings: FloatArray,
    payment_term: NDArray[np.int64],
    k: float,
) -> CashValueTable:
    """Minimum cash values (7号 items 5–6; 93号 items 13–17).

    PVR_t = ₜV on the PVR basis (comp built at pricing rate + 2%, or the product's CV rate) with the PVR gross
    premium less loadings as the valuation premium, minus the survival benefit payable at that year-end
    (excluded from the year-end PVR); MCV_t = r_t·max(PVR_t, 0).
    """
    sa = np.asarray(sum_assured, dtype=np.float64).reshape(-1, 1)
    start = prospective_reserve(
        comp, sum_assured=sa, benefit_premium=gross_premium, valuation_premium=pvr_premium, loadings=loadings
    )
    n = comp.premium.shape[1]
    survival_next = np.zeros_like(comp.premium)
    survival_next[:, :-1] = _divide(sa * comp.survival_sa[:, 1:], comp.in_force[:, 1:])
    pvr = start[:, 1:] - survival_next
    factor = cash_value_factor(np.arange(1, n + 1), payment_term, k)
    mcv = factor * np.maximum(pvr, 0.0)
    return CashValueTable(policy_value_reserve=pvr, factor=factor, minimum_cash_value=mcv)


def policy_expenses(comp: Components, *, initial: float, renewal: float) -> FloatArray:
    """Per-policy expenses at the start of each year while in force, as EPVs by year: D_t·(initial if t = 0 else
    renewal) — the same shape as the other components (AMLCR §6.6)."""
    amounts = np.where(np.arange(comp.in_force.shape[1]) == 0, initial, renewal)
    return np.asarray(comp.in_force * amounts[None, :], dtype=np.float64)


def gross_premium_reserve(
    comp: Components,
    *,
    sum_assured: float | FloatArray,
    gross: float | FloatArray,
    premium_expense_rates: FloatArray | None = None,
    expenses: FloatArray | None = None,
) -> FloatArray:
    """Gross premium policy value (AMLCR §7.5): EPV of future benefits + expenses − gross premiums, at t = 0..n.

    ₜV^g = (S·Σ_{s≥t}(B_s + SB_s) + G·Σ_{s≥t} B^P_s + Σ_{s≥t} E_s − G·Σ_{s≥t} D^{(m)}_s pay_s (1 − e_s)) / D_t,
    where e_s are expenses as a share of premium (commission, premium-related costs) and E_s per-policy expenses
    (:func:`policy_expenses`). Premiums follow the exposure's frequency (monthly, quarterly… under UDD).
    """
    values = prospective_reserve(
        comp, sum_assured=sum_assured, benefit_premium=gross, valuation_premium=gross, loadings=premium_expense_rates
    )
    if expenses is not None:
        values[:, :-1] += _divide(reverse_cumsum(expenses), comp.in_force)
    return values


def loss_variance(
    q: FloatArray,
    end_of_year_discount: FloatArray,
    *,
    death_benefit: FloatArray,
    policy_value_next: FloatArray,
) -> FloatArray:
    """Var(L₀) of the future loss at issue by Hattendorf's theorem (AMLCR §7.7, eq. 7.13 generalised):

    Var(L₀) = Σ_t v(t+1)² · ₜp_x · q_{x+t}(1 − q_{x+t}) · (b_{t+1} − ₜ₊₁V)²

    for a policy whose only random cash flow in year t+1 is the death benefit b_{t+1} at the year-end, with
    policy values ₜ₊₁V on the same basis as the loss (so cash flows that do not depend on the death, premiums and
    expenses at the start of the year, cancel). ``end_of_year_discount`` is v(t+1) by year, shape ``(years,)``;
    the other arguments are ``(points, years)``.
    """
    q = np.asarray(q, dtype=np.float64)
    tpx = np.ones_like(q)
    np.cumprod(1.0 - q[:, :-1], axis=1, out=tpx[:, 1:])
    risk = (death_benefit - policy_value_next) ** 2 * q * (1.0 - q)
    return np.asarray((np.asarray(end_of_year_discount)[None, :] ** 2 * tpx * risk).sum(axis=1), dtype=np.float64)


def statutory_reserve(fpt: FloatArray, cash_value: FloatArray) -> FloatArray:
    """The statutory (法定) reserve: the one-year full preliminary term reserve (7号 item 14), floored at the
    cash value payable on surrender and at zero — a reserve never below what the policyholder can take away
    (7号; the floor is reported in actuarial.md §4.5 and applied here prudently). Shapes broadcast."""
    return np.asarray(np.maximum(np.maximum(fpt, cash_value), 0.0), dtype=np.float64)
