"""Premiums by the equivalence principle on :class:`~jiabao.actuarial.cashflows.Components`.

Gross premium P per unit of sum assured S (loadings as a share of gross premium by policy year, L_t):

    P·Σ_t D_t·pay_t·(1 − L_t) = S·Σ_t B^{SA}_t + P·Σ_t B^{P}_t + Σ_t E_t

so ``P = (S·ΣB^{SA} + ΣE) / (Σ D·pay·(1 − L) − ΣB^{P})`` where B^{P} are premium-linked benefits (return of
premium, waiver, waiting-period refunds) and E are per-policy expenses in yuan (AMLCR §6.6).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.cashflows import Components

FloatArray = NDArray[np.float64]


def loading_matrix(loadings: Sequence[float], shape: tuple[int, int]) -> FloatArray:
    """Loadings by policy year: ``loadings[t]`` for year t+1, the last value repeating (e.g. y1…y5, y6+)."""
    if not loadings:
        return np.zeros(shape, dtype=np.float64)
    years = np.minimum(np.arange(shape[1]), len(loadings) - 1)
    return np.broadcast_to(np.asarray(loadings, dtype=np.float64)[years], shape).copy()


def gross_premium(
    comp: Components,
    loadings: FloatArray,
    *,
    sum_assured: float | FloatArray = 1.0,
    per_policy_expenses: FloatArray | None = None,
) -> FloatArray:
    """Equivalence-principle annual gross premium per model point (formula in the module docstring)."""
    benefits = sum_assured * (comp.sa.sum(axis=1) + comp.survival_sa.sum(axis=1))
    if per_policy_expenses is not None:
        benefits = benefits + per_policy_expenses.sum(axis=1)
    denominator = (comp.premium * (1.0 - loadings)).sum(axis=1) - comp.premium_linked.sum(axis=1)
    return np.asarray(benefits / denominator, dtype=np.float64)


def net_premium(comp: Components, *, sum_assured: float | FloatArray = 1.0) -> FloatArray:
    """Net premium: the gross premium with no loadings, P = S·ΣB^{SA} / (Σ D·pay − ΣB^{P})."""
    return gross_premium(comp, np.zeros_like(comp.premium), sum_assured=sum_assured)


def premium_with_given_linked(
    comp: Components,
    loadings: FloatArray,
    *,
    sum_assured: float | FloatArray,
    linked_premium: FloatArray,
) -> FloatArray:
    """Premium on another basis when premium-linked benefits use an already-set premium P*:

    P' = (S·ΣB^{SA} + P*·ΣB^{P}) / Σ D·pay·(1 − L). Used for the cash-value (policy value reserve) basis,
    where the return-of-premium and waiver benefits are fixed by the contract's gross premium (93号 item 14).
    """
    benefits = sum_assured * (comp.sa.sum(axis=1) + comp.survival_sa.sum(axis=1))
    benefits = benefits + linked_premium * comp.premium_linked.sum(axis=1)
    return np.asarray(benefits / (comp.premium * (1.0 - loadings)).sum(axis=1), dtype=np.float64)


def average_loading(comp: Components, loadings: FloatArray) -> FloatArray:
    """Average expense loading = PV of loadings / PV of gross premiums = Σ D·pay·L / Σ D·pay (7号 item 2)."""
    return np.asarray((comp.premium * loadings).sum(axis=1) / comp.premium.sum(axis=1), dtype=np.float64)


def round_half_up(values: FloatArray, unit: float) -> FloatArray:
    """Round to a multiple of ``unit`` (1 yuan, 0.01 yuan…), halves away from zero, like Excel's ROUND.

    A tiny relative nudge absorbs binary noise (…x.4999999999 that is really a half).
    """
    scaled = np.asarray(values, dtype=np.float64) / unit
    return np.asarray(np.floor(np.abs(scaled) * (1 + 1e-13) + 0.5) * np.sign(scaled) * unit, dtype=np.float64)
