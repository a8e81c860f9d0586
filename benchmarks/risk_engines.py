"""Risk engines at scale (issue 13, pure parts): ring detection on a generated population, training the calibrated
fraud model, and scoring one claim (rules + model + explanation) and one application.

    .venv/bin/python benchmarks/risk_engines.py --households 200000 --claims 50000

Prints each figure; record them in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from decimal import Decimal

from jiabao.risk.fraud import application_rules as ar
from jiabao.risk.fraud import claim_rules as cr
from jiabao.risk.fraud import model as fm
from jiabao.risk.fraud import synthetic
from jiabao.risk.rings import graph, population, svg


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--scores", type=int, default=2_000)
    args = parser.parse_args()

    t = time.perf_counter()
    pop = population.generate(args.households, seed=3)
    gen = time.perf_counter() - t
    t = time.perf_counter()
    analysis = graph.find_rings(pop.persons, pop.links, pop.claims)
    rings_s = time.perf_counter() - t
    top = analysis.rings[0]
    t = time.perf_counter()
    picture = svg.render(top, title="ring")
    svg_ms = (time.perf_counter() - t) * 1000
    print(
        f"rings: {args.households:,} households, {len(pop.persons):,} persons, {len(pop.links):,} links "
        f"(generated in {gen:.1f} s); find_rings {rings_s:.2f} s; {len(analysis.rings)} ring(s), "
        f"top = planted: {top.households == pop.planted}; {len(analysis.pruned_hubs)} hubs pruned; "
        f"picture {svg_ms:.1f} ms ({len(picture):,} bytes)"
    )

    history = synthetic.generate(args.claims, seed=7)
    t = time.perf_counter()
    trained = fm.train(history.x, history.y, version="bench", seed=1)
    train_s = time.perf_counter() - t
    print(
        f"model: {args.claims:,} labelled claims ({int(history.y.sum()):,} fraud), trained + calibrated in "
        f"{train_s:.2f} s; held-out AUC {trained.auc:.3f}, Brier {trained.brier:.4f} (base {trained.base_brier:.4f}), "
        f"ECE {trained.ece:.4f}"
    )

    fresh = synthetic.generate(args.scores, seed=99)
    timings = []
    for facts in fresh.facts:
        t = time.perf_counter()
        cr.rule_score(facts)
        row = cr.features(facts)
        fm.predict_and_explain(trained, row)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    print(
        f"claim scoring (rules + model + explanation): p50 {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms (n = {len(timings):,})"
    )

    app = ar.ApplicationRisk(
        application_id=1,
        insureds=(ar.InsuredRisk(1, Decimal("500000"), Decimal("100000"), days_since_diagnosis=400),),
        recent_applications=1,
        shared=(ar.SharedIdentifier("phone", 1), ar.SharedIdentifier("account", 0)),
        agent=ar.AgentRecord(40, 3),
    )
    n = 20_000
    t = time.perf_counter()
    for _ in range(n):
        ar.score(app)
    per = (time.perf_counter() - t) / n * 1e6
    print(f"application rules: {per:.1f} µs per application ({n:,} scored)")


if __name__ == "__main__":
    main()
