"""Stochastic valuation: the book's best-estimate cash flows discounted on every interest-rate scenario (pure).

Each shard projects its lines once (:func:`jiabao.valuation.engine.book_flows`) and values the projected net outgo
on all scenarios at once (a matrix product, scenarios × months); the service adds the shards in order. The
scenarios come from :func:`jiabao.actuarial.scenarios.generate` (Hull–White fitted to the valuation curve), so
the mean over scenarios converges to the deterministic BEL — a built-in check of every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from jiabao.actuarial.curves import YieldCurve
from jiabao.actuarial.scenarios import HullWhite, generate
from jiabao.valuation.engine import HORIZON_MONTHS, Shard, book_flows

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ScenarioSpec:
    """Everything that determines the scenario set — a few numbers, shipped with each shard instead of the
    (scenarios × months) matrix; every worker regenerates the same matrix once (seeded) and keeps it."""

    count: int
    seed: int
    a: float
    sigma: float
    step: float
    forwards: tuple[float, ...]
    months: int = HORIZON_MONTHS

    @classmethod
    def of(cls, curve: YieldCurve, count: int, seed: int, model: HullWhite | None = None) -> ScenarioSpec:
        model = model or HullWhite()
        return cls(count, seed, model.a, model.sigma, curve.step, tuple(float(f) for f in curve.forwards))

    def discount(self) -> FloatArray:
        return _discount(self)


@lru_cache(maxsize=4)
def _discount(spec: ScenarioSpec) -> FloatArray:
    curve = YieldCurve(np.asarray(spec.forwards), spec.step)
    sims = generate(
        curve, scenarios=spec.count, months=spec.months, model=HullWhite(spec.a, spec.sigma), seed=spec.seed
    )
    return sims.discount


@dataclass(frozen=True)
class ScenarioShard:
    shard: Shard
    scenarios: ScenarioSpec


@dataclass(frozen=True)
class ScenarioResult:
    by_product: dict[str, FloatArray]  # PV of the net outgo per scenario
    deterministic: dict[str, float]  # PV on the valuation curve


def scenario_values(item: ScenarioShard) -> ScenarioResult:
    flows = book_flows(item.shard)
    discount = item.scenarios.discount()
    months = discount.shape[1]
    curve = item.shard.assumptions.curve.monthly(months)
    return ScenarioResult(
        by_product={code: discount @ flow[:months] for code, flow in flows.items()},
        deterministic={code: float(flow[:months] @ curve) for code, flow in flows.items()},
    )


def add_results(a: ScenarioResult, b: ScenarioResult) -> ScenarioResult:
    """Shard results added product by product (used left to right, in shard order)."""
    by_product = dict(a.by_product)
    deterministic = dict(a.deterministic)
    for code, values in b.by_product.items():
        by_product[code] = by_product[code] + values if code in by_product else values
        deterministic[code] = deterministic.get(code, 0.0) + b.deterministic[code]
    return ScenarioResult(by_product, deterministic)
