"""The Hull–White scenario generator (Brigo & Mercurio §3.3): fitted to today's curve on average, the variance of
∫x as the closed form, reproducible from the seed."""

from __future__ import annotations

import numpy as np

from jiabao.actuarial.curves import YieldCurve
from jiabao.actuarial.scenarios import HullWhite, generate


def test_mean_discount_factor_is_todays_curve() -> None:
    """E[D(t)] = P(0, t): with 4,000 paths the mean is within 3 standard errors at every horizon."""
    curve = YieldCurve.from_spot_rates(np.linspace(0.018, 0.032, 30))
    model = HullWhite(a=0.08, sigma=0.01)
    sims = generate(curve, scenarios=4000, months=361, model=model, seed=11, antithetic=False)
    t = np.arange(361) / 12
    mean, se = sims.discount.mean(axis=0), sims.discount.std(axis=0) / np.sqrt(4000)
    assert np.all(np.abs(mean - curve.discount(t)) <= 3 * se + 1e-15)
    log_ratio = np.log(sims.discount / curve.discount(t))  # = −½V − I with I ~ N(0, V)
    assert np.allclose(log_ratio.var(axis=0)[1:], model.integral_variance(t)[1:], rtol=0.08)


def test_zero_volatility_is_the_curve_and_seed_reproduces() -> None:
    curve = YieldCurve.flat(0.025)
    flat = generate(curve, scenarios=3, months=25, model=HullWhite(a=0.1, sigma=0.0))
    assert np.allclose(flat.discount, 1.025 ** -(np.arange(25) / 12), rtol=1e-12)
    assert np.allclose(flat.short_rate, np.log(1.025), atol=1e-6)
    one = generate(curve, scenarios=10, months=13, seed=5)
    two = generate(curve, scenarios=10, months=13, seed=5)
    assert np.array_equal(one.discount, two.discount)
    assert not np.array_equal(one.discount, generate(curve, scenarios=10, months=13, seed=6).discount)
