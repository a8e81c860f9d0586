"""A synthetic labelled claims history, pure (numpy): claims with the rule inputs and a fraud label drawn from
a known probability, for tests (is the model calibrated, does it rank), the demo and the benchmark. The true
probability is returned too, so a test can compare the model with the best possible one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from jiabao.risk.fraud.claim_rules import ClaimRisk, features


@dataclass(frozen=True)
class History:
    facts: list[ClaimRisk]
    x: np.ndarray
    y: np.ndarray
    p: np.ndarray


def _logit_p(f: ClaimRisk) -> float:
    z = -3.4
    z += 2.2 if f.days_since_start <= 90 else 0.8 if f.days_since_start <= 180 else 0.0
    z += 0.5 * min(f.insured_claims_12m, 6)
    z += 1.5 if f.annual_income and f.claimed > f.annual_income / 2 else 0.0
    z += 2.5 * min(f.duplicate_invoices_elsewhere, 2)
    z += 10.0 * f.hospital_fraud_share if f.hospital_claims >= 20 else 0.0
    z += 0.4 if f.proxy else 0.0
    z += 0.6 * (f.days_since_start <= 90) * (f.insured_claims_12m >= 3)  # interaction the rules do not add up
    return float(1 / (1 + np.exp(-z)))


def generate(n: int, seed: int = 7) -> History:
    rng = np.random.default_rng(seed)
    hospitals = rng.beta(1, 25, size=40)  # per-hospital fraud share, a few high
    facts, ps = [], []
    for _ in range(n):
        h = int(rng.integers(0, len(hospitals)))
        income = Decimal(int(rng.lognormal(11.5, 0.5))) if rng.random() < 0.8 else None
        f = ClaimRisk(
            claimed=Decimal(int(rng.lognormal(8.0, 1.1))),
            days_since_start=int(rng.exponential(500)),
            report_delay_days=int(rng.exponential(20)),
            insured_claims_12m=int(rng.poisson(0.8)),
            household_claims_12m=int(rng.poisson(1.5)),
            annual_income=income,
            sum_assured=Decimal(int(rng.choice([20000, 50000, 100000, 300000, 500000]))),
            duplicate_invoices_elsewhere=int(rng.random() < 0.02),
            hospital_claims=int(rng.integers(5, 400)),
            hospital_fraud_share=float(hospitals[h]),
            hospital_amount_ratio=float(rng.lognormal(0, 0.3)),
            proxy=bool(rng.random() < 0.15),
        )
        facts.append(f)
        ps.append(_logit_p(f))
    p = np.asarray(ps)
    y = (rng.random(n) < p).astype(int)
    x = np.asarray([features(f) for f in facts], dtype=float)
    return History(facts=facts, x=x, y=y, p=p)
