"""Suitability (适当性), insurable interest (保险利益) and the consents each insured member needs.

Rules:

- **Affordability** (Sales Conduct Measures arts. 21 and 28, regulation.md §2.12, H): learn the ability to pay and
  advise stopping the purchase when the ability to keep paying is inadequate; if the customer insists, explain the
  risk and record that it is their own choice. The threshold is ours and configurable: total annual premium above
  20% of declared household income is advised against, borrowed from the bank-channel declaration trigger of the
  2014 notice (保监发〔2014〕3号, §1.7 M).
- **Duplicate indemnity cover** (art. 28, H; Health Measures art. 5: an indemnity medical policy pays no more than
  the actual cost, §2.4 H): a new indemnity medical cover for a member who already has one is advised against.
- **Insurable interest** (Insurance Law art. 31, §1.7 H): self; spouse, children, parents; other family members
  or close relatives with a support relationship; employees; anyone else only with the insured's consent.
- **Death cover** (art. 34, H): the insured consents to the contract and the sum assured, except parents insuring
  their minor children; other guardians need the parents' consent (SPC Interp. III art. 6). The minors' caps
  (保监发〔2015〕90号) are checked in underwriting; here we only flag the requirement.
- **PIPL** (§3.5, H): health data is sensitive and needs separate consent (arts. 28–29); data of a child under 14
  needs the parents' consent (art. 31).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jiabao.core.errors import invalid
from jiabao.policies.rules._common import age_at

AFFORDABILITY_THRESHOLD = Decimal("0.20")
ADULT_AGE = 18
PIPL_CHILD_AGE = 14
_ART28 = "Sales Conduct Measures 2023 art. 28; regulation.md §2.12, Conf. H"


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason to advise against the purchase; the customer may override it by confirming ``code``."""

    code: str
    message_zh: str
    message_en: str
    basis: str


def affordability_finding(
    *, total_annual_premium: Decimal, household_annual_income: Decimal, threshold: Decimal = AFFORDABILITY_THRESHOLD
) -> Finding | None:
    """A finding when total annual premium / declared household income exceeds ``threshold`` (20% by default).

    Exactly at the threshold is acceptable. A zero income (nothing declared) always gives a finding.
    """
    if total_annual_premium < 0 or household_annual_income < 0:
        field = "total_annual_premium" if total_annual_premium < 0 else "household_annual_income"
        raise invalid(field, "negative", "金额不能为负数", "the amount must not be negative")
    if not Decimal(0) < threshold <= Decimal(1):
        raise invalid("threshold", "out_of_range", "阈值须在 0 到 1 之间", "the threshold must be in (0, 1]")
    if household_annual_income and total_annual_premium <= household_annual_income * threshold:
        return None
    pct = f"{threshold * 100:.0f}%"
    return Finding(
        "premium_unaffordable",
        f"年缴保费合计超过家庭年收入的 {pct}，建议不要购买此方案",
        f"Total annual premium exceeds {pct} of household income; we advise against this plan",
        f"{_ART28}; threshold after 保监发〔2014〕3号 (§1.7, Conf. M), configurable",
    )


@dataclass(frozen=True, slots=True)
class Cover:
    member_id: str
    kind: str
    """e.g. "medical", "critical_illness", "life" — the product catalog's cover kind."""
    indemnity: bool


def duplicate_indemnity_findings(new: Sequence[Cover], existing: Sequence[Cover]) -> list[Finding]:
    """One finding per new indemnity cover whose member already holds an indemnity cover of the same kind."""
    held = {(c.member_id, c.kind) for c in existing if c.indemnity}
    return [
        Finding(
            f"duplicate_indemnity:{c.member_id}:{c.kind}",
            "该成员已有同类补偿型医疗保障，重复投保不能多获赔付",
            "This member already has indemnity cover of this kind; a second one cannot pay more than the cost",
            f"{_ART28}; Health Insurance Measures art. 5 (§2.4, H)",
        )
        for c in new
        if c.indemnity and (c.member_id, c.kind) in held
    ]


@dataclass(frozen=True, slots=True)
class SuitabilityDecision:
    proceed: bool
    advised_against: tuple[Finding, ...]
    unconfirmed: tuple[str, ...]
    """Finding codes still needing the customer's explicit confirmation (自主选择确认)."""
    overridden: tuple[str, ...]


def suitability_decision(findings: Sequence[Finding], confirmed: Collection[str]) -> SuitabilityDecision:
    """Proceed only when every finding has been confirmed by the customer, one by one (art. 28)."""
    codes = tuple(f.code for f in findings)
    unconfirmed = tuple(c for c in codes if c not in confirmed)
    overridden = tuple(c for c in codes if c in confirmed)
    return SuitabilityDecision(not unconfirmed, tuple(findings), unconfirmed, overridden)


class InsuredRelation(StrEnum):
    """The insured is the policyholder's …"""

    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SUPPORTED_RELATIVE = "supported_relative"  # 有抚养、赡养或者扶养关系的家庭其他成员、近亲属
    EMPLOYEE = "employee"
    OTHER = "other"  # interest only with the insured's consent


class ConsentKind(StrEnum):
    INSURED_CONSENT_INTEREST = "insured_consent_interest"  # art. 31 last para.
    INSURED_CONSENT_DEATH_COVER = "insured_consent_death_cover"  # art. 34: contract and sum assured
    PARENTS_CONSENT_DEATH_COVER = "parents_consent_death_cover"  # Interp. III art. 6
    HEALTH_DATA_SEPARATE = "health_data_separate"  # PIPL arts. 28-29
    PARENTS_CONSENT_UNDER_14 = "parents_consent_under_14"  # PIPL art. 31


@dataclass(frozen=True, slots=True)
class RequiredConsent:
    kind: ConsentKind
    given_by: str
    """"insured" or "parents" (the minor's parents or guardian)."""
    basis: str


@dataclass(frozen=True, slots=True)
class InsuredRequirements:
    age: int
    consents: tuple[RequiredConsent, ...]
    checks: tuple[str, ...]
    """Checks for other engines: "minor_death_cover_cap" (underwriting, 保监发〔2015〕90号)."""


def insured_requirements(
    *,
    relation: InsuredRelation,
    insured_birth_date: date,
    on: date,
    death_cover: bool,
    health_data: bool = True,
) -> InsuredRequirements:
    """The consents one insured member needs on the application date ``on`` (rules in the module docstring)."""
    age = age_at(insured_birth_date, on)
    if age < 0:
        raise invalid("insured_birth_date", "in_future", "出生日期晚于投保日期", "born after the application date")
    minor = age < ADULT_AGE
    consents: list[RequiredConsent] = []
    if relation is InsuredRelation.OTHER:
        who = "parents" if minor else "insured"
        consents.append(RequiredConsent(ConsentKind.INSURED_CONSENT_INTEREST, who, "Insurance Law art. 31 (§1.7 H)"))
    if death_cover and relation is not InsuredRelation.SELF:
        consents += _death_cover_consent(relation, minor)
    if health_data:
        who = "parents" if age < PIPL_CHILD_AGE else "insured"
        consents.append(RequiredConsent(ConsentKind.HEALTH_DATA_SEPARATE, who, "PIPL arts. 28-29 (§3.5 H)"))
    if age < PIPL_CHILD_AGE:
        consents.append(RequiredConsent(ConsentKind.PARENTS_CONSENT_UNDER_14, "parents", "PIPL art. 31 (§3.5 H)"))
    checks = ("minor_death_cover_cap",) if minor and death_cover else ()
    return InsuredRequirements(age, tuple(consents), checks)


def _death_cover_consent(relation: InsuredRelation, minor: bool) -> list[RequiredConsent]:
    if not minor:
        return [RequiredConsent(ConsentKind.INSURED_CONSENT_DEATH_COVER, "insured", "Insurance Law art. 34 (§1.7 H)")]
    if relation is InsuredRelation.CHILD:
        return []  # parents insuring their minor child are exempt (art. 34 para. 3)
    return [
        RequiredConsent(ConsentKind.PARENTS_CONSENT_DEATH_COVER, "parents", "SPC Interp. III art. 6; art. 33 (§1.7 H)")
    ]
