"""Stochastic valuation: the book's best-estimate cash flows discounted on every interest-rate scenario (pure).

Each shard projects its lines once (:func:`jiabao.valuation.engine.book_flows`) and values the projected net outgo
on all scenarios at once (a matrix product, scenarios × months); the service adds the shards in order. The
scenarios come from :func:`jiabao.actuarial.scenarios.generate` (Hull–White fitted to the valuation curve), so
the mean over scenarios converges to the deterministic BEL — a built-in check of every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jiabao.valuation.engine import Shard, book_flows

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ScenarioShard:
    shard: Shard
    discount: FloatArray  # (scenarios, HORIZON_MONTHS)


@dataclass(frozen=True)
class ScenarioResult:
    by_product: dict[str, FloatArray]  # PV of the net outgo per scenario
    deterministic: dict[str, float]  # PV on the valuation curve


def scenario_values(item: ScenarioShard) -> ScenarioResult:
    flows = book_flows(item.shard)
    months = item.discount.shape[1]
    curve = item.shard.assumptions.curve.monthly(months)
    return ScenarioResult(
        by_product={code: item.discount @ flow[:months] for code, flow in flows.items()},
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
