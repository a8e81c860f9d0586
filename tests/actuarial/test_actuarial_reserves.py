"""Reserves and cash values: prospective identities, FPT, r_t and the cash-value table."""

from __future__ import annotations

import numpy as np

from jiabao.actuarial import cashflows as cf
from jiabao.actuarial.decrements import dependent_rates_udd, multiple_decrement_table
from jiabao.actuarial.pricing import gross_premium, loading_matrix, net_premium, round_half_up
from jiabao.actuarial.reserves import (
    cash_value_factor,
    cash_value_table,
    fpt_reserve,
    net_premium_reserve,
    prospective_reserve,
)
from jiabao.actuarial.tables import rates_by_policy_year


def whole_life(qx: np.ndarray, ages: list[int], pay: int, i: float) -> tuple[cf.Components, cf.Exposure]:
    n = 106 - min(ages)
    q = rates_by_policy_year(qx[:106].copy(), np.array(ages), n, 1.0)
    t = np.arange(n)[None, :]
    cover = (t < (106 - np.array(ages))[:, None]).astype(float)
    exposure = cf.Exposure(
        q=q,
        other_death=q,
        trigger=np.zeros_like(q),
        ages=np.array(ages)[:, None] + t,
        cover=cover,
        pay=(t < pay).astype(float) * cover,
        interest=i,
    )
    dens = cf.densities(exposure)
    comp = cf.empty_components(dens, exposure)
    cf.add_death_benefit(
        comp, dens, exposure, sa_multiple=1.0, premium_multiple=0.0, healthy_only=False, end_of_year=True
    )
    return comp, exposure


def test_net_premium_reserve_recursion(sult_qx: np.ndarray) -> None:
    """₀V = 0 and Fackler's recursion (ₜV + P)(1 + i) = q_{x+t}·1 + p_{x+t}·ₜ₊₁V (AMLCR eq. 7.8)."""
    qx = sult_qx.copy()
    qx[105] = 1.0
    comp, exposure = whole_life(qx, [40, 55], pay=20, i=0.05)
    gross = net_premium(comp)
    v = net_premium_reserve(comp, sum_assured=1.0, gross=gross)
    assert np.allclose(v[:, 0], 0.0, atol=1e-12)
    for row in range(2):
        for t in range(30):
            p = gross[row] if t < 20 else 0.0
            q = exposure.q[row, t]
            assert np.isclose((v[row, t] + p) * 1.05, q + (1 - q) * v[row, t + 1], atol=1e-10)


def test_fpt_reserve_below_net_premium_reserve(sult_qx: np.ndarray) -> None:
    qx = sult_qx.copy()
    qx[105] = 1.0
    comp, _ = whole_life(qx, [35], pay=20, i=0.05)
    nlp = net_premium_reserve(comp, sum_assured=1.0, gross=np.zeros(1))
    fpt = fpt_reserve(comp, sum_assured=1.0, gross=np.zeros(1))
    assert fpt[0, 0] == 0 and abs(fpt[0, 1]) < 1e-12
    assert np.all(fpt[0, 1:20] < nlp[0, 1:20]) and np.allclose(fpt[0, 20:], nlp[0, 20:])


def test_cash_value_factor() -> None:
    """r_t = k + t(1 − k)/min(20, n) below min(20, n), then 1."""
    r = cash_value_factor(np.arange(1, 31), np.array([10, 30]), 0.8)
    assert np.isclose(r[0, 4], 0.9) and r[0, 9] == 1.0 and r[0, 12] == 1.0
    assert np.isclose(r[1, 9], 0.9) and np.isclose(r[1, 18], 0.99) and r[1, 19] == 1.0
    assert np.all(cash_value_factor(np.arange(1, 5), np.array([1]), 1.0) == 1.0)


def test_cash_value_table_and_prospective(sult_qx: np.ndarray) -> None:
    """MCV = r_t·max(PVR, 0); PVR at the last year-end is 0; reserves at 0 equal zero on the premium's own basis."""
    qx = sult_qx.copy()
    qx[105] = 1.0
    comp, _ = whole_life(qx, [30], pay=10, i=0.04)
    loadings = loading_matrix([0.5, 0.2, 0.1], comp.premium.shape) * (np.arange(76) < 10)
    p = gross_premium(comp, loadings, sum_assured=1000.0)
    assert np.isclose(
        prospective_reserve(comp, sum_assured=1000.0, benefit_premium=p, valuation_premium=p, loadings=loadings)[0, 0],
        0.0,
        atol=1e-9,
    )
    table = cash_value_table(
        comp, sum_assured=1000.0, gross_premium=p, pvr_premium=p, loadings=loadings, payment_term=np.array([10]), k=0.8
    )
    assert np.allclose(table.minimum_cash_value, table.factor * np.maximum(table.policy_value_reserve, 0))
    assert abs(table.policy_value_reserve[0, -1]) < 1e-9
    assert np.all(np.diff(table.minimum_cash_value[0, :10]) > 0)


def test_multiple_decrements_udd() -> None:
    """Dependent rates under UDD reproduce the product of independent survivals (AMLCR §8.9)."""
    a, b, c = np.array([[0.02]]), np.array([[0.10]]), np.array([[0.05]])
    two = dependent_rates_udd({"death": a, "lapse": b})
    assert np.isclose(1 - two["death"] - two["lapse"], (1 - a) * (1 - b))
    three = dependent_rates_udd({"death": a, "ci": c, "lapse": b})
    assert np.isclose(1 - sum(three.values()), (1 - a) * (1 - b) * (1 - c))
    lives, exits = multiple_decrement_table(three)
    assert np.isclose(lives[0, 1] + sum(d[0, 0] for d in exits.values()), 1.0)


def test_round_half_up() -> None:
    assert list(round_half_up(np.array([539.5, 540.4999, 540.49999999999994, -1.5]), 1.0)) == [540, 540, 541, -2]
    assert round_half_up(np.array([2.345]), 0.01)[0] == 2.35
