"""Valuation of a book in force and 1,000 interest-rate scenarios: in-process vs a Dask LocalCluster, same figures.

    .venv/bin/python benchmarks/valuation_book.py --lines-per-shard 5000 --shards 40 --workers 2 --scenarios 1000

The book is :func:`jiabao.valuation.synthetic.synthetic_book` (seeded; every catalog product within its limits,
premiums from the product's pricer; one insured line = one policy), valued by the platform's own shard function
:func:`jiabao.valuation.engine.value_shard` (statutory reserve, PVR, cash value, BEL, RA, FCF₀ per line) and
:func:`jiabao.valuation.stochastic.scenario_values` (the book's net outgo on each Hull–White scenario). The
LocalCluster has ``--workers`` processes of one thread, started without MALLOC_TRIM_THRESHOLD_; its start-up time
is printed apart. The script fails if any figure differs between the executors.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from jiabao.actuarial.tables import load_table_library
from jiabao.batch.executor import DaskExecutor, SerialExecutor
from jiabao.config import default_tables_dir
from jiabao.products.catalog import load_catalog
from jiabao.valuation.assumptions import default_assumptions
from jiabao.valuation.engine import value_shard
from jiabao.valuation.service import combine, per_policy, reduce_results
from jiabao.valuation.stochastic import ScenarioShard, ScenarioSpec, scenario_values
from jiabao.valuation.synthetic import synthetic_book


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines-per-shard", type=int, default=5000)
    parser.add_argument("--shards", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--tables", type=Path, default=default_tables_dir())
    args = parser.parse_args()
    tables = load_table_library(args.tables)
    assumptions = default_assumptions()
    start = time.perf_counter()
    book = synthetic_book(load_catalog(), tables, assumptions, lines_per_shard=args.lines_per_shard, shards=args.shards)
    lines = sum(len(block) for shard in book for block in shard.lines.values())
    print(
        f"book: {lines:,} policies in {len(book)} shards (basis {tables.for_date(assumptions_date()).basis}), "
        f"built in {time.perf_counter() - start:.1f} s"
    )

    start = time.perf_counter()
    serial = per_policy(combine(SerialExecutor().run(value_shard, book)))
    serial_s = time.perf_counter() - start
    start = time.perf_counter()
    with DaskExecutor(workers=args.workers) as dask:
        startup = time.perf_counter() - start
        assert set(dask.worker_trim_settings().values()) == {None}
        start = time.perf_counter()
        distributed = per_policy(combine(dask.run(value_shard, book)))
        dask_s = time.perf_counter() - start
        same = all(np.array_equal(serial[k], distributed[k]) for k in serial)
        print(f"valuation  in-process {serial_s:7.1f} s  {lines / serial_s:9,.0f} policies/s")
        print(
            f"valuation  LocalCluster({args.workers}) {dask_s:7.1f} s  {lines / dask_s:9,.0f} policies/s"
            f"  (cluster start {startup:.1f} s)  same figures: {same}"
        )
        totals = {k: int(serial[k].sum()) / 100 for k in ("statutory", "pvr", "cash_value", "bel", "ra")}
        print("totals (yuan): " + ", ".join(f"{k} {v:,.2f}" for k, v in totals.items()))

        spec = ScenarioSpec.of(assumptions.curve, args.scenarios, seed=20261203)
        items = [ScenarioShard(shard, spec) for shard in book]
        start = time.perf_counter()
        one = reduce_results(SerialExecutor().run(scenario_values, items))
        serial_sc = time.perf_counter() - start
        start = time.perf_counter()
        two = reduce_results(dask.run(scenario_values, items))
        dask_sc = time.perf_counter() - start
    same_sc = all(np.array_equal(one.by_product[c], two.by_product[c]) for c in one.by_product)
    pv = sum(one.by_product.values())
    print(
        f"scenarios  {args.scenarios} × {lines:,} policies: in-process {serial_sc:.1f} s, "
        f"LocalCluster({args.workers}) {dask_sc:.1f} s, ratio {dask_sc / serial_sc:.2f}, same figures: {same_sc}"
    )
    print(
        f"book PV of net outgo: deterministic {sum(one.deterministic.values()):,.0f}; scenarios mean {pv.mean():,.0f}, "
        f"sd {pv.std():,.0f}, 0.5%/99.5% {np.percentile(pv, 0.5):,.0f} / {np.percentile(pv, 99.5):,.0f}"
    )
    ok = same and same_sc
    print("RESULT", "PASS" if ok else "FAIL")
    return 0 if ok else 1


def assumptions_date():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2026, 12, 3)


if __name__ == "__main__":
    raise SystemExit(main())
