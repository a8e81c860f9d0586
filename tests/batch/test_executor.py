"""The executors: the same shards give the same results (bit for bit after the ordered reduction) serially, on a
process pool and on a Dask LocalCluster (2 worker processes); a worker killed in the middle of a shard has that
shard re-run and counted once; Dask workers run without the nanny's MALLOC_TRIM_THRESHOLD_."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import numpy as np
import pytest

from jiabao.batch.executor import (
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    make_executor,
    reduce_in_order,
)

cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module

SHARDS = [(seed, 5_000 + 997 * seed) for seed in range(8)]


def shard_total(shard: tuple[int, int]) -> np.ndarray:
    """A pure shard function with float sums that depend on the order of addition."""
    seed, size = shard
    values = np.random.default_rng(seed).lognormal(3.0, 1.5, size)
    return np.array([values.sum(), (values**2).sum(), float(size)])


def die_once_then_total(shard: tuple[int, int, str]) -> np.ndarray:
    """Kill the worker process the first time shard 3 runs (a marker file remembers it), then compute."""
    seed, size, marker_dir = shard
    marker = Path(marker_dir) / f"shard-{seed}"
    if seed == 3 and not marker.exists():
        marker.write_text(str(os.getpid()))
        os._exit(1)
    return shard_total((seed, size))


def add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a + b


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[DaskExecutor]:
    with DaskExecutor(workers=2) as executor:
        yield executor


def test_serial_progress_and_order() -> None:
    seen: list[tuple[int, int]] = []
    results = SerialExecutor().run(shard_total, SHARDS, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 8) for i in range(1, 9)]
    assert [r[2] for r in results] == [float(size) for _, size in SHARDS]


def test_process_pool_equals_serial() -> None:
    serial = reduce_in_order(SerialExecutor().run(shard_total, SHARDS), add)
    pooled = reduce_in_order(ProcessExecutor(workers=2).run(shard_total, SHARDS), add)
    assert np.array_equal(serial, pooled)


def test_dask_local_cluster_equals_serial(dask_executor: DaskExecutor) -> None:
    serial = reduce_in_order(SerialExecutor().run(shard_total, SHARDS), add)
    done: list[int] = []
    results = dask_executor.run(shard_total, SHARDS, progress=lambda d, _t: done.append(d))
    assert np.array_equal(reduce_in_order(results, add), serial)
    assert sorted(done) == list(range(1, 9))


def test_dask_workers_run_without_malloc_trim(dask_executor: DaskExecutor) -> None:
    """distributed's default pre-spawn environment sets MALLOC_TRIM_THRESHOLD_=65536; ours removes it."""
    settings = dask_executor.worker_trim_settings()
    assert len(settings) == 2
    assert set(settings.values()) == {None}


def test_killed_worker_shard_is_retried_once(dask_executor: DaskExecutor, tmp_path: Path) -> None:
    shards = [(seed, size, str(tmp_path)) for seed, size in SHARDS]
    results = dask_executor.run(die_once_then_total, shards)
    assert (tmp_path / "shard-3").exists()  # the worker really died once
    expected = reduce_in_order(SerialExecutor().run(shard_total, SHARDS), add)
    assert np.array_equal(reduce_in_order(results, add), expected)  # shard 3 counted once, not twice
    assert len(results) == len(SHARDS)


def test_make_executor_choices() -> None:
    assert make_executor("serial").kind == "serial"
    assert make_executor("processes", workers=2).kind == "processes"
    assert make_executor("serial", scheduler="tcp://127.0.0.1:1").kind == "dask"


def test_process_pool_killed_worker_shard_is_retried_once(tmp_path: Path) -> None:
    """A dead worker process breaks the pool; the shards without a result run again in a new pool, once."""
    shards = [(seed, size, str(tmp_path)) for seed, size in SHARDS]
    results = ProcessExecutor(workers=2).run(die_once_then_total, shards)
    assert (tmp_path / "shard-3").exists()
    expected = reduce_in_order(SerialExecutor().run(shard_total, SHARDS), add)
    assert np.array_equal(reduce_in_order(results, add), expected)
