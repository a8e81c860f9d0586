"""The gap and plan engine over a batch of households on one core (households per second).

Run from the repository root::

    JIABAO_TABLES_DIR=../shared/data .venv/bin/python benchmarks/advice_batch.py [--households 200000]

Synthetic households (not timed to build): a head of 22–75, a spouse in 80% of them, 0–3 children from the
couple's ages, a grandparent in 25%; incomes log-normal around ¥120,000 (σ 0.6) for earners, retirees on
a pension; 70% socially insured; mortgages in 45% of households (¥200,000–¥3,000,000), savings, education
plans, and some cover already held (medical for 30%, accident for 20%, CI for 15% of members). Each household is
assessed (needs, gaps, score) and given a plan within 10% of its income, priced through the products' quoting
engine with one batch pricer for the run: a (product, age, sex, options) is quoted once, then scaled
(``jiabao.advice.pricing``, equal to the quote — tests/advice/test_pricing.py). Timed: ``assess`` + ``recommend``
per household, on one process: the rate is households per second of the process's CPU time
(``time.process_time``; the machine is shared, so wall time is printed beside it).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date
from decimal import Decimal

from jiabao.actuarial.tables import load_table_library
from jiabao.advice.engine import GapKind, HouseholdInput, MemberInput, assess, load_assumptions, recommend
from jiabao.advice.pricing import QuotePricer
from jiabao.config import Settings
from jiabao.products.catalog import load_catalog

TARGET_PER_SECOND = 2_000_000 / (8 * 3600)
"""C16: every one of 2,000,000+ households re-assessed in an 8-hour overnight window (~69 a second)."""


def household(rng: random.Random, n: int) -> HouseholdInput:
    head_age = rng.randint(22, 75)
    members: list[MemberInput] = []

    def member(rel: str, age: int, sex: str, earns: bool) -> None:
        retired = age >= (60 if sex == "M" else 55) and rng.random() < 0.9
        income = Decimal(int(rng.lognormvariate(11.7, 0.6))) if earns else Decimal(0)
        if retired:
            income = Decimal(rng.randint(24000, 72000))
        cover: dict[GapKind, Decimal] = {}
        if rng.random() < 0.30 and age <= 65:
            cover[GapKind.MEDICAL] = Decimal(2000000)
        if rng.random() < 0.20 and age >= 18:
            cover[GapKind.ACCIDENT] = Decimal(rng.randrange(100000, 1000001, 10000))
        if rng.random() < 0.15:
            cover[GapKind.CI] = Decimal(rng.randrange(100000, 500001, 10000))
        members.append(
            MemberInput(
                member_id=f"{n}-{len(members)}",
                name="成员",
                age=age,
                sex=sex,
                relationship=rel,
                annual_income=income,
                social_insurance=rng.random() < 0.7,
                retired=retired,
                occupation_class=rng.choice([1, 1, 1, 2, 2, 3, 4]),
                cover=cover,
                education_cost=Decimal(rng.randrange(0, 600001, 50000)) if age < 18 else Decimal(0),
            )
        )

    head_sex = rng.choice("MF")
    member("self", head_age, head_sex, earns=rng.random() < 0.92)
    if rng.random() < 0.8:
        member("spouse", max(20, head_age + rng.randint(-5, 5)), "F" if head_sex == "M" else "M", rng.random() < 0.75)
    if 24 <= head_age <= 60:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            member("child", max(0, head_age - rng.randint(22, 40)), rng.choice("MF"), earns=False)
    if rng.random() < 0.25 and head_age < 55:
        member("parent", min(95, head_age + rng.randint(22, 35)), rng.choice("MF"), earns=False)
    mortgage = Decimal(rng.randrange(200000, 3000001, 10000)) if rng.random() < 0.45 else Decimal(0)
    return HouseholdInput(
        tuple(members),
        debts=mortgage,
        liquid_assets=Decimal(rng.randrange(0, 800001, 10000)),
        existing_premiums=Decimal(rng.randrange(0, 8001, 100)) if rng.random() < 0.3 else Decimal(0),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = time.perf_counter()
    batch = [household(rng, n) for n in range(args.households)]
    built = time.perf_counter() - start
    assumptions = load_assumptions()
    catalog = load_catalog()
    pricer = QuotePricer(catalog, load_table_library(Settings().tables_dir), date(2026, 12, 3), exact=False)

    lines = empty = 0
    scores_before: list[int] = []
    scores_after: list[int] = []
    over_budget = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for h in batch:
        before = assess(h, assumptions)
        plan = recommend(h, assumptions, catalog.products, pricer, assessment=before)
        lines += len(plan.lines)
        empty += not plan.lines
        over_budget += plan.total_premium > plan.budget
        scores_before.append(before.score)
        scores_after.append(plan.after.score)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rate = args.households / cpu
    members = sum(len(h.members) for h in batch)
    print(f"households: {args.households:,} ({members:,} members; built in {built:.1f} s, not timed)")
    print(f"assess + recommend: {cpu:.1f} s of CPU ({elapsed:.1f} s wall on a shared machine)")
    print(f"-> {rate:,.0f} households per CPU-second on one core ({1e3 / rate:.2f} ms each)")
    print(f"quoting-engine calls: {pricer.quotes:,} (every other premium scaled from the cache)")
    per = lines / args.households
    print(f"plan lines: {per:.2f} per household; no line within budget: {empty / args.households:.1%}")
    print(f"score: mean {statistics.mean(scores_before):.1f} before, {statistics.mean(scores_after):.1f} with the plan")
    print(f"plans over budget: {over_budget} (must be 0)")
    ratio = TARGET_PER_SECOND / rate
    print(f"target {TARGET_PER_SECOND:.0f} households/s (2,000,000 overnight in 8 h): ratio {ratio:.3f}")


if __name__ == "__main__":
    main()
