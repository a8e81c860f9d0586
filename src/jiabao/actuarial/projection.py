"""Monthly cash-flow projection of level term assurance, vectorised over model points × months.

The model (the same shape as lifelib's ``basiclife.BasicTerm_M``):

* monthly decrement rates from annual ones at constant force: q^{(12)} = 1 − (1 − q)^{1/12}, the annual death
  rate read by attained age and policy duration (select table, last duration ultimate), the lapse rate by
  duration; lapses act on the survivors of death: pols_lapse_t = (pols_if_t − pols_death_t)·w^{(12)}_t;
* policies mature at month 12·term: pols_if_t = Π_{s<t}(1 − q^{(12)}_s)(1 − w^{(12)}_s) for t < 12·term,
  else 0;
* claims_t = SA·pols_death_t; premiums_t = P·pols_if_t, P = round((1 + loading)·PV(claims)/PV(pols_if), 2);
  expenses_t = acq·1[t=0]·pols_if_t + maint/12·(1+infl)^{t/12}·pols_if_t; commissions = premiums in year 1;
* discount factor at month t: (1 + j_t)^{−t} where j_t = (1 + r_{⌊t/12⌋})^{1/12} − 1 (r = annual spot rate).

Every step is a whole-array operation; there is no loop over model points or months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class TermProjectionBasis:
    """Assumptions of the monthly term projection."""

    mortality: FloatArray  # annual q, shape (ages, select durations); row 0 is ``mortality_min_age``
    mortality_min_age: int
    annual_spot_rates: FloatArray  # by projection year 0, 1, 2…
    lapse_by_duration: FloatArray  # annual lapse rate by policy year 0, 1, …; the last value repeats
    expense_acquisition: float = 300.0
    expense_maintenance: float = 60.0  # a year, paid monthly
    inflation: float = 0.01
    premium_loading: float = 0.5
    first_year_commission: float = 1.0  # share of year-1 premiums


@dataclass(frozen=True)
class TermProjectionResult:
    premium_pp: FloatArray  # monthly premium per policy, rounded to 0.01
    pv_premiums: FloatArray
    pv_claims: FloatArray
    pv_expenses: FloatArray
    pv_commissions: FloatArray

    @property
    def pv_net_cf(self) -> FloatArray:
        return self.pv_premiums - self.pv_claims - self.pv_expenses - self.pv_commissions


def lapse_rates_basicterm(years: int) -> FloatArray:
    """max(10% − 2%·duration, 2%) by policy year (lifelib's default lapse assumption)."""
    return np.maximum(0.1 - 0.02 * np.arange(years, dtype=np.float64), 0.02)


def _discount_factors(annual_spot_rates: FloatArray, months: int) -> FloatArray:
    t = np.arange(months)
    monthly = np.power(1.0 + annual_spot_rates[t // 12], 1.0 / 12.0) - 1.0
    return np.asarray(np.power(1.0 + monthly, -t.astype(np.float64)), dtype=np.float64)


def in_force(
    basis: TermProjectionBasis, age_at_entry: IntArray, policy_term: IntArray, months: int
) -> tuple[FloatArray, FloatArray]:
    """(pols_if, monthly death rate), both ``(points, months)``; pols_if starts at 1 and is 0 from
    maturity."""
    t = np.arange(months)
    duration = t // 12
    select = np.minimum(duration, basis.mortality.shape[1] - 1)
    age_index = age_at_entry[:, None] + duration[None, :] - basis.mortality_min_age
    age_index = np.minimum(age_index, basis.mortality.shape[0] - 1)
    monthly_table = 1.0 - np.power(1.0 - basis.mortality, 1.0 / 12.0)  # convert the small table, then gather
    q_month = monthly_table[age_index, select[None, :]]
    lapse_annual = basis.lapse_by_duration[np.minimum(duration, len(basis.lapse_by_duration) - 1)]
    w_month = 1.0 - np.power(1.0 - lapse_annual, 1.0 / 12.0)
    step = (1.0 - q_month) * (1.0 - w_month)[None, :]
    pols_if = np.ones_like(q_month)
    np.cumprod(step[:, :-1], axis=1, out=pols_if[:, 1:])
    pols_if *= t[None, :] < (12 * policy_term)[:, None]
    return pols_if, q_month


def project_term(
    basis: TermProjectionBasis, *, age_at_entry: IntArray, policy_term: IntArray, sum_assured: FloatArray
) -> TermProjectionResult:
    """Project all model points at once and return present values per point (formulas in the module
    docstring)."""
    age_at_entry = np.asarray(age_at_entry, dtype=np.int64)
    policy_term = np.asarray(policy_term, dtype=np.int64)
    months = int(12 * policy_term.max() + 1)
    pols_if, q_month = in_force(basis, age_at_entry, policy_term, months)
    disc = _discount_factors(basis.annual_spot_rates, months)
    pv_if = pols_if @ disc
    pv_deaths = (pols_if * q_month) @ disc
    pv_claims = np.asarray(sum_assured, dtype=np.float64) * pv_deaths
    premium_pp = np.around((1.0 + basis.premium_loading) * pv_claims / pv_if, 2)
    t = np.arange(months)
    maint = basis.expense_maintenance / 12.0 * np.power(1.0 + basis.inflation, t / 12.0)
    pv_expenses = basis.expense_acquisition * pols_if[:, 0] + pols_if @ (maint * disc)
    pv_first_year_if = pols_if[:, :12] @ disc[:12]
    return TermProjectionResult(
        premium_pp=premium_pp,
        pv_premiums=premium_pp * pv_if,
        pv_claims=pv_claims,
        pv_expenses=pv_expenses,
        pv_commissions=basis.first_year_commission * premium_pp * pv_first_year_if,
    )


@dataclass(frozen=True)
class TermCashFlows:
    """Monthly expected cash flows per model point, each ``(points, months)`` (month t = 0..12·max term), as
    lifelib's ``BasicTerm_M`` ``result_cf`` columns: premiums, claims (deaths), expenses and commissions."""

    premium_pp: FloatArray
    premiums: FloatArray
    claims: FloatArray
    expenses: FloatArray
    commissions: FloatArray
    discount: FloatArray  # (months,)

    @property
    def net_cf(self) -> FloatArray:
        return self.premiums - self.claims - self.expenses - self.commissions

    def by_month(self) -> dict[str, FloatArray]:
        """Σ over model points, month by month (the shape of lifelib's ``result_cf()``)."""
        return {
            "Premiums": self.premiums.sum(axis=0),
            "Claims": self.claims.sum(axis=0),
            "Expenses": self.expenses.sum(axis=0),
            "Commissions": self.commissions.sum(axis=0),
            "Net Cashflow": self.net_cf.sum(axis=0),
        }

    def present_values(self) -> TermProjectionResult:
        d = self.discount
        return TermProjectionResult(
            premium_pp=self.premium_pp,
            pv_premiums=self.premiums @ d,
            pv_claims=self.claims @ d,
            pv_expenses=self.expenses @ d,
            pv_commissions=self.commissions @ d,
        )


def project_term_cashflows(
    basis: TermProjectionBasis, *, age_at_entry: IntArray, policy_term: IntArray, sum_assured: FloatArray
) -> TermCashFlows:
    """The same projection as :func:`project_term`, keeping every monthly cash flow (not only present values)."""
    age_at_entry = np.asarray(age_at_entry, dtype=np.int64)
    policy_term = np.asarray(policy_term, dtype=np.int64)
    months = int(12 * policy_term.max() + 1)
    pols_if, q_month = in_force(basis, age_at_entry, policy_term, months)
    disc = _discount_factors(basis.annual_spot_rates, months)
    sa = np.asarray(sum_assured, dtype=np.float64)[:, None]
    pols_death = pols_if * q_month
    claims = sa * pols_death
    premium_pp = np.around((1.0 + basis.premium_loading) * (claims @ disc) / (pols_if @ disc), 2)
    premiums = premium_pp[:, None] * pols_if
    t = np.arange(months)
    maint = basis.expense_maintenance / 12.0 * np.power(1.0 + basis.inflation, t / 12.0)
    expenses = pols_if * maint[None, :]
    expenses[:, 0] += basis.expense_acquisition * pols_if[:, 0]
    commissions = basis.first_year_commission * premiums * (t < 12)[None, :]
    return TermCashFlows(premium_pp, premiums, claims, expenses, commissions, disc)
