"""Benchmark: decide 100,000 synthetic insured persons in-process and report latency and straight-through rate.

Run:  .venv/bin/python benchmarks/underwriting_decisions.py [--size 100000] [--seed 20261126]

Each insured is decided with ``decide_insured`` on the packaged knowledge base (timed per insured with
``time.perf_counter_ns``; building the synthetic facts is not timed). Targets (issue 4): p50 ≤ 1 ms,
p99 ≤ 5 ms, straight-through (no referral to a person) ≥ 85%. Disclosure rates follow the public prevalence
figures cited in ``underwriting_population.py``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections import Counter
from datetime import UTC, datetime

from jiabao.underwriting.engine import (
    CaseContext,
    Conclusion,
    OutcomeKind,
    ReasonCode,
    decide_insured,
    load_knowledge_base,
)
from underwriting_population import AS_OF, population


def percentile(sorted_values: list[int], p: float) -> float:
    index = min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1)))
    return sorted_values[index] / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args()
    kb = load_knowledge_base()
    started = time.perf_counter()
    applicants = population(kb, args.size, args.seed)
    print(f"built {len(applicants):,} applicants in {time.perf_counter() - started:.1f} s (not timed below)")
    for warm in applicants[:500]:  # warm caches (first call imports nothing new, but keep timings steady)
        decide_insured(
            kb, warm.insured, CaseContext(AS_OF, warm.channel, warm.policyholder_age, warm.household_members)
        )
    timings: list[int] = []
    lines, referral_sources, disclosures = Counter[Conclusion](), Counter[str](), Counter[int]()
    straight = fully_decided = 0
    wall = time.perf_counter()
    for a in applicants:
        context = CaseContext(AS_OF, a.channel, a.policyholder_age, a.household_members)
        t0 = time.perf_counter_ns()
        decision = decide_insured(kb, a.insured, context)
        timings.append(time.perf_counter_ns() - t0)
        disclosures[len(a.insured.disclosures)] += 1
        straight += decision.automated
        fully_decided += decision.automated and all(
            d.conclusion is not Conclusion.PENDING_EVIDENCE for d in decision.lines
        )
        for d in decision.lines:
            lines[d.conclusion] += 1
            if d.conclusion is Conclusion.REFERRED:
                referral_sources.update(
                    f"{r.code.value}:{r.subject}" if r.code is ReasonCode.IMPAIRMENT else r.code.value
                    for r in d.reasons
                    if r.outcome is OutcomeKind.REFER
                )
    wall = time.perf_counter() - wall
    report(args, timings, wall, straight, fully_decided, lines, referral_sources, disclosures, kb.version)


def report(args, timings, wall, straight, fully_decided, lines, sources, disclosures, version):
    timings.sort()
    n = len(timings)
    print(f"date {datetime.now(UTC).date()} · python {platform.python_version()} · {platform.machine()} · KB {version}")
    print(f"insured decided: {n:,} in {wall:.2f} s wall ({n / wall:,.0f} per second, one core)")
    print(
        f"latency per insured: p50 {percentile(timings, 50):.3f} ms · p90 {percentile(timings, 90):.3f} ms · "
        f"p99 {percentile(timings, 99):.3f} ms · max {timings[-1] / 1e6:.3f} ms · "
        f"mean {statistics.fmean(timings) / 1e6:.3f} ms"
    )
    print(
        f"straight-through (no referral): {straight / n:.2%} · decided without extra evidence: {fully_decided / n:.2%}"
    )
    print("insured by number of disclosures: " + ", ".join(f"{k}: {v / n:.1%}" for k, v in sorted(disclosures.items())))
    total = sum(lines.values())
    print("line conclusions: " + ", ".join(f"{k.value} {v / total:.1%}" for k, v in lines.most_common()))
    print("referral causes (per referred line): " + ", ".join(f"{k} {v}" for k, v in sources.most_common(8)))


if __name__ == "__main__":
    main()
