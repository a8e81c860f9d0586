"""Accident disability by grade, accidental death, life death benefits and their caps."""

from __future__ import annotations

from datetime import date
from typing import Any

from jiabao.claims.engine import (
    BenefitKind,
    Cause,
    ClaimCase,
    ClaimType,
    Complexity,
    Outcome,
    PaidBenefit,
    ReasonCode,
    RuleSet,
    decide,
)
from tests.claims.engine.builders import D, case, claim, cover, policy

R = ReasonCode


def paid(benefit: BenefitKind, amount: str) -> PaidBenefit:
    return PaidBenefit(insured_id="dad", benefit=benefit, amount=D(amount), paid_on=date(2025, 1, 10))


def disability(*grades: int, cause: Cause = Cause.ACCIDENT, **pol: Any) -> ClaimCase:
    c = claim(ClaimType.DISABILITY, cause=cause, disability_grades=grades)
    return case(c, policy("P1", "accident", cover("dad", 200000), **pol))


def test_disability_grade_table(rs: RuleSet) -> None:
    d = decide(rs, disability(3))
    # grade 3 of the 10-grade table pays 80%: 0.8 × 200,000 = 160,000
    assert d.amount(BenefitKind.ACCIDENT_DISABILITY) == D("160000.00")
    # a person decides (not a fast-pay kind), but nothing makes it complex: 5 working days (BSR 2010 art. 23)
    assert d.outcome is Outcome.REFER and d.complexity is Complexity.ORDINARY and not d.complexity_reasons
    assert decide(rs, disability(10)).total == D("20000.00")  # grade 10: 10%


def test_disability_payments_capped_at_sum_assured(rs: RuleSet) -> None:
    d = decide(rs, disability(3, paid=(paid(BenefitKind.ACCIDENT_DISABILITY, "100000"),)))
    # 160,000 due but only 200,000 − 100,000 = 100,000 of the sum assured is left
    assert d.total == D("100000.00") and R.DISABILITY_CAP in d.codes()


def test_several_disabilities_go_to_an_adjuster(rs: RuleSet) -> None:
    d = decide(rs, disability(5, 3))
    assert R.DISABILITY_MULTIPLE in d.codes() and d.total == D("160000.00")  # the most severe grade, 3


def test_disability_needs_an_accident_and_a_grade(rs: RuleSet) -> None:
    assert R.NOT_ACCIDENT in decide(rs, disability(3, cause=Cause.ILLNESS)).codes()
    missing = decide(rs, disability())
    assert missing.outcome is Outcome.REFER and R.DISABILITY_GRADE_MISSING in missing.codes()


def test_accidental_death_less_disability_paid_plus_life_cover(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH, cause=Cause.ACCIDENT)
    acc = policy("P1", "accident", cover("dad", 200000), paid=(paid(BenefitKind.ACCIDENT_DISABILITY, "60000"),))
    life = policy("P2", "whole_life", cover("dad", 500000))
    d = decide(rs, case(c, acc, life))
    # accident: 200,000 − 60,000 already paid for disability = 140,000; whole life: 1.0 × 500,000
    assert d.amount(BenefitKind.ACCIDENT_DEATH) == D("140000.00")
    assert d.amount(BenefitKind.DEATH) == D("500000.00")
    assert d.outcome is Outcome.REFER and R.NOT_FAST_PAY_TYPE in d.codes()


def test_illness_death_does_not_touch_accident_cover(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH, cause=Cause.ILLNESS)
    d = decide(
        rs, case(c, policy("P1", "accident", cover("dad", 200000)), policy("P2", "whole_life", cover("dad", 500000)))
    )
    assert d.total == D("500000.00") and R.NOT_ACCIDENT in d.codes()
    assert d.rejection_notice is None  # referred: the adjuster's final decision sends any notice


def test_death_after_ci_on_accelerated_design(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH)
    d = decide(
        rs, case(c, policy("P1", "family_ci", cover("dad", 300000), paid=(paid(BenefitKind.CI_SEVERE, "300000"),)))
    )
    assert d.outcome is Outcome.DECLINE and R.DEATH_AFTER_CI in d.codes()


def test_premium_return_death_benefit(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH, insured="kid")
    d = decide(rs, case(c, policy("P1", "children_ci", cover("kid", 200000), premiums_paid=D("12345.67"))))
    # children_ci returns premiums paid (premium_multiple 1.0) on death
    assert d.amount(BenefitKind.DEATH) == D("12345.67")


def test_death_not_paid_twice(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH)
    d = decide(rs, case(c, policy("P1", "whole_life", cover("dad", 500000), paid=(paid(BenefitKind.DEATH, "500000"),))))
    assert R.ALREADY_PAID in d.codes() and d.outcome is Outcome.DECLINE
