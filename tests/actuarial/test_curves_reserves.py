"""Yield curves, the reserve discount curve, gross premium policy values, m-thly premiums, the variance of the loss
and the statutory floor — against SOA FAM-L sample questions (SULT, i = 5%; answers from the SOA *Sample
Solutions*) and against textbook identities (AMLCR = Dickson, Hardy & Waters, 3rd ed.)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jiabao.actuarial import cashflows as cf
from jiabao.actuarial import contingencies as lc
from jiabao.actuarial.curves import (
    YieldCurve,
    as_curve,
    moving_average,
    reserve_base_spots,
    reserve_discount_curve,
)
from jiabao.actuarial.pricing import gross_premium, loading_matrix
from jiabao.actuarial.reserves import (
    fpt_reserve,
    gross_premium_reserve,
    loss_variance,
    policy_expenses,
    statutory_reserve,
)
from jiabao.actuarial.tables import rates_by_policy_year


def whole_life(
    sult_qx: np.ndarray, x: int, *, interest: float | YieldCurve = 0.05, frequency: int = 1, pay: int | None = None
) -> tuple[cf.Components, cf.Exposure]:
    qx = sult_qx.copy()
    n = len(qx) - x
    q = rates_by_policy_year(qx, np.array([x]), n, 1.0)
    t = np.arange(n)[None, :]
    exposure = cf.Exposure(
        q=q,
        other_death=q,
        trigger=np.zeros_like(q),
        ages=x + t,
        cover=np.ones_like(q),
        pay=np.ones_like(q) if pay is None else (t < pay).astype(float),
        interest=interest,
        frequency=frequency,
    )
    dens = cf.densities(exposure)
    comp = cf.empty_components(dens, exposure)
    cf.add_death_benefit(
        comp, dens, exposure, sa_multiple=1.0, premium_multiple=0.0, healthy_only=False, end_of_year=True
    )
    return comp, exposure


# -- yield curves --------------------------------------------------------------------------------------------------


def test_flat_curve_is_the_rate() -> None:
    """A flat curve discounts exactly like its rate: v(t) = (1+i)^{−t}, spot = forward = i at every term."""
    curve = YieldCurve.flat(0.035)
    t = np.array([0.0, 0.5, 1.0, 7.25, 40.0])
    assert np.array_equal(curve.discount(t), 1.035**-t)
    assert np.allclose(curve.spot(t[1:]), 0.035, atol=1e-15)
    assert np.allclose(curve.forward_by_year(5), 0.035, atol=1e-15)


def test_spot_to_forward_textbook() -> None:
    """Spot rates 5% (1 year) and 6% (2 years) imply the 1-year forward rate 1.06²/1.05 − 1 = 7.0095% a year from
    now (the arbitrage-free forward of any fixed-income text; AMLCR §2.6). Round trip spot → forward → spot."""
    curve = YieldCurve.from_spot_rates([0.05, 0.06])
    assert round(float(curve.forwards[1]), 6) == round(1.06**2 / 1.05 - 1, 6) == 0.070095
    assert np.allclose(curve.spot([1.0, 2.0]), [0.05, 0.06], atol=1e-14)
    assert math.isclose(float(curve.discount(1.5)), 1.05**-1 * (1.06**2 / 1.05) ** -0.5, rel_tol=1e-14)


def test_monthly_curve_matches_annual_equivalent() -> None:
    """A curve given by month with the monthly equivalent of 5% discounts like 5% (step 1/12)."""
    monthly = YieldCurve(np.full(24, 0.05), step=1 / 12)
    t = np.linspace(0, 3, 37)
    assert np.allclose(monthly.discount(t), 1.05**-t, rtol=1e-13)


def test_sq_4_8_term_structure(sult_qx: np.ndarray) -> None:
    """SQ 4.8: i = 4% in year 1, 5% after; 1000·A_50 → 191 (C) — now straight from a two-period curve."""
    curve = YieldCurve(np.array([0.04, 0.05]))
    q = rates_by_policy_year(sult_qx, np.array([50]), len(sult_qx) - 50, 1.0)
    assert round(1000 * float(lc.assurance(q, curve)[0])) == 191
    comp, _ = whole_life(sult_qx, 50, interest=curve)
    assert round(1000 * float(comp.sa.sum())) == 191


def test_engine_on_a_flat_curve_equals_the_rate(sult_qx: np.ndarray) -> None:
    """Everywhere a rate is accepted, its flat curve gives the same premium (SQ 6.35, 530)."""
    rate_comp, _ = whole_life(sult_qx, 35)
    curve_comp, _ = whole_life(sult_qx, 35, interest=YieldCurve.flat(0.05))
    loads = loading_matrix([0.19, 0.04], rate_comp.premium.shape)
    p_rate = gross_premium(rate_comp, loads, sum_assured=100_000)
    p_curve = gross_premium(curve_comp, loads, sum_assured=100_000)
    assert round(float(p_rate[0]), -1) == 530
    assert np.allclose(p_rate, p_curve, rtol=1e-13)
    q = rates_by_policy_year(sult_qx, np.array([35]), 60, 1.0)
    for timing in lc.Timing:
        assert np.allclose(lc.assurance(q, 0.05, timing=timing), lc.assurance(q, as_curve(0.05), timing=timing))


def test_reserve_discount_curve_segments() -> None:
    """The reserve curve: 750-day average of the government curve up to 20 years, linear to the 4.5% ultimate rate
    between 20 and 40 years, 4.5% after; the comprehensive premium added to every spot rate."""
    tenors = np.array([1.0, 5.0, 10.0, 20.0, 30.0])
    rng = np.random.default_rng(7)
    daily = np.array([0.014, 0.016, 0.018, 0.021, 0.022]) + rng.normal(0, 0.001, (800, 5))
    avg = moving_average(daily)
    assert np.allclose(avg, daily[-750:].mean(axis=0))
    with pytest.raises(ValueError, match="750"):
        moving_average(daily[:700])
    spots = reserve_base_spots(tenors, avg)
    assert math.isclose(spots[9], avg[2]) and math.isclose(spots[19], avg[3])  # 10 and 20 years
    assert math.isclose(spots[29], (avg[3] + 0.045) / 2)  # 30 years: half-way to the ultimate rate
    assert np.all(spots[39:] == 0.045)
    curve = reserve_discount_curve(tenors, daily, premium=0.0035)
    assert np.allclose(curve.spot(np.arange(1, 60, dtype=float)), spots[:59] + 0.0035, atol=1e-12)
    with pytest.raises(ValueError, match="premium"):
        reserve_discount_curve(tenors, daily, premium=0.02)


# -- premiums paid m-thly ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("m", [2, 4, 12])
def test_mthly_premium_component_is_the_mthly_annuity(sult_qx: np.ndarray, m: int) -> None:
    """Σ premium component = ä^{(m)}_{x:20} (UDD, AMLCR §5.11), so pricing and reserves use m-thly premiums."""
    comp, _ = whole_life(sult_qx, 45, frequency=m, pay=20)
    q = rates_by_policy_year(sult_qx, np.array([45]), len(sult_qx) - 45, 1.0)
    assert math.isclose(comp.premium.sum(), float(lc.annuity_due(q, 0.05, term=20, frequency=m)[0]), rel_tol=1e-13)


def test_sq_6_22_monthly_premium_through_components(sult_qx: np.ndarray) -> None:
    """SQ 6.22: WL 100,000 at 45 paid at death, monthly premiums for 20 years (UDD) → 102 a month (D)."""
    comp, _ = whole_life(sult_qx, 45, frequency=12, pay=20)
    a_bar = comp.sa.sum() * 0.05 / math.log(1.05)  # EOY death benefit → immediate under UDD (AMLCR eq. 4.25)
    assert round(100_000 * a_bar / (12 * comp.premium.sum())) == 102


def test_monthly_reserve_recursion(sult_qx: np.ndarray) -> None:
    """With monthly premiums the year-start reserve satisfies
    (ₜV + P·ä^{(12)}_{x+t:1})(1+i) = q·1 + p·ₜ₊₁V (AMLCR §7.5 recursion, premium income valued within the year)."""
    comp, exposure = whole_life(sult_qx, 40, frequency=12, pay=25)
    p = float(comp.sa.sum() / comp.premium.sum())
    v = gross_premium_reserve(comp, sum_assured=1.0, gross=p)
    income = comp.premium[0] / comp.in_force[0]
    for t in range(30):
        q = exposure.q[0, t]
        lhs = (v[0, t] + p * income[t]) * 1.05
        assert math.isclose(lhs, q + (1 - q) * v[0, t + 1], rel_tol=1e-9, abs_tol=1e-12)


# -- gross premium policy values and the variance of the loss ------------------------------------------------------


def test_sq_7_20_gross_premium_policy_value_minus_fpt(sult_qx: np.ndarray) -> None:
    """SQ 7.20: WL 1000 on (35); year-1 expenses 30% of premium + 300, renewal 4% + 30, at the start of the year;
    G by the equivalence principle; R = gross premium policy value at t = 1, S = FPT reserve at t = 1:
    R − S = −277.19 (the published solution)."""
    comp, _ = whole_life(sult_qx, 35)
    rates = loading_matrix([0.30, 0.04], comp.premium.shape)
    expenses = policy_expenses(comp, initial=300.0, renewal=30.0)
    g = gross_premium(comp, rates, sum_assured=1000.0, per_policy_expenses=expenses)
    r = gross_premium_reserve(comp, sum_assured=1000.0, gross=g, premium_expense_rates=rates, expenses=expenses)
    s = fpt_reserve(comp, sum_assured=1000.0, gross=np.zeros(1))
    assert abs(r[0, 0]) < 1e-9  # equivalence principle: ₀V^g = 0
    assert round(float(r[0, 1] - s[0, 1]), 2) == -277.19


def test_sq_6_6_variance_of_the_loss(sult_qx: np.ndarray) -> None:
    """SQ 6.6: WL 10,000 on (62), G = 1.03 × net premium, expenses 5% of the first premium and 5 a year; 600
    independent policies: P(aggregate loss < 40,000) = 0.79 (B) by the normal approximation.
    The Hattendorf variance also equals the closed form (S + (G − e)/d)²(²A − A²) after year 1 (AMLCR eq. 6.6)."""
    comp, exposure = whole_life(sult_qx, 62)
    net = 10_000 * comp.sa.sum() / comp.premium.sum()
    g = 1.03 * net
    rates = loading_matrix([0.05, 0.0], comp.premium.shape)
    expenses = policy_expenses(comp, initial=5.0, renewal=5.0)
    values = gross_premium_reserve(comp, sum_assured=10_000, gross=g, premium_expense_rates=rates, expenses=expenses)
    n = exposure.q.shape[1]
    eoy = 1.05 ** -np.arange(1.0, n + 1)
    var = loss_variance(exposure.q, eoy, death_benefit=np.full((1, n), 10_000.0), policy_value_next=values[:, 1:])
    mean = values[0, 0]
    z = (40_000 - 600 * mean) / math.sqrt(600 * var[0])
    prob = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    assert round(prob, 2) == 0.79
    d = 0.05 / 1.05
    q = exposure.q
    a, a2 = lc.assurance(q, 0.05)[0], lc.assurance(q, 1.05**2 - 1)[0]
    assert math.isclose(var[0], (10_000 + (g - 5) / d) ** 2 * (a2 - a**2), rel_tol=1e-10)


def test_statutory_reserve_floors() -> None:
    """The statutory reserve is the FPT reserve, never below the cash value nor below zero (7号 item 14)."""
    fpt = np.array([[0.0, 120.0, -5.0, 400.0]])
    cv = np.array([[10.0, 90.0, 0.0, 410.0]])
    assert statutory_reserve(fpt, cv).tolist() == [[10.0, 120.0, 0.0, 410.0]]


def test_product_priced_monthly_and_on_a_curve() -> None:
    """The catalog's whole-life product (death benefit only): the true monthly annual premium is
    P·Σ ä-terms(1 − L)/Σ ä^{(12)}-terms(1 − L), the loaded premium annuities (AMLCR §6.5), and a flat curve at the
    filed rate prices like the rate."""
    from jiabao.actuarial.tables import load_table_library
    from jiabao.config import default_tables_dir
    from jiabao.products.catalog import load_catalog
    from jiabao.products.pricer import Points, price_batch
    from jiabao.products.quoting import table_set_for

    product = load_catalog().products["whole_life"]
    tables = table_set_for(product, load_table_library(default_tables_dir()))
    points = Points(
        np.array([30, 45]), np.array(["M", "F"]), np.array([20, 10]), np.array([76, 61]), np.zeros(2, int), np.ones(2)
    )
    annual = price_batch(product, tables, points)
    monthly = price_batch(product, tables, points, frequency=12)
    net = 1.0 - annual.loadings
    ratio = (annual.pricing.premium * net).sum(axis=1) / (monthly.pricing.premium * net).sum(axis=1)
    assert np.allclose(monthly.rate_exact / annual.rate_exact, ratio, rtol=1e-12)
    assert np.all(monthly.rate_exact > annual.rate_exact)
    on_curve = price_batch(product, tables, points, interest=YieldCurve.flat(product.pricing.interest))
    assert np.allclose(on_curve.rate_exact, annual.rate_exact, rtol=1e-12)
