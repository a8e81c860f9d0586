"""Suitability: affordability threshold, duplicate indemnity cover, the override flow; consents per insured."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.policies.rules.suitability import (
    ConsentKind,
    Cover,
    InsuredRelation,
    affordability_finding,
    duplicate_indemnity_findings,
    insured_requirements,
    suitability_decision,
)

ON = date(2025, 6, 15)


def test_exactly_twenty_percent_is_affordable() -> None:
    # 20,000 / 100,000 = 20%: not above the threshold.
    assert (
        affordability_finding(total_annual_premium=Decimal("20000"), household_annual_income=Decimal("100000")) is None
    )
    above = affordability_finding(total_annual_premium=Decimal("20000.01"), household_annual_income=Decimal("100000"))
    assert above is not None and above.code == "premium_unaffordable"
    assert "20%" in above.message_en and "art. 28" in above.basis


def test_threshold_is_configurable_and_zero_income_is_advised_against() -> None:
    kwargs = {"total_annual_premium": Decimal("16000"), "household_annual_income": Decimal("100000")}
    assert affordability_finding(**kwargs) is None
    assert affordability_finding(**kwargs, threshold=Decimal("0.15")) is not None  # 16% > 15%
    assert affordability_finding(total_annual_premium=Decimal("1"), household_annual_income=Decimal("0")) is not None
    with pytest.raises(InvalidInput):
        affordability_finding(total_annual_premium=Decimal("-1"), household_annual_income=Decimal("1"))
    with pytest.raises(InvalidInput):
        affordability_finding(**kwargs, threshold=Decimal("0"))


def test_duplicate_indemnity_medical_cover() -> None:
    existing = [Cover("m1", "medical", True), Cover("m2", "critical_illness", False)]
    new = [Cover("m1", "medical", True), Cover("m1", "critical_illness", False), Cover("m2", "medical", True)]
    findings = duplicate_indemnity_findings(new, existing)
    assert [f.code for f in findings] == ["duplicate_indemnity:m1:medical"]


def test_override_needs_every_finding_confirmed() -> None:
    unaffordable = affordability_finding(
        total_annual_premium=Decimal("30000"), household_annual_income=Decimal("100000")
    )
    assert unaffordable is not None
    findings = [
        unaffordable,
        *duplicate_indemnity_findings([Cover("m1", "medical", True)], [Cover("m1", "medical", True)]),
    ]
    blocked = suitability_decision(findings, confirmed=set())
    assert not blocked.proceed
    assert blocked.unconfirmed == ("premium_unaffordable", "duplicate_indemnity:m1:medical")
    half = suitability_decision(findings, confirmed={"premium_unaffordable"})
    assert not half.proceed and half.overridden == ("premium_unaffordable",)
    full = suitability_decision(findings, confirmed={"premium_unaffordable", "duplicate_indemnity:m1:medical"})
    assert full.proceed and full.unconfirmed == ()
    assert suitability_decision([], confirmed=set()).proceed


def kinds(req: object) -> list[tuple[ConsentKind, str]]:
    return [(c.kind, c.given_by) for c in req.consents]  # type: ignore[attr-defined]


def test_self_needs_only_health_data_consent() -> None:
    req = insured_requirements(
        relation=InsuredRelation.SELF, insured_birth_date=date(1985, 1, 1), on=ON, death_cover=True
    )
    assert kinds(req) == [(ConsentKind.HEALTH_DATA_SEPARATE, "insured")]
    assert req.checks == ()


def test_spouse_death_cover_needs_the_insureds_consent() -> None:
    req = insured_requirements(
        relation=InsuredRelation.SPOUSE, insured_birth_date=date(1986, 1, 1), on=ON, death_cover=True
    )
    assert kinds(req) == [
        (ConsentKind.INSURED_CONSENT_DEATH_COVER, "insured"),
        (ConsentKind.HEALTH_DATA_SEPARATE, "insured"),
    ]


def test_parent_insuring_a_young_child() -> None:
    req = insured_requirements(
        relation=InsuredRelation.CHILD, insured_birth_date=date(2020, 3, 1), on=ON, death_cover=True
    )
    assert req.age == 5
    assert kinds(req) == [
        (ConsentKind.HEALTH_DATA_SEPARATE, "parents"),
        (ConsentKind.PARENTS_CONSENT_UNDER_14, "parents"),
    ]
    assert req.checks == ("minor_death_cover_cap",)


def test_child_turning_14_on_the_application_date() -> None:
    req = insured_requirements(
        relation=InsuredRelation.CHILD, insured_birth_date=date(2011, 6, 15), on=ON, death_cover=True
    )
    assert req.age == 14
    assert kinds(req) == [(ConsentKind.HEALTH_DATA_SEPARATE, "insured")]
    assert req.checks == ("minor_death_cover_cap",)


def test_grandparent_insuring_a_grandchild_needs_the_parents() -> None:
    req = insured_requirements(
        relation=InsuredRelation.OTHER, insured_birth_date=date(2015, 1, 1), on=ON, death_cover=True
    )
    assert kinds(req) == [
        (ConsentKind.INSURED_CONSENT_INTEREST, "parents"),
        (ConsentKind.PARENTS_CONSENT_DEATH_COVER, "parents"),
        (ConsentKind.HEALTH_DATA_SEPARATE, "parents"),
        (ConsentKind.PARENTS_CONSENT_UNDER_14, "parents"),
    ]


def test_adult_with_consent_based_interest_and_no_health_data() -> None:
    req = insured_requirements(
        relation=InsuredRelation.OTHER, insured_birth_date=date(1980, 1, 1), on=ON, death_cover=False, health_data=False
    )
    assert kinds(req) == [(ConsentKind.INSURED_CONSENT_INTEREST, "insured")]
    with pytest.raises(InvalidInput):
        insured_requirements(
            relation=InsuredRelation.CHILD, insured_birth_date=date(2026, 1, 1), on=ON, death_cover=False
        )
