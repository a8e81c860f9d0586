"""Benchmark: one household bundle quote (4 members × 3 products) in-process; prints p50/p95 (target < 5 ms).

    .venv/bin/python benchmarks/quote_household.py [--runs 500] [--no-cash-values]

Tables come from ``JIABAO_TABLES_DIR`` or ``../shared/data``; without them the parametric basis is used.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jiabao.actuarial.tables import Sex, load_table_library  # noqa: E402
from jiabao.config import default_tables_dir  # noqa: E402
from jiabao.products.catalog import load_catalog  # noqa: E402
from jiabao.products.limits import MemberRequest, ProductSelection  # noqa: E402
from jiabao.products.quoting import HouseholdQuote, quote_household  # noqa: E402
from jiabao.products.schema import Frequency  # noqa: E402


def sel(code: str, sa: int, **options: object) -> ProductSelection:
    return ProductSelection.model_validate({"product_code": code, "sum_assured": Decimal(sa), **options})


def household() -> list[MemberRequest]:
    ci = {"coverage": 30, "payment_term": 20}
    return [
        MemberRequest(
            member_id="father",
            age=38,
            sex=Sex.MALE,
            relation="self",
            selections=[
                sel("family_ci", 500_000, **ci),
                sel("family_term_life", 2_000_000, coverage=20, payment_term=20),
                sel("medical_million", 2_000_000, social_insurance=True),
            ],
        ),
        MemberRequest(
            member_id="mother",
            age=36,
            sex=Sex.FEMALE,
            relation="spouse",
            selections=[
                sel("family_ci", 500_000, **ci, frequency=Frequency.MONTHLY),
                sel("whole_life", 500_000, payment_term=20),
                sel("accident", 500_000, occupation_class=2),
            ],
        ),
        MemberRequest(
            member_id="son",
            age=8,
            sex=Sex.MALE,
            relation="child",
            selections=[
                sel("family_ci", 200_000, **ci),  # under 10: death cover ≤ ¥200,000 (保监发〔2015〕90号)
                sel("children_ci", 300_000, coverage=70, payment_term=20),
                sel("medical_million", 2_000_000, social_insurance=True),
            ],
        ),
        MemberRequest(
            member_id="grandmother",
            age=55,
            sex=Sex.FEMALE,
            relation="parent",
            selections=[
                sel("pension_annuity", 12_000, payment_term=5, payout_age=65, health_rating="standard"),
                sel("long_term_care", 100_000, coverage=80, payment_term=10),
                sel("medical_million", 2_000_000, social_insurance=False),
            ],
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--no-cash-values", action="store_true")
    args = parser.parse_args()
    env = os.environ.get("JIABAO_TABLES_DIR")
    tables = load_table_library(Path(env) if env else default_tables_dir())
    catalog, members = load_catalog(), household()
    with_cv = not args.no_cash_values

    def run() -> HouseholdQuote:
        return quote_household(
            members=members, catalog=catalog, tables=tables, as_of=date(2026, 1, 15), include_cash_values=with_cv
        )

    result = run()
    for _ in range(20):  # warm-up
        run()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[int(0.95 * len(times)) - 1]
    lines = sum(len(m.lines) for m in result.members)
    print(
        f"household quote: {len(result.members)} members × {lines // len(result.members)} products, "
        f"basis {', '.join(result.bases)}, cash values {'off' if args.no_cash_values else 'on'}"
    )
    monthly = result.totals_by_frequency[Frequency.MONTHLY]
    print(f"annual premium ¥{result.annual_premium:,}; monthly if all paid monthly ¥{monthly:,}")
    print(f"runs {args.runs}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms (target p95 < 5 ms)")
    print("RESULT", "PASS" if p95 < 5.0 else "FAIL")
    return 0 if p95 < 5.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
