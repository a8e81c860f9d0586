"""Builders for underwriting engine tests (facts in, decision out)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jiabao.underwriting.engine import (
    CaseContext,
    Channel,
    CoverRequest,
    Disclosure,
    InForceCover,
    InsuredDecision,
    InsuredFacts,
    KnowledgeBase,
    PremiumMode,
    ProductLine,
    Sex,
    decide_insured,
)

AS_OF = date(2026, 11, 26)
ALL_LINES = tuple(ProductLine)


def born(age: int) -> date:
    """A birth date giving ``age`` last birthday on AS_OF."""
    return date(AS_OF.year - age, 1, 1)


def cover(
    line: ProductLine, amount: int, *, death: int | None = None, mode: PremiumMode = PremiumMode.REGULAR
) -> CoverRequest:
    return CoverRequest(
        line=line,
        sum_assured=Decimal(amount),
        death_sum_assured=None if death is None else Decimal(death),
        premium_mode=mode,
    )


def held(line: ProductLine, amount: int, *, death: int | None = None) -> InForceCover:
    return InForceCover(
        line=line, sum_assured=Decimal(amount), death_sum_assured=None if death is None else Decimal(death)
    )


def disclose(code: str, **answers: Any) -> Disclosure:
    return Disclosure(impairment=code, answers=answers)


def person(
    *,
    age: int = 35,
    sex: Sex = Sex.MALE,
    disclosures: tuple[Disclosure, ...] = (),
    covers: tuple[CoverRequest, ...] | None = None,
    **facts: Any,
) -> InsuredFacts:
    facts.setdefault("height_cm", Decimal(172))
    facts.setdefault("weight_kg", Decimal(66))  # BMI 22.3: normal
    return InsuredFacts(
        insured_id=f"insured-{age}",
        birth_date=born(age),
        sex=sex,
        disclosures=disclosures,
        covers=covers or tuple(cover(line, 300_000) for line in ALL_LINES),
        **facts,
    )


def decide(
    kb: KnowledgeBase,
    insured: InsuredFacts,
    *,
    channel: Channel = Channel.ONLINE,
    policyholder_age: int = 40,
    members: int = 1,
) -> InsuredDecision:
    context = CaseContext(
        as_of=AS_OF, channel=channel, policyholder_age=policyholder_age, household_insured_members=members
    )
    return decide_insured(kb, insured, context)
