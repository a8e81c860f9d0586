"""The monthly projection's edges: premiums only in instalment months of the payment term, survivors never
negative where the table closes, a line valued in its last month stays finite."""

from __future__ import annotations

import numpy as np

from jiabao.actuarial.tables import load_table_library
from jiabao.config import default_tables_dir
from jiabao.products.catalog import load_catalog
from jiabao.products.quoting import table_set_for
from jiabao.valuation.assumptions import default_assumptions
from jiabao.valuation.engine import Lines, Shard, value_shard
from jiabao.valuation.projection import plan, run_decrements


def _lines(age: int, cover: int, term: int, per_year: int, elapsed: int) -> Lines:
    return Lines(
        policy_id=np.array([1]),
        cohort=np.array([2020]),
        issue_age=np.array([age]),
        sex=np.array(["F"]),
        elapsed_months=np.array([elapsed]),
        payment_term=np.array([term]),
        cover_years=np.array([cover]),
        per_year=np.array([per_year]),
        sum_assured=np.array([100_000.0]),
        annual_premium=np.array([3_000.0]),
        modal_ratio=np.array([0.088 if per_year == 12 else 1.0]),
    )


def test_edges_of_the_monthly_projection() -> None:
    catalog, tables = load_catalog(), load_table_library(default_tables_dir())
    product = catalog.products["ltc_ci_wholelife"]
    table_set = table_set_for(product, tables)
    assumptions = default_assumptions()
    quarterly = _lines(40, 66, 10, 4, 0)
    static = plan(product, table_set, quarterly, assumptions)
    premium_months = np.flatnonzero(static.per_policy[0] < -100)  # premium net of commission dominates
    assert premium_months.tolist() == list(range(0, 120, 3))  # quarterly, for the 10-year payment term
    last = _lines(60, 46, 10, 1, 46 * 12)  # valued in the month its cover ends (age 105 closes the table)
    outgo, alive = run_decrements(plan(product, table_set, last, assumptions), assumptions, 0.5)
    assert np.all(alive >= 0) and np.all(np.isfinite(outgo))
    result = value_shard(Shard({product.code: last}, {product.code: product}, {product.code: table_set}, assumptions))
    assert all(np.isfinite(v).all() for v in result.amounts.values())
    assert abs(result.amounts["bel"][0]) < 1e6
