"""Interest-rate scenarios: the Hull–White one-factor short-rate model fitted to today's yield curve (seeded).

Model (Hull & White 1990; Brigo & Mercurio, *Interest Rate Models*, 2nd ed., §3.3):

    r(t) = x(t) + φ(t),   dx = −a·x dt + σ dW,   x(0) = 0,
    φ(t) = f(0, t) + σ²/(2a²)·(1 − e^{−at})²

with f(0, t) the instantaneous forward rate of the initial curve. With I(t) = ∫₀ᵗ x(s) ds (Gaussian, mean 0,
variance V(t) = σ²/a²·[t − 2(1 − e^{−at})/a + (1 − e^{−2at})/(2a)]), the stochastic discount factor is

    D(t) = exp(−∫₀ᵗ r) = P(0, t)·exp(−½V(t) − I(t)),   so E[D(t)] = P(0, t)

— the model reproduces today's curve on average, whatever a and σ. The pair (x, I) is simulated **exactly** on a
monthly grid (a joint Gaussian step, no discretisation bias): for a step Δ,

    x' = x·e^{−aΔ} + ε₁,  I' = I + x·B + ε₂,  B = (1 − e^{−aΔ})/a,
    Var ε₁ = σ²(1 − e^{−2aΔ})/(2a),  Var ε₂ = σ²/a²·[Δ − 2B + (1 − e^{−2aΔ})/(2a)],  Cov = σ²/(2a²)·(1 − e^{−aΔ})².

With a constant initial forward curve this is the Vasicek model (its long-run mean moved to fit the curve).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.curves import YieldCurve

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class HullWhite:
    """Mean reversion ``a`` (a year) and volatility ``sigma`` (absolute, a year) of the short rate."""

    a: float = 0.10
    sigma: float = 0.008

    def __post_init__(self) -> None:
        if self.a <= 0 or self.sigma < 0:
            raise ValueError("Hull-White needs a > 0 and sigma >= 0")

    def integral_variance(self, t: FloatArray) -> FloatArray:
        """V(t) = Var ∫₀ᵗ x(s) ds (module docstring)."""
        a, s = self.a, self.sigma
        t = np.asarray(t, dtype=np.float64)
        return np.asarray(
            s * s / (a * a) * (t - 2.0 * (1.0 - np.exp(-a * t)) / a + (1.0 - np.exp(-2.0 * a * t)) / (2.0 * a)),
            dtype=np.float64,
        )

    def step_covariance(self, dt: float) -> FloatArray:
        """Covariance of (ε₁, ε₂) for one step of length ``dt``."""
        a, s = self.a, self.sigma
        e1, e2 = np.exp(-a * dt), np.exp(-2.0 * a * dt)
        b = (1.0 - e1) / a
        var_x = s * s * (1.0 - e2) / (2.0 * a)
        var_i = s * s / (a * a) * (dt - 2.0 * b + (1.0 - e2) / (2.0 * a))
        cov = s * s / (2.0 * a * a) * (1.0 - e1) ** 2
        return np.array([[var_x, cov], [cov, var_i]], dtype=np.float64)


@dataclass(frozen=True)
class ScenarioSet:
    """Discount factors D_s(m/12) for scenarios s and months m = 0..months−1, and the short rate at each month."""

    discount: FloatArray  # (scenarios, months)
    short_rate: FloatArray  # (scenarios, months), continuously compounded
    seed: int
    model: HullWhite

    def __len__(self) -> int:
        return int(self.discount.shape[0])


def generate(
    curve: YieldCurve,
    *,
    scenarios: int,
    months: int,
    model: HullWhite | None = None,
    seed: int = 20261203,
    antithetic: bool = True,
) -> ScenarioSet:
    """Simulate ``scenarios`` monthly paths (exact joint step, module docstring); reproducible from ``seed``.

    With ``antithetic`` the second half of the paths uses the negated shocks of the first half (variance
    reduction; the mean of D(t) is then exactly P(0, t) up to rounding when σ is small).
    """
    model = model or HullWhite()
    dt = 1.0 / 12.0
    rng = np.random.default_rng(seed)
    half = (scenarios + 1) // 2 if antithetic else scenarios
    chol = np.linalg.cholesky(model.step_covariance(dt) + np.eye(2) * 1e-300)
    shocks = rng.standard_normal((half, months - 1, 2)) @ chol.T
    if antithetic:
        shocks = np.concatenate([shocks, -shocks])[:scenarios]
    x = np.zeros((scenarios, months))
    integral = np.zeros((scenarios, months))
    decay = np.exp(-model.a * dt)
    b = (1.0 - decay) / model.a
    for m in range(1, months):  # a loop over time steps; every step is vectorised over the scenarios
        x[:, m] = x[:, m - 1] * decay + shocks[:, m - 1, 0]
        integral[:, m] = integral[:, m - 1] + x[:, m - 1] * b + shocks[:, m - 1, 1]
    t = np.arange(months, dtype=np.float64) * dt
    p0 = curve.discount(t)
    discount = p0[None, :] * np.exp(-0.5 * model.integral_variance(t)[None, :] - integral)
    forward = _instantaneous_forward(curve, t)
    phi = forward + model.sigma**2 / (2.0 * model.a**2) * (1.0 - np.exp(-model.a * t)) ** 2
    return ScenarioSet(discount=discount, short_rate=x + phi[None, :], seed=seed, model=model)


def _instantaneous_forward(curve: YieldCurve, t: FloatArray) -> FloatArray:
    """f(0, t) = −d ln P(0, t)/dt by a central difference of one day."""
    h = 1.0 / 365.0
    lo = np.maximum(t - h, 0.0)
    hi = t + h
    return np.asarray(-(np.log(curve.discount(hi)) - np.log(curve.discount(lo))) / (hi - lo), dtype=np.float64)
