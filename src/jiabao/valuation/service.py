"""Valuation use cases: value the book in force on an executor, store the run, read it back for the actuary.

The job reads the in-force lines by household-id partitions (one shard each), ships each shard with its products,
table sets and assumptions to :func:`jiabao.valuation.engine.value_shard` through whatever ``map_shards`` the
caller passes (serial, process pool, Dask: :mod:`jiabao.batch.executor`), then adds the results **in shard
order** into integer fen per policy and per IFRS 17 group, so every executor stores the same figures.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from jiabao.actuarial.scenarios import HullWhite
from jiabao.core.errors import Conflict, NotFound
from jiabao.core.validation.dates import age_on
from jiabao.policies.common.inforce import InForceLine, household_bounds, in_force_lines
from jiabao.products.quoting import table_set_for
from jiabao.products.schema import Product, RateTablePricing
from jiabao.products.service import ProductEngine
from jiabao.valuation import repository as repo
from jiabao.valuation.engine import (
    RESULT_FIELDS,
    AssumptionSet,
    Lines,
    Shard,
    ShardResult,
    value_shard,
)
from jiabao.valuation.models import ValuationRun
from jiabao.valuation.stochastic import ScenarioResult, ScenarioShard, ScenarioSpec, add_results, scenario_values

ShardFunction = Callable[[Shard], ShardResult]
MapShards = Callable[[ShardFunction, Sequence[Shard]], list[ShardResult]]
PER_YEAR = {"annual": 1, "semi_annual": 2, "quarterly": 4, "monthly": 12}
FEN_FIELDS = {"statutory": "statutory_fen", "pvr": "pvr_fen", "cash_value": "cash_value_fen", "bel": "bel_fen"}


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    policies: int
    lines: int
    shards: int
    seconds: float
    totals: dict[str, Decimal]


# -- building shards ------------------------------------------------------------------------------------------------


def elapsed_months(start: date, on: date) -> int:
    """Whole months from ``start`` to ``on`` (a month is complete on the same day of the month)."""
    months = (on.year - start.year) * 12 + on.month - start.month - (1 if on.day < start.day else 0)
    return max(months, 0)


def cover_years(product: Product, coverage: int | None, issue_age: int) -> int:
    """Years of cover from the product's coverage kind and the policy's chosen option (as at quoting)."""
    kind = product.coverage.kind
    if kind == "whole_life":
        return product.coverage.end_age - issue_age + 1
    if kind == "one_year" or coverage is None:
        return 1
    return coverage if kind == "years" else max(coverage - issue_age, 1)


def _lines(product: Product, rows: list[InForceLine], on: date) -> Lines:
    ages = np.array([age_on(r.birth_date, r.start_date) for r in rows], dtype=np.int64)
    return Lines(
        policy_id=np.array([r.policy_id for r in rows], dtype=np.int64),
        cohort=np.array([r.effective_date.year for r in rows], dtype=np.int64),
        issue_age=ages,
        sex=np.array([r.sex for r in rows]),
        elapsed_months=np.array([elapsed_months(r.start_date, on) for r in rows], dtype=np.int64),
        payment_term=np.array([r.payment_term for r in rows], dtype=np.int64),
        cover_years=np.array(
            [cover_years(product, r.coverage, int(a)) for r, a in zip(rows, ages, strict=True)], dtype=np.int64
        ),
        per_year=np.array([PER_YEAR.get(r.frequency, 1) for r in rows], dtype=np.int64),
        sum_assured=np.array([float(r.sum_assured) for r in rows]),
        annual_premium=np.array([float(r.annual_premium) for r in rows]),
        modal_ratio=np.array(
            [float(r.policy_instalment / r.policy_annual_premium) if r.policy_annual_premium else 1.0 for r in rows]
        ),
    )


def shard_from_lines(rows: list[InForceLine], engine: ProductEngine, assumptions: AssumptionSet, on: date) -> Shard:
    by_product: dict[str, list[InForceLine]] = {}
    for row in rows:
        if engine.catalog.get(row.product_code) is not None:
            by_product.setdefault(row.product_code, []).append(row)
    products = {code: engine.catalog.products[code] for code in by_product}
    tables = {
        code: table_set_for(product, engine.tables)
        for code, product in products.items()
        if not isinstance(product.pricing, RateTablePricing)
    }
    lines = {code: _lines(products[code], group, on) for code, group in by_product.items()}
    return Shard(lines=lines, products=products, tables=tables, assumptions=assumptions)


def build_shards(
    session: Session, engine: ProductEngine, assumptions: AssumptionSet, on: date, partitions: int
) -> list[Shard]:
    """One shard per household-id range (equal widths over the ids holding in-force policies)."""
    low, high = household_bounds(session)
    if high < low:
        return []
    edges = np.linspace(low, high + 1, max(partitions, 1) + 1).round().astype(np.int64)
    shards = []
    for start, end in itertools.pairwise(edges):
        if end > start:
            shards.append(shard_from_lines(in_force_lines(session, int(start), int(end)), engine, assumptions, on))
    return shards


# -- combining and storing ------------------------------------------------------------------------------------------


def combine(results: Sequence[ShardResult]) -> ShardResult:
    """Concatenate shard results in shard order (deterministic on every executor)."""
    flows: dict[str, np.ndarray] = {}
    for result in results:
        for code, flow in result.net_cash_flow.items():
            flows[code] = flows[code] + flow if code in flows else flow.copy()
    nonempty = [r for r in results if len(r)] or list(results[:1])
    if not nonempty:
        raise ValueError("no shard results")
    return ShardResult(
        policy_id=np.concatenate([r.policy_id for r in nonempty]),
        product=np.concatenate([r.product for r in nonempty]),
        cohort=np.concatenate([r.cohort for r in nonempty]),
        amounts={name: np.concatenate([r.amounts[name] for r in nonempty]) for name in RESULT_FIELDS},
        net_cash_flow=flows,
    )


def per_policy(result: ShardResult) -> dict[str, np.ndarray]:
    """Lines added into policies, in integer fen (rounded half to even on the policy total)."""
    ids, first, inverse = np.unique(result.policy_id, return_index=True, return_inverse=True)
    out: dict[str, np.ndarray] = {"policy_id": ids, "product": result.product[first], "cohort": result.cohort[first]}
    for name in RESULT_FIELDS:
        total = np.bincount(inverse, weights=result.amounts[name], minlength=len(ids))
        out[name] = np.rint(total * 100.0).astype(np.int64)
    return out


def lock_initial_recognition(policies: dict[str, np.ndarray], known: dict[int, int]) -> None:
    """FCF₀ is measured once, when a policy is first valued (initial recognition, IFRS 17 §38): a policy already
    valued keeps the FCF₀ of its earlier run, so its group's CSM at initial recognition does not move with later
    assumption sets or curves; only new policies get today's figure."""
    if not known:
        return
    ids = policies["policy_id"].tolist()
    fcf0 = policies["fcf0"]
    for row, policy_id in enumerate(ids):
        earlier = known.get(policy_id)
        if earlier is not None:
            fcf0[row] = earlier


def group_rows(run_id: int, policies: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """IFRS 17 groups: product × cohort × onerous at initial recognition (FCF₀ > 0)."""
    onerous = policies["fcf0"] > 0
    keys = sorted(
        {(str(p), int(c), bool(o)) for p, c, o in zip(policies["product"], policies["cohort"], onerous, strict=True)}
    )
    rows = []
    for product, cohort, bad in keys:
        rows_mask = (policies["product"] == product) & (policies["cohort"] == cohort) & (onerous == bad)
        fcf0 = int(policies["fcf0"][rows_mask].sum())
        rows.append(
            {
                "run_id": run_id,
                "product_code": product,
                "cohort": cohort,
                "onerous": bad,
                "policies": int(rows_mask.sum()),
                **{
                    f"{name}_fen": int(policies[name][rows_mask].sum())
                    for name in ("statutory", "pvr", "cash_value", "bel", "ra")
                },
                "csm_fen": 0 if bad else -fcf0,
                "loss_component_fen": fcf0 if bad else 0,
            }
        )
    return rows


def _assumption_set_id(session: Session, assumptions: AssumptionSet, now: datetime) -> int:
    parameters = assumptions.parameters()
    record = repo.assumption_set(session, assumptions.version)
    if record is None:
        return repo.add_assumption_set(session, assumptions.version, parameters, now).id
    if record.parameters != parameters:
        raise Conflict(
            code="assumption_version_used",
            message_zh=f"假设版本 {assumptions.version} 已被使用且内容不同，请使用新的版本号",
            message_en=f"assumption set {assumptions.version} is already stored with other values; use a new version",
        )
    return record.id


def run_valuation(
    session: Session,
    engine: ProductEngine,
    assumptions: AssumptionSet,
    on: date,
    *,
    now: datetime,
    map_shards: MapShards,
    executor: str,
    partitions: int = 8,
) -> RunSummary:
    """Value the book in force on ``on`` and store the run (the caller's unit of work commits)."""
    set_id = _assumption_set_id(session, assumptions, now)
    started = time.perf_counter()
    shards = build_shards(session, engine, assumptions, on, partitions)
    results = map_shards(value_shard, shards) if shards else []
    policies = per_policy(combine(results)) if results else {}
    seconds = time.perf_counter() - started
    previous = repo.latest_run(session)
    lines = sum(len(r) for r in results)
    count = len(policies.get("policy_id", ()))
    if count and previous is not None:
        lock_initial_recognition(policies, repo.fcf0_by_policy(session, previous.id))
    groups = group_rows(0, policies) if count else []
    totals = {name: int(policies[name].sum()) if count else 0 for name in RESULT_FIELDS}
    totals["csm"] = sum(g["csm_fen"] for g in groups)
    totals["loss_component"] = sum(g["loss_component_fen"] for g in groups)
    run_row = repo.add_run(
        session,
        ValuationRun(
            valuation_date=on,
            assumption_set_id=set_id,
            previous_run_id=previous.id if previous else None,
            executor=executor,
            shards=len(shards),
            policies=count,
            lines=lines,
            seconds=round(seconds, 3),
            started_at=now,
            totals=totals,
        ),
    )
    if count:
        repo.add_policy_results(session, _policy_rows(run_row.id, policies))
        for group in groups:
            group["run_id"] = run_row.id
        repo.add_groups(session, groups)
    return RunSummary(run_row.id, count, lines, len(shards), seconds, {k: Decimal(v) / 100 for k, v in totals.items()})


def _policy_rows(run_id: int, policies: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    columns = {name: policies[name].tolist() for name in RESULT_FIELDS}
    ids, products, cohorts = policies["policy_id"].tolist(), policies["product"].tolist(), policies["cohort"].tolist()
    return [
        {
            "run_id": run_id,
            "policy_id": ids[i],
            "product_code": products[i],
            "cohort": cohorts[i],
            **{f"{name}_fen": columns[name][i] for name in RESULT_FIELDS},
        }
        for i in range(len(ids))
    ]


# -- stochastic runs --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioSummary:
    scenarios: int
    shards: int
    seconds: float
    deterministic_bel: float
    mean: float
    std: float
    percentiles: dict[str, float]  # 0.5%, 5%, 50%, 95%, 99.5% of the book's PV of net outgo
    by_product_mean: dict[str, float]


def run_scenarios(
    session: Session,
    engine: ProductEngine,
    assumptions: AssumptionSet,
    on: date,
    *,
    count: int,
    seed: int,
    map_shards: Callable[[Callable[[ScenarioShard], ScenarioResult], Sequence[ScenarioShard]], list[ScenarioResult]],
    partitions: int = 8,
    model: HullWhite | None = None,
) -> ScenarioSummary:
    """Value the book in force on ``count`` Hull–White scenarios (seeded) through ``map_shards``."""
    started = time.perf_counter()
    spec = ScenarioSpec.of(assumptions.curve, count, seed, model)
    shards = [ScenarioShard(s, spec) for s in build_shards(session, engine, assumptions, on, partitions)]
    if not shards:
        raise NotFound(message_en="no policy in force to value", message_zh="没有有效保单可评估")
    total = reduce_results(map_shards(scenario_values, shards))
    book = sum(total.by_product.values(), start=np.zeros(count))
    levels = {"p0.5": 0.5, "p5": 5.0, "p50": 50.0, "p95": 95.0, "p99.5": 99.5}
    return ScenarioSummary(
        scenarios=count,
        shards=len(shards),
        seconds=time.perf_counter() - started,
        deterministic_bel=sum(total.deterministic.values()),
        mean=float(book.mean()),
        std=float(book.std()),
        percentiles={k: float(np.percentile(book, v)) for k, v in levels.items()},
        by_product_mean={code: float(v.mean()) for code, v in sorted(total.by_product.items())},
    )


def reduce_results(results: Sequence[ScenarioResult]) -> ScenarioResult:
    total = results[0]
    for item in results[1:]:
        total = add_results(total, item)
    return total
