"""Interest as a term structure: yield curves by year or by month, the reserve curve, flat rates as a special case.

A :class:`YieldCurve` holds **forward rates** (annual effective), constant within each period of ``step`` years
(1 = by policy year, 1/12 = by month); the last period's rate continues for ever. The discount factor is

    v(t) = Π_{k < ⌊t/s⌋} (1 + f_k)^{−s} · (1 + f_{⌊t/s⌋})^{−(t − s⌊t/s⌋)}

so a flat curve gives v(t) = (1 + i)^{−t} exactly (AMLCR §2 with a constant rate), and a curve given by spot
rates s_k for maturity (k+1)·step has forwards (1 + s_k)^{(k+1)s} / (1 + s_{k−1})^{ks} (AMLCR §2.6 / any
fixed-income text: the forward rate is what makes the spot rates consistent).

The **reserve discount curve** for long-term life liabilities in China (保险合同准备金计量基准收益率曲线, the
"750 curve") is built in three segments from the 750-working-day moving average of the China government bond
spot curve (中债国债收益率曲线 750 日移动平均), published by China Central Depository & Clearing:

* 0 < t ≤ 20 years: the 750-day moving average of the government bond spot rates;
* 20 < t ≤ 40: a transition to the ultimate rate, first interpolation r_t = r_20 + (UFR − r_20)(t − 20)/20;
* t > 40: the ultimate rate (终极利率), currently 4.5%;

and the discount rate is that base curve plus a comprehensive premium (综合溢价) set by the company within the
regulator's allowance. Source for the segments and the first interpolation: a practitioner's note on the
valuation of life liabilities, https://actuarygarden.cn/750MA (the note's second, smoothing interpolation was not
retrievable; we use the first interpolation only — a documented simplification, docs/valuation.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

ULTIMATE_FORWARD_RATE = 0.045
"""终极利率 used for t > 40 years by the reserve discount curve (practitioner note cited in the module docstring)."""
MOVING_AVERAGE_DAYS = 750
BASE_SEGMENT_YEARS = 20
ULTIMATE_FROM_YEARS = 40
MAX_PREMIUM = 0.005
"""Upper bound accepted for the comprehensive premium (综合溢价), 50 bp: a configurable check (docs/valuation.md)."""


@dataclass(frozen=True)
class YieldCurve:
    """Piecewise-constant annual-effective forward rates (formula in the module docstring)."""

    forwards: FloatArray
    step: float = 1.0
    name: str = ""
    _log_v: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fwd = np.atleast_1d(np.asarray(self.forwards, dtype=np.float64))
        if fwd.ndim != 1 or fwd.size == 0:
            raise ValueError("a yield curve needs a one-dimensional array of forward rates")
        if np.any(fwd <= -1.0):
            raise ValueError("forward rates must be above -100%")
        if self.step <= 0:
            raise ValueError("the period length must be positive")
        object.__setattr__(self, "forwards", fwd)
        log_v = np.concatenate([[0.0], np.cumsum(-self.step * np.log1p(fwd))])
        object.__setattr__(self, "_log_v", log_v)

    # -- constructors -------------------------------------------------------------------------------------------
    @classmethod
    def flat(cls, rate: float, name: str = "") -> YieldCurve:
        return cls(np.array([rate], dtype=np.float64), 1.0, name or f"flat {rate:.4%}")

    @classmethod
    def from_spot_rates(cls, spots: ArrayLike, step: float = 1.0, name: str = "") -> YieldCurve:
        """Spot rates s_k (annual effective) for maturities (k+1)·step → forward rates per period."""
        s = np.asarray(spots, dtype=np.float64)
        maturities = step * np.arange(1, len(s) + 1)
        log_acc = maturities * np.log1p(s)
        fwd = np.expm1(np.diff(np.concatenate([[0.0], log_acc])) / step)
        return cls(fwd, step, name)

    # -- queries -------------------------------------------------------------------------------------------------
    @property
    def is_flat(self) -> bool:
        return bool(np.all(self.forwards == self.forwards[0]))

    def discount(self, times: ArrayLike) -> FloatArray:
        """v(t) for each time t ≥ 0 (years), same shape as ``times``."""
        t = np.asarray(times, dtype=np.float64)
        if self.is_flat:
            return np.asarray(np.power(1.0 + self.forwards[0], -t), dtype=np.float64)
        n = len(self.forwards)
        k = np.minimum(np.floor(t / self.step).astype(np.int64), n)
        k = np.maximum(k, 0)
        rate = self.forwards[np.minimum(k, n - 1)]
        log_v = self._log_v[k] - (t - k * self.step) * np.log1p(rate)
        return np.asarray(np.exp(log_v), dtype=np.float64)

    def forward_by_year(self, years: int) -> FloatArray:
        """The one-year forward rate for policy years 0..years−1: v(t)/v(t+1) − 1."""
        t = np.arange(years, dtype=np.float64)
        return np.asarray(self.discount(t) / self.discount(t + 1.0) - 1.0, dtype=np.float64)

    def spot(self, maturities: ArrayLike) -> FloatArray:
        """Annual-effective spot rate for each maturity > 0: v(t)^{−1/t} − 1."""
        t = np.asarray(maturities, dtype=np.float64)
        return np.asarray(np.power(self.discount(t), -1.0 / t) - 1.0, dtype=np.float64)

    def shifted(self, spread: float) -> YieldCurve:
        """The same curve with every forward rate moved by ``spread`` (e.g. a premium or a stress)."""
        return YieldCurve(self.forwards + spread, self.step, f"{self.name} {spread:+.2%}".strip())

    def monthly(self, months: int) -> FloatArray:
        """v(m/12) for m = 0..months−1 (the grid of a monthly projection)."""
        return self.discount(np.arange(months, dtype=np.float64) / 12.0)


Interest = float | YieldCurve
"""Anything the engine accepts as interest: an annual effective rate or a curve."""


def as_curve(interest: Interest | ArrayLike) -> YieldCurve:
    """A flat curve for a scalar rate; a curve unchanged."""
    if isinstance(interest, YieldCurve):
        return interest
    rate = np.asarray(interest, dtype=np.float64)
    if rate.ndim != 0:
        raise TypeError("one rate per model point: use contingencies' per-point rates, not a curve")
    return YieldCurve.flat(float(rate))


def moving_average(daily_spot_rates: ArrayLike, days: int = MOVING_AVERAGE_DAYS) -> FloatArray:
    """The ``days``-day moving average of daily spot curves: ``daily_spot_rates`` is (days, tenors), newest last.

    Fewer observations than ``days`` is an error: the 750-day average is only defined on a full window.
    """
    rates = np.asarray(daily_spot_rates, dtype=np.float64)
    if rates.ndim != 2 or rates.shape[0] < days:
        raise ValueError(f"the moving average needs {days} daily curves, got {rates.shape[0] if rates.ndim else 0}")
    return np.asarray(rates[-days:].mean(axis=0), dtype=np.float64)


def reserve_base_spots(
    tenors: ArrayLike,
    averaged_spots: ArrayLike,
    *,
    ultimate: float = ULTIMATE_FORWARD_RATE,
    years: int = 120,
) -> FloatArray:
    """Annual spot rates for maturities 1..years from the averaged government curve at ``tenors`` (years).

    Linear interpolation between tenors (flat before the first), the 20–40 year transition to ``ultimate``
    (first interpolation of the module docstring), ``ultimate`` beyond 40 years.
    """
    tenor = np.asarray(tenors, dtype=np.float64)
    spot = np.asarray(averaged_spots, dtype=np.float64)
    t = np.arange(1, years + 1, dtype=np.float64)
    base = np.interp(np.minimum(t, BASE_SEGMENT_YEARS), tenor, spot)
    r20 = float(np.interp(BASE_SEGMENT_YEARS, tenor, spot))
    span = ULTIMATE_FROM_YEARS - BASE_SEGMENT_YEARS
    transition = r20 + (ultimate - r20) * (t - BASE_SEGMENT_YEARS) / span
    out = np.where(t <= BASE_SEGMENT_YEARS, base, np.where(t <= ULTIMATE_FROM_YEARS, transition, ultimate))
    return np.asarray(out, dtype=np.float64)


def reserve_discount_curve(
    tenors: ArrayLike,
    daily_spot_rates: ArrayLike,
    *,
    premium: float = 0.0,
    ultimate: float = ULTIMATE_FORWARD_RATE,
    days: int = MOVING_AVERAGE_DAYS,
    max_premium: float = MAX_PREMIUM,
) -> YieldCurve:
    """The reserve discount curve: 750-day average base curve (3 segments) + comprehensive premium, by year."""
    if not 0.0 <= premium <= max_premium:
        raise ValueError(f"the comprehensive premium {premium:.2%} is outside [0, {max_premium:.2%}]")
    spots = reserve_base_spots(tenors, moving_average(daily_spot_rates, days), ultimate=ultimate)
    curve = YieldCurve.from_spot_rates(spots + premium, 1.0)
    return YieldCurve(curve.forwards, 1.0, f"750MA+{premium * 1e4:.0f}bp")


def reserve_curve_from_average(
    tenors: ArrayLike, averaged_spots: ArrayLike, *, premium: float = 0.0, ultimate: float = ULTIMATE_FORWARD_RATE
) -> YieldCurve:
    """The reserve discount curve from an already averaged government curve (e.g. the published 750-day average
    downloaded from China Bond), + the comprehensive premium."""
    if not 0.0 <= premium <= MAX_PREMIUM:
        raise ValueError(f"the comprehensive premium {premium:.2%} is outside [0, {MAX_PREMIUM:.2%}]")
    spots = reserve_base_spots(tenors, averaged_spots, ultimate=ultimate)
    curve = YieldCurve.from_spot_rates(spots + premium, 1.0)
    return YieldCurve(curve.forwards, 1.0, f"750MA+{premium * 1e4:.0f}bp")
