"""The valuation and the scenario run give the same figures serially, on a process pool and on a Dask LocalCluster
(2 worker processes), and the same figures twice (stable between runs)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from jiabao.actuarial.tables import TableLibrary, load_table_library
from jiabao.batch.executor import DaskExecutor, ProcessExecutor, SerialExecutor
from jiabao.config import default_tables_dir
from jiabao.products.catalog import load_catalog
from jiabao.valuation.assumptions import default_assumptions
from jiabao.valuation.engine import Shard, value_shard
from jiabao.valuation.service import combine, per_policy, reduce_results
from jiabao.valuation.stochastic import ScenarioShard, ScenarioSpec, scenario_values
from jiabao.valuation.synthetic import synthetic_book


@pytest.fixture(scope="module")
def book() -> list[Shard]:
    tables: TableLibrary = load_table_library(default_tables_dir())
    return synthetic_book(load_catalog(), tables, default_assumptions(), lines_per_shard=120, shards=4, seed=3)


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[DaskExecutor]:
    with DaskExecutor(workers=2) as executor:
        yield executor


def _policies(results: list) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    return per_policy(combine(results))


def test_valuation_same_on_every_executor_and_stable(book: list[Shard], dask_executor: DaskExecutor) -> None:
    serial = _policies(SerialExecutor().run(value_shard, book))
    again = _policies(SerialExecutor().run(value_shard, book))
    pooled = _policies(ProcessExecutor(workers=2).run(value_shard, book))
    dask = _policies(dask_executor.run(value_shard, book))
    assert len(serial["policy_id"]) > 300
    for other in (again, pooled, dask):
        for name, values in serial.items():
            assert np.array_equal(values, other[name]), name
    assert serial["statutory"].sum() > 0 and np.all(serial["statutory"] >= serial["cash_value"])


def test_scenarios_same_on_dask_and_mean_near_deterministic(book: list[Shard], dask_executor: DaskExecutor) -> None:
    spec = ScenarioSpec.of(default_assumptions().curve, 200, seed=1)
    items = [ScenarioShard(s, spec) for s in book]
    serial = reduce_results(SerialExecutor().run(scenario_values, items))
    dask = reduce_results(dask_executor.run(scenario_values, items))
    for code, values in serial.by_product.items():
        assert np.array_equal(values, dask.by_product[code])
    book_pv = sum(serial.by_product.values())
    deterministic = sum(serial.deterministic.values())
    spread = float(np.std(book_pv)) / np.sqrt(len(book_pv))
    assert abs(float(np.mean(book_pv)) - deterministic) < 4 * spread + 1e-6 * abs(deterministic)
