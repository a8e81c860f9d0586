"""Multiple decrements (death, critical illness, lapse) on ``(points, years)`` matrices.

Notation follows AMLCR ch. 8: an *independent* (absolute) rate q'^{(j)} acts alone; a *dependent* rate q^{(j)}
is the probability of leaving by cause j in the presence of the other causes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def dependent_rates_udd(independent: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    """Dependent rates from independent ones, each decrement uniform in its own single-decrement table.

    Two causes: q^{(1)} = q'^{(1)}(1 − ½q'^{(2)}). Three causes:
    q^{(1)} = q'^{(1)}[1 − ½(q'^{(2)} + q'^{(3)}) + ⅓q'^{(2)}q'^{(3)}] (AMLCR §8.9, eqs. 8.23–8.24).
    """
    names = list(independent)
    if not 1 <= len(names) <= 3:
        raise ValueError("dependent_rates_udd supports one to three decrements")
    out: dict[str, FloatArray] = {}
    for name in names:
        own = np.asarray(independent[name], dtype=np.float64)
        others = [np.asarray(independent[o], dtype=np.float64) for o in names if o != name]
        if not others:
            out[name] = own
        elif len(others) == 1:
            out[name] = own * (1.0 - 0.5 * others[0])
        else:
            a, b = others
            out[name] = own * (1.0 - 0.5 * (a + b) + a * b / 3.0)
    return out


def multiple_decrement_table(dependent: Mapping[str, FloatArray]) -> tuple[FloatArray, dict[str, FloatArray]]:
    """In-force lives and expected exits by cause, starting from 1 life.

    l_{t+1} = l_t (1 − Σ_j q^{(j)}_t); d^{(j)}_t = l_t q^{(j)}_t. Returns ``(l, d)`` with l of shape
    ``(points, years + 1)`` and each d of shape ``(points, years)``.
    """
    rates = {k: np.asarray(v, dtype=np.float64) for k, v in dependent.items()}
    total = sum(rates.values(), start=np.zeros_like(next(iter(rates.values()))))
    if np.any(total > 1.0 + 1e-12):
        raise ValueError("dependent decrement rates add up to more than 1")
    lives = np.ones((total.shape[0], total.shape[1] + 1), dtype=np.float64)
    np.cumprod(1.0 - total, axis=1, out=lives[:, 1:])
    return lives, {k: lives[:, :-1] * v for k, v in rates.items()}


def accelerated_ci_rates(q: FloatArray, ix: FloatArray, kx: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Healthy-life decrements for an accelerated CI product: (other death, CI).

    Other death q^{d} = q·(1 − k) (k = share of deaths that are CI deaths, counted in i); where the
    table closes (q = 1) q^{d} = 1 − i so that every healthy life leaves. The CI rate is i itself
    (2006-2010 CI tables; the same split as the 108号 valuation floor i + q − k·q).
    """
    q = np.asarray(q, dtype=np.float64)
    ix = np.asarray(ix, dtype=np.float64)
    other = np.where(q >= 1.0, 1.0 - ix, q * (1.0 - np.asarray(kx, dtype=np.float64)))
    return np.asarray(other, dtype=np.float64), ix
