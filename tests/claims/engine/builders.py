"""Builders of claim facts for the engine tests: a household of dad, mum and their child."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from jiabao.claims.engine import (
    Claim,
    ClaimCase,
    ClaimType,
    EngineConfig,
    HouseholdFacts,
    InsuredCover,
    MedicalTerms,
    PolicyFacts,
    ProductTerms,
    RuleSet,
    load_rules,
    product_terms,
)
from jiabao.products.catalog import load_catalog

ISSUE = date(2024, 1, 1)
END = date(2044, 1, 1)
EVENT = date(2025, 6, 9)
AS_OF = date(2025, 6, 20)
D = Decimal


def rules() -> RuleSet:
    return load_rules("2026.1")


@cache
def terms(code: str) -> ProductTerms:
    return product_terms(load_catalog().products[code])


CLINIC = ProductTerms(
    code="clinic_medical",
    version=1,
    lines=("medical",),
    waiting_period_days=30,
    medical=MedicalTerms(
        deductible=D("0"),
        ratio_with_social_insurance=D("1.0"),
        ratio_without_social_insurance=D("0.8"),
        annual_limit=D("20000"),
    ),
)
"""A test-only small medical product without deductible (the catalog's only medical product has ¥10,000)."""


def all_documents() -> tuple[str, ...]:
    return tuple(rules().docs.documents)


def cover(insured_id: str, sa: str | int = 100000, start: date = ISSUE, **kw: Any) -> InsuredCover:
    return InsuredCover(insured_id=insured_id, sum_assured=D(sa), start_date=start, **kw)


def policy(pid: str, product: str | ProductTerms, *covers: InsuredCover, holder: str = "dad", **kw: Any) -> PolicyFacts:
    t = terms(product) if isinstance(product, str) else product
    kw.setdefault("issue_date", ISSUE)
    kw.setdefault("end_date", END)
    return PolicyFacts(policy_id=pid, product=t, policyholder_id=holder, insureds=covers, **kw)


def claim(kind: ClaimType, insured: str = "dad", event: date = EVENT, **kw: Any) -> Claim:
    kw.setdefault("documents", all_documents())
    kw.setdefault("report_date", event)
    return Claim(claim_id=kw.pop("claim_id", "CLM-1"), claim_type=kind, insured_id=insured, event_date=event, **kw)


def household(**kw: Any) -> HouseholdFacts:
    kw.setdefault("spouses", (("dad", "mum"),))
    return HouseholdFacts(household_id="H1", **kw)


def case(
    c: Claim, *policies: PolicyFacts, hh: HouseholdFacts | None = None, as_of: date = AS_OF, **cfg: Any
) -> ClaimCase:
    return ClaimCase(claim=c, policies=policies, household=hh or household(), config=EngineConfig(**cfg), as_of=as_of)
