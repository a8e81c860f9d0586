"""Life contingencies on numpy arrays, vectorised over model points × policy years.

Conventions (AMLCR = Dickson, Hardy & Waters, *Actuarial Mathematics for Life Contingent Risks*, 3rd ed.):

* ``q`` is a matrix ``(points, years)``: ``q[p, t]`` is the probability that model point ``p`` dies in policy
  year ``t+1`` given alive at its start (age ``x_p + t``). Build it with
  :func:`jiabao.actuarial.tables.rates_by_policy_year`.
* ``i`` is an annual effective rate, a scalar or one rate per point (v = 1/(1+i)), or a
  :class:`~jiabao.actuarial.curves.YieldCurve` (term structure; a flat curve gives the same values as its rate).
* ``term`` and ``deferral`` are whole years, scalars or one per point; ``term=None`` means to the table's end.
* Fractional ages follow UDD (uniform distribution of deaths): ₛp_{x+t} = 1 − s·q_{x+t} for 0 ≤ s ≤ 1.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jiabao.actuarial.curves import YieldCurve

FloatArray = NDArray[np.float64]


class Timing(StrEnum):
    """When a death benefit is paid within the year of death."""

    END_OF_YEAR = "end_of_year"  # A_x = Σ v^{t+1} ₜp_x q_{x+t}
    MID_YEAR = "mid_year"  # Σ v^{t+½} ₜp_x q_{x+t}  (the Chinese filing convention)
    IMMEDIATE_UDD = "immediate_udd"  # Ā_x = (i/δ)·A_x under UDD (AMLCR eq. 4.25)
    MONTHLY_UDD = "monthly_udd"  # A^{(12)}_x = (i/i^{(12)})·A_x under UDD (AMLCR eq. 4.26)


def survival(q: FloatArray) -> FloatArray:
    """ₜp_x for t = 0..n: shape ``(points, years + 1)``; ₜp_x = Π_{s<t} (1 − q_{x+s})."""
    q = np.asarray(q, dtype=np.float64)
    out = np.ones((q.shape[0], q.shape[1] + 1), dtype=np.float64)
    np.cumprod(1.0 - q, axis=1, out=out[:, 1:])
    return out


def discount(i: ArrayLike | YieldCurve, times: FloatArray) -> FloatArray:
    """v^t for each time; shape ``(len(times),)`` for scalar ``i`` or a curve, ``(points, len(times))`` for one
    rate per point."""
    if isinstance(i, YieldCurve):
        return i.discount(times)
    rate = np.asarray(i, dtype=np.float64)
    if rate.ndim == 0:
        return np.asarray(np.power(1.0 + rate, -times), dtype=np.float64)
    return np.asarray(np.power(1.0 + rate[:, None], -times[None, :]), dtype=np.float64)


def year_mask(shape: tuple[int, int], term: ArrayLike | None, deferral: ArrayLike = 0) -> FloatArray:
    """1 in policy years ``deferral ≤ t < deferral + term`` (0-based), else 0; shape ``(points, years)``."""
    t = np.arange(shape[1])[None, :]
    start = np.asarray(deferral).reshape(-1, 1)
    end = np.full((1, 1), shape[1]) if term is None else start + np.asarray(term).reshape(-1, 1)
    return np.asarray((t >= start) & (t < end), dtype=np.float64) * np.ones(shape)


def _interest_factor(i: ArrayLike | YieldCurve, timing: Timing, years: int) -> FloatArray:
    """i/δ or i/i^{(12)}: a scalar, one per point ``(points, 1)``, or one per year ``(years,)`` for a curve
    (the year's one-year forward rate)."""
    if isinstance(i, YieldCurve):
        rate = i.forward_by_year(years)
    else:
        rate = np.asarray(i, dtype=np.float64)
        rate = rate if rate.ndim == 0 else rate.reshape(-1, 1)
    if timing is Timing.IMMEDIATE_UDD:
        return np.asarray(rate / np.log1p(rate), dtype=np.float64)
    if timing is Timing.MONTHLY_UDD:
        return np.asarray(rate / (12.0 * (np.power(1.0 + rate, 1.0 / 12.0) - 1.0)), dtype=np.float64)
    return np.asarray(1.0, dtype=np.float64)


def assurance(
    q: FloatArray,
    i: ArrayLike | YieldCurve,
    *,
    term: ArrayLike | None = None,
    deferral: ArrayLike = 0,
    increasing: bool = False,
    timing: Timing = Timing.END_OF_YEAR,
) -> FloatArray:
    """EPV of a death benefit of 1 (or 1, 2, 3… if ``increasing``) for deaths in the covered years.

    ``ᵤ|A¹_{x:n} = Σ_{t=u}^{u+n−1} b_t · v^{t+1} ₜp_x q_{x+t}`` with b_t = 1 or t−u+1 (AMLCR §4.4–4.5),
    and the timing adjustment of :class:`Timing`. Term, whole life (``term=None``), deferred and increasing
    cover.
    """
    q = np.asarray(q, dtype=np.float64)
    n = q.shape[1]
    mask = year_mask(q.shape, term, deferral)
    if increasing:
        mask = mask * np.maximum(np.arange(n)[None, :] - np.asarray(deferral).reshape(-1, 1) + 1, 0)
    offset = 0.5 if timing is Timing.MID_YEAR else 1.0
    v = discount(i, np.arange(n, dtype=np.float64) + offset)
    density = survival(q)[:, :n] * q * v * _interest_factor(i, timing, n)
    return np.asarray((density * mask).sum(axis=1), dtype=np.float64)


def pure_endowment(q: FloatArray, i: ArrayLike | YieldCurve, n: ArrayLike) -> FloatArray:
    """ₙE_x = v^n ₙp_x (AMLCR eq. 4.11)."""
    tpx = survival(q)
    n_arr = np.broadcast_to(np.asarray(n, dtype=np.int64), (tpx.shape[0],))
    v = discount(i, np.arange(tpx.shape[1], dtype=np.float64))
    v_n = v[n_arr] if v.ndim == 1 else v[np.arange(len(n_arr)), n_arr]
    return np.asarray(tpx[np.arange(len(n_arr)), n_arr] * v_n, dtype=np.float64)


def endowment_assurance(
    q: FloatArray, i: ArrayLike | YieldCurve, n: ArrayLike, *, timing: Timing = Timing.END_OF_YEAR
) -> FloatArray:
    """A_{x:n} = A¹_{x:n} + ₙE_x (AMLCR eq. 4.12); the timing applies to the death part only."""
    return assurance(q, i, term=n, timing=timing) + pure_endowment(q, i, n)


def annuity_due(
    q: FloatArray,
    i: ArrayLike | YieldCurve,
    *,
    term: ArrayLike | None = None,
    deferral: ArrayLike = 0,
    increasing: bool = False,
    frequency: int = 1,
) -> FloatArray:
    """EPV of a life annuity-due of 1 a year paid ``frequency`` times a year in the covered years.

    ``ᵤ|ä^{(m)}_{x:n} = Σ_{t=u}^{u+n−1} b_t Σ_{k=0}^{m−1} (1/m) v^{t+k/m} ₜ₊ₖ/ₘp_x`` with b_t = 1 or t−u+1 and
    ₜ₊ₛp_x = ₜp_x(1 − s·q_{x+t}) (UDD). For whole life under UDD this equals α(m)ä_x − β(m) (AMLCR eq. 5.34).
    """
    q = np.asarray(q, dtype=np.float64)
    n = q.shape[1]
    mask = year_mask(q.shape, term, deferral)
    if increasing:
        mask = mask * np.maximum(np.arange(n)[None, :] - np.asarray(deferral).reshape(-1, 1) + 1, 0)
    tpx = survival(q)[:, :n]
    s = np.arange(frequency, dtype=np.float64) / frequency
    total = np.zeros(q.shape[0], dtype=np.float64)
    for fraction in s:  # loop over the m payment dates within a year, not over policies
        v = discount(i, np.arange(n, dtype=np.float64) + fraction)
        total += ((tpx * (1.0 - fraction * q)) * v * mask).sum(axis=1) / frequency
    return total


def annuity_immediate(q: FloatArray, i: ArrayLike | YieldCurve, *, term: ArrayLike | None = None) -> FloatArray:
    """a_{x:n} = ä_{x:n} − 1 + ₙE_x (AMLCR eq. 5.12); whole life a_x = ä_x − 1."""
    q = np.asarray(q, dtype=np.float64)
    due = annuity_due(q, i, term=term)
    if term is None:
        return due - 1.0
    return due - 1.0 + pure_endowment(q, i, term)


def certain_and_life_annuity_due(q: FloatArray, i: ArrayLike | YieldCurve, certain: int) -> FloatArray:
    """ä_{\\overline{x:n}|} = ä_{n|} + ₙ|ä_x: n years certain, then for life (AMLCR §5.6)."""
    certain_part = float(np.sum(discount(i, np.arange(certain, dtype=np.float64))))
    return certain_part + annuity_due(q, i, deferral=certain)


def joint_life_q(*qs: FloatArray) -> FloatArray:
    """q_{xy…} = 1 − Π (1 − q): the joint-life status fails at the first death (independent lives, AMLCR
    §9.3)."""
    p = np.ones_like(np.asarray(qs[0], dtype=np.float64))
    for q in qs:
        p = p * (1.0 - np.asarray(q, dtype=np.float64))
    return np.asarray(1.0 - p, dtype=np.float64)


def last_survivor_survival(*qs: FloatArray) -> FloatArray:
    """ₜp_{\\overline{xy…}} = 1 − Π (1 − ₜp): the last-survivor status fails at the last death (AMLCR
    §9.4)."""
    dead = np.ones((np.asarray(qs[0]).shape[0], np.asarray(qs[0]).shape[1] + 1))
    for q in qs:
        dead = dead * (1.0 - survival(q))
    return np.asarray(1.0 - dead, dtype=np.float64)


def annuity_due_from_survival(
    tpx: FloatArray, i: ArrayLike | YieldCurve, *, term: ArrayLike | None = None
) -> FloatArray:
    """ä = Σ_{t<n} v^t ₜp for any status given its survival curve (e.g. :func:`last_survivor_survival`)."""
    n = tpx.shape[1] - 1
    mask = year_mask((tpx.shape[0], n), term)
    return np.asarray((tpx[:, :n] * discount(i, np.arange(n, dtype=np.float64)) * mask).sum(axis=1))


def monthly_from_annual(q: FloatArray, months: int = 12) -> FloatArray:
    """Monthly rate at constant force within the year: 1 − (1 − q)^{1/12}."""
    return np.asarray(1.0 - np.power(1.0 - np.asarray(q, dtype=np.float64), 1.0 / months), dtype=np.float64)
