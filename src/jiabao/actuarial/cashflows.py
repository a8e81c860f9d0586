"""Annual expected-present-value cash-flow model for Chinese life & health products.

A product is a set of benefit blocks over two survival statuses of one life:

* **in force** l_t: alive (t = 0..n), l_{t+1} = l_t (1 − q_t);
* **healthy** h_t: alive and not yet triggered (CI, or a care-dependency trigger), h_{t+1} = h_t (1 − q^d_t −
  i_t).

Each block adds, for every policy year t (0-based), the EPV at issue of what that year pays, either per unit
of
sum assured (``sa``), per unit of annual gross premium (``premium``, e.g. return of premium, waiver), or as a
survival benefit per unit SA paid at the start of the year (``survival``; excluded from year-end policy
values,
7号 item 6). :class:`Components` keeps these by year so that the same arrays give the premium (sums at t = 0)
and every reserve and cash value (reverse cumulative sums).

Timing: triggers and deaths happen mid-year (v^{t+½}); survival benefits and premiums at the start of the year
(v^t). A waiting period of w years (e.g. 180 days ≈ 0.5) covers only the fraction 1 − w of year-1 triggers,
paid on average at (1+w)/2, and may refund the year-1 premium for the fraction w, paid on average at w/2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.contingencies import survival
from jiabao.actuarial.curves import Interest, YieldCurve, as_curve

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Exposure:
    """Rates and masks by policy year for a batch of model points, all shaped ``(points, years)``."""

    q: FloatArray  # all-cause death
    other_death: FloatArray  # q^d for healthy lives
    trigger: FloatArray  # CI / care trigger incidence for healthy lives (zeros when none)
    ages: NDArray[np.int64]
    cover: FloatArray  # 1 while covered
    pay: FloatArray  # 1 in premium-paying years
    interest: Interest  # a flat annual rate or a yield curve (jiabao.actuarial.curves)
    waiting_years: float = 0.0
    frequency: int = 1  # premium instalments a year (1, 2, 4, 12); UDD within the year


@dataclass
class Components:
    """EPV at issue by policy year; sums over years give the premium equation, reverse sums the reserves."""

    in_force: FloatArray  # D_t = l_t v^t (start of year)
    premium: FloatArray  # D_t · pay_t, per unit annual premium
    sa: FloatArray  # per unit SA
    survival_sa: FloatArray  # per unit SA, paid at the start of year t
    premium_linked: FloatArray  # per unit annual gross premium (return of premium, waiver, refunds)


@dataclass(frozen=True)
class Densities:
    lives: FloatArray  # l_t, (points, years+1)
    healthy: FloatArray  # h_t, (points, years+1)
    d_start: FloatArray  # l_t v^t
    trigger_mid: FloatArray  # h_t i_t v^{t+½}
    other_death_mid: FloatArray  # h_t q^d_t v^{t+½}
    death_mid: FloatArray  # l_t q_t v^{t+½}
    first_year_benefit: float  # (1−w)·v^{w/2}: year-1 weight of a trigger benefit vs mid-year
    first_year_refund: float  # w·v^{w/2−½}: year-1 weight of a waiting-period refund vs mid-year
    premium_start: FloatArray  # EPV factor of 1 a year paid ``frequency`` times in year t (= d_start when annual)
    half_year: FloatArray  # v(t)/v(t+½) by year: moves a value from the start to the middle of year t
    end_of_year: FloatArray  # v(t+1)/v(t+½) by year: moves a mid-year payment to the year-end


ExtraBlocks = Callable[[Components, Exposure], None]
"""Blocks built outside this module (e.g. household-level family benefits), applied at each basis' rate."""


def densities(exposure: Exposure) -> Densities:
    """Survival curves and discounted decrement densities for :class:`Exposure`."""
    n = exposure.q.shape[1]
    curve = as_curve(exposure.interest)
    lives = survival(exposure.q)
    healthy = survival(exposure.other_death + exposure.trigger)
    years = np.arange(n, dtype=np.float64)
    start = curve.discount(years)
    mid = curve.discount(years + 0.5)
    w = exposure.waiting_years
    half = float(curve.discount(0.5))
    return Densities(
        lives=lives,
        healthy=healthy,
        d_start=lives[:, :n] * start * exposure.cover,
        trigger_mid=healthy[:, :n] * exposure.trigger * mid * exposure.cover,
        other_death_mid=healthy[:, :n] * exposure.other_death * mid * exposure.cover,
        death_mid=lives[:, :n] * exposure.q * mid * exposure.cover,
        first_year_benefit=(1.0 - w) * float(curve.discount((1.0 + w) / 2.0)) / half,
        first_year_refund=w * float(curve.discount(w / 2.0)) / half,
        premium_start=_instalments(exposure, lives, curve, years) * exposure.cover,
        half_year=start / mid,
        end_of_year=curve.discount(years + 1.0) / mid,
    )


def _instalments(exposure: Exposure, lives: FloatArray, curve: YieldCurve, years: FloatArray) -> FloatArray:
    """Σ_{k<m} (1/m)·v(t + k/m)·ₜ₊ₖ/ₘp_x for each year t (UDD: ₜ₊ₛp = ₜp(1 − s·q)), AMLCR §5.11."""
    m = exposure.frequency
    n = exposure.q.shape[1]
    if m == 1:
        return lives[:, :n] * curve.discount(years)
    total = np.zeros_like(exposure.q)
    for k in range(m):  # loop over the instalments within a year, not over policies
        s = k / m
        total += lives[:, :n] * (1.0 - s * exposure.q) * curve.discount(years + s) / m
    return total


def empty_components(dens: Densities, exposure: Exposure) -> Components:
    zeros = np.zeros_like(dens.d_start)
    return Components(
        in_force=dens.d_start,
        premium=dens.premium_start * exposure.pay,
        sa=zeros.copy(),
        survival_sa=zeros.copy(),
        premium_linked=zeros.copy(),
    )


def reverse_cumsum(values: FloatArray) -> FloatArray:
    """S_t = Σ_{s≥t} values_s along the year axis."""
    return np.asarray(np.cumsum(values[:, ::-1], axis=1)[:, ::-1], dtype=np.float64)


def _waiting_weights(dens: Densities, subject: bool, n: int) -> FloatArray:
    weights = np.ones(n, dtype=np.float64)
    if subject:
        weights[0] = dens.first_year_benefit
    return weights


def add_trigger_lump_sum(
    comp: Components, dens: Densities, *, multiple: float, subject_to_waiting: bool, refund_premium: bool
) -> None:
    """Lump sum ``multiple``·SA on the trigger: Σ_t h_t i_t v^{t+½}·w_t; optional year-1 waiting refund of
    1·P."""
    n = comp.sa.shape[1]
    comp.sa += multiple * dens.trigger_mid * _waiting_weights(dens, subject_to_waiting, n)
    if refund_premium:
        comp.premium_linked[:, 0] += dens.trigger_mid[:, 0] * dens.first_year_refund


def add_trigger_annuity(
    comp: Components,
    dens: Densities,
    exposure: Exposure,
    *,
    multiple: float,
    until_age: int,
    subject_to_waiting: bool,
    refund_premium: bool,
) -> None:
    """After the trigger, ``multiple``·SA a year while alive and younger than ``until_age``.

    Valued at the trigger as the annuity-due from the start of that year on the in-force survival:
    Σ_{s≥t} D_s·1[age_s < until] / D_t, then weighted like a lump sum (h_t i_t v^{t+½}, waiting weight).
    """
    paying = (exposure.ages < until_age).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(dens.d_start > 0, reverse_cumsum(dens.d_start * paying) / dens.d_start, 0.0)
    n = comp.sa.shape[1]
    comp.sa += multiple * dens.trigger_mid * factor * _waiting_weights(dens, subject_to_waiting, n)
    if refund_premium:
        comp.premium_linked[:, 0] += dens.trigger_mid[:, 0] * dens.first_year_refund


def add_survival_benefit(
    comp: Components, dens: Densities, exposure: Exposure, *, multiple: float, from_age: int, to_age: int
) -> None:
    """``multiple``·SA at the start of each year while in force and ``from_age ≤ age < to_age``: Σ D_t·b_t."""
    paying = ((exposure.ages >= from_age) & (exposure.ages < to_age)).astype(np.float64)
    comp.survival_sa += multiple * dens.d_start * paying


def premiums_paid(exposure: Exposure) -> FloatArray:
    """Cumulative annual premiums paid by the end of each policy year: min(t+1, payment term)."""
    return np.asarray(np.cumsum(exposure.pay, axis=1), dtype=np.float64)


def add_death_benefit(
    comp: Components,
    dens: Densities,
    exposure: Exposure,
    *,
    sa_multiple: float,
    premium_multiple: float,
    healthy_only: bool,
    mask: FloatArray | None = None,
    end_of_year: bool = False,
) -> None:
    """Death benefit sa_multiple·SA + premium_multiple·(premiums paid), mid-year.

    ``healthy_only`` pays only on non-trigger deaths of healthy lives (h_t q^d_t, accelerated CI designs);
    otherwise on all deaths (l_t q_t). ``mask`` (0/1 by year) limits the years the benefit is payable;
    ``end_of_year`` pays at v^{t+1} (the textbook convention) instead of mid-year.
    """
    density = dens.other_death_mid if healthy_only else dens.death_mid
    if end_of_year:
        density = density * dens.end_of_year
    if mask is not None:
        density = density * mask
    comp.sa += sa_multiple * density
    comp.premium_linked += premium_multiple * density * premiums_paid(exposure)


def add_premium_waiver(comp: Components, dens: Densities, exposure: Exposure, *, subject_to_waiting: bool) -> None:
    """Waiver of premiums due after the trigger year, valued at the trigger (mid-year):

    Σ_t h_t i_t v^{t+½} · Σ_{s>t} D_s·pay_s / D_t · (1+i)^{½}.
    """
    later = reverse_cumsum(comp.premium) - comp.premium
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(dens.d_start > 0, later / dens.d_start, 0.0) * dens.half_year
    n = comp.sa.shape[1]
    comp.premium_linked += dens.trigger_mid * factor * _waiting_weights(dens, subject_to_waiting, n)


def add_maturity_benefit(
    comp: Components, dens: Densities, exposure: Exposure, *, sa_multiple: float, premium_multiple: float
) -> None:
    """Paid to lives in force at the end of cover: (sa_multiple·SA + premium_multiple·ΣP)·ₙp_x v^n.

    Booked in the last covered year so that reserves before maturity include it.
    """
    n_years = exposure.cover.sum(axis=1).astype(np.int64)
    rows = np.arange(len(n_years))
    value = dens.lives[rows, n_years] * as_curve(exposure.interest).discount(n_years.astype(np.float64))
    last = np.maximum(n_years - 1, 0)
    comp.sa[rows, last] += sa_multiple * value
    comp.premium_linked[rows, last] += premium_multiple * value * premiums_paid(exposure)[rows, last]
