"""Benchmark: the pure claims engine's claims per second on one core, on a realistic claim mix.

Run:  .venv/bin/python benchmarks/claims_engine.py [--size 20000] [--seed 20261126]

Mix (by count, as a health-heavy family book would report): 55% small outpatient, 15% inpatient, 5% accident
medical, 12% CI diagnosis (cancer, AMI, stroke; some mild, some in the waiting period or undisclosed), 5% accident
disability, 8% death. Each household holds 2–5 policies (family CI, medical, CI/LTC, whole life, accident), so
most claims are adjudicated against several policies. Building the facts is not timed; ``decide`` is, one claim at
a time in one process (one core). Prints claims/s, latency percentiles and the outcome shares.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from jiabao.claims.engine import (
    BillItem,
    Cause,
    CiFacts,
    Claim,
    ClaimCase,
    ClaimType,
    Diagnosis,
    HouseholdFacts,
    InsuredCover,
    MildCancerCase,
    PolicyFacts,
    ProductTerms,
    decide,
    load_rules,
    product_terms,
)
from jiabao.products.catalog import load_catalog

AS_OF = date(2026, 6, 30)
MIX = [
    (ClaimType.OUTPATIENT, 55),
    (ClaimType.INPATIENT, 15),
    (ClaimType.ACCIDENT, 5),
    (ClaimType.CI_DIAGNOSIS, 12),
    (ClaimType.DISABILITY, 5),
    (ClaimType.DEATH, 8),
]


def _policies(rng: random.Random, terms: dict[str, ProductTerms], hh: int) -> tuple[PolicyFacts, ...]:
    def p(code: str, *members: str, sa: int) -> PolicyFacts:
        issue = AS_OF - timedelta(days=rng.randint(60, 2000))
        covers = tuple(InsuredCover(insured_id=m, sum_assured=Decimal(sa), start_date=issue) for m in members)
        return PolicyFacts(
            policy_id=f"H{hh}-{code}",
            product=terms[code],
            policyholder_id="dad",
            issue_date=issue,
            end_date=issue + timedelta(days=365 * 20),
            insureds=covers,
            premiums_paid=Decimal(rng.randint(1000, 50000)),
        )

    found = [p("family_ci", "dad", "mum", "kid", sa=300000), p("medical_million", "dad", sa=2000000)]
    for code, members, sa in (
        ("ltc_ci_wholelife", ("dad",), 200000),
        ("whole_life", ("dad",), 500000),
        ("accident", ("dad",), 200000),
        ("children_ci", ("kid",), 200000),
    ):
        if rng.random() < 0.6:
            found.append(p(code, *members, sa=sa))
    found.append(p("clinic", "dad", "mum", "kid", sa=20000))
    return tuple(found)


def _claim(rng: random.Random, kind: ClaimType, i: int) -> Claim:
    event = AS_OF - timedelta(days=rng.randint(1, 40))
    rules = load_rules()
    docs = tuple(rules.docs.documents)
    base = dict(
        claim_id=f"C{i}", claim_type=kind, event_date=event, report_date=event, insured_id="dad", documents=docs
    )
    if kind in (ClaimType.OUTPATIENT, ClaimType.INPATIENT, ClaimType.ACCIDENT):
        scale = 400 if kind is ClaimType.OUTPATIENT else 8000
        items = tuple(
            BillItem(
                code=f"B{j}",
                amount=Decimal(rng.randint(50, scale)),
                social_insurance_paid=Decimal(rng.randint(0, 40)),
                covered=rng.random() > 0.1,
                invoice_number=f"INV{i}-{j // 3}",
            )
            for j in range(rng.randint(1, 8))
        )
        return Claim(
            **base,
            bill_items=items,
            social_insurance_settled=rng.random() < 0.7,
            cause=Cause.ACCIDENT if kind is ClaimType.ACCIDENT else Cause.ILLNESS,
            risk_score=rng.random() * 0.6,
            diagnoses=(Diagnosis(icd10="J18.9"),),
        )
    if kind is ClaimType.CI_DIAGNOSIS:
        disease = rng.choice(["cancer", "cancer", "cancer", "ami", "stroke", "ckd", "parkinsons"])
        first = event - timedelta(days=900) if rng.random() < 0.05 else None
        dx = {"cancer": "C34.1", "ami": "I21.0", "stroke": "I63.9", "ckd": "N18.5", "parkinsons": "G20"}[disease]
        facts = CiFacts(
            disease=disease,
            diagnosed_on=event,
            assessed_on=event + timedelta(days=181),
            mild_cancer_case=MildCancerCase.THYROID_TNM_I if rng.random() < 0.2 else None,
            troponin_multiple=rng.uniform(2, 30),
            limb_power_min=rng.randint(1, 4),
            ckd_stage=5,
            dialysis_days=rng.randint(60, 200),
        )
        return Claim(
            **base,
            diagnoses=(Diagnosis(icd10=dx, icd_o3_behaviour=rng.choice([3, 3, 3, 2]), first_diagnosed_on=first),),
            ci=facts,
        )
    if kind is ClaimType.DISABILITY:
        return Claim(**base, cause=Cause.ACCIDENT, disability_grades=(rng.randint(1, 10),))
    return Claim(**base, cause=rng.choice([Cause.ILLNESS, Cause.ILLNESS, Cause.ACCIDENT, Cause.SUICIDE]))


def population(size: int, seed: int) -> list[ClaimCase]:
    rng = random.Random(seed)
    catalog = load_catalog()
    terms = {code: product_terms(p) for code, p in catalog.products.items()}
    million = terms["medical_million"]
    assert million.medical is not None
    terms["clinic"] = million.model_copy(
        update={
            "code": "clinic",
            "medical": million.medical.model_copy(update={"deductible": Decimal(0), "annual_limit": Decimal(20000)}),
        }
    )
    kinds = [k for k, w in MIX for _ in range(w)]
    cases = []
    for i in range(size):
        household = HouseholdFacts(
            household_id=f"H{i}",
            spouses=(("dad", "mum"),),
            invoices_claimed=(f"INV{i}-0",) if rng.random() < 0.02 else (),
        )
        cases.append(
            ClaimCase(
                claim=_claim(rng, rng.choice(kinds), i),
                policies=_policies(rng, terms, i),
                household=household,
                as_of=AS_OF,
            )
        )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args()
    rules = load_rules()
    cases = population(args.size, args.seed)
    for c in cases[:200]:  # warm-up
        decide(rules, c)
    times: list[int] = []
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    for c in cases:
        t0 = time.perf_counter_ns()
        d = decide(rules, c)
        times.append(time.perf_counter_ns() - t0)
        outcomes[d.outcome.value] += 1
    wall = time.perf_counter() - started
    times.sort()
    print(f"python {platform.python_version()} on {platform.machine()}, rule set {rules.version}, {args.size} claims")
    print(f"claims per second per core: {args.size / wall:,.0f}")
    print(
        f"latency ms: p50 {times[len(times) // 2] / 1e6:.3f}  p99 {times[int(len(times) * 0.99)] / 1e6:.3f}  "
        f"mean {statistics.fmean(times) / 1e6:.3f}"
    )
    print("outcomes: " + ", ".join(f"{k} {v / args.size:.1%}" for k, v in outcomes.most_common()))


if __name__ == "__main__":
    main()
