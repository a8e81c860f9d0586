"""Pydantic models of one product file (``definitions/*.yaml``). The format is documented in docs/products.md."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiabao.actuarial.regulation import Business, InterestKind, LoadingClass
from jiabao.actuarial.tables import MortalityKind, ProductType


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Frequency(StrEnum):
    ANNUAL = "annual"  # 年交
    SEMI_ANNUAL = "semi_annual"  # 半年交
    QUARTERLY = "quarterly"  # 季交
    MONTHLY = "monthly"  # 月交


class ProductLine(StrEnum):
    """Which risks a product covers; underwriting asks the questions of these lines."""

    DEATH = "death"
    CI = "ci"
    MEDICAL = "medical"
    ACCIDENT = "accident"
    LTC = "ltc"
    ANNUITY = "annuity"


class Category(StrEnum):
    TERM_LIFE = "term_life"  # 定期寿险
    WHOLE_LIFE = "whole_life"  # 终身寿险
    FAMILY_CI = "family_ci"  # 家庭重疾（同心保型）
    CHILDREN_CI = "children_ci"  # 少儿重疾
    CRITICAL_ILLNESS = "critical_illness"  # 重疾
    CANCER = "cancer"  # 防癌险: malignant tumours only, no 28-disease schedule
    MEDICAL = "medical"  # 百万医疗
    ACCIDENT = "accident"  # 意外
    ANNUITY = "annuity"  # 养老年金
    LTC = "ltc"  # 长期护理


class AgeLimits(Strict):
    min_age: int = Field(ge=0, le=100)
    max_age: int = Field(ge=0, le=100)
    max_age_at_payment_end: int | None = None
    """Issue age + payment term must not exceed this (e.g. 70)."""

    @model_validator(mode="after")
    def _ordered(self) -> AgeLimits:
        if self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        return self


class AmountLimits(Strict):
    min: Decimal = Field(gt=0)
    max: Decimal = Field(gt=0)
    step: Decimal = Field(default=Decimal("1000"), gt=0)
    max_minor: Decimal | None = None
    """Cap for insureds under 18 (death cover of minors is capped by regulation)."""


class Coverage(Strict):
    kind: Literal["years", "to_age", "whole_life", "one_year"]
    options: list[int] = Field(default_factory=list)
    """Years (``years``) or the age cover ends (``to_age``); empty for whole life and one-year cover."""
    end_age: int = 105
    """Last age covered by ``whole_life`` (the CL tables close at 105)."""


class Payment(Strict):
    terms: list[int] = Field(min_length=1)
    """Payment terms in years; 1 means single premium (趸交)."""
    frequencies: list[Frequency] = Field(default_factory=lambda: [Frequency.ANNUAL])


class CiBenefit(Strict):
    kind: Literal["ci_lump_sum"]
    multiple: float = Field(gt=0)
    subject_to_waiting: bool = True
    waiting_refund: bool = False
    """If the trigger falls in the waiting period the year-1 premium is refunded (for this block)."""
    incidence_share: float = Field(default=1.0, gt=0)
    """Share of the table's incidence that triggers this block (< 1 for a mild-CI assumption; mild claims
    leave the severe cover in force, so only the severe block's incidence is a decrement)."""


class CiAnnuity(Strict):
    kind: Literal["ci_annuity"]
    multiple: float = Field(gt=0)
    until_age: int
    subject_to_waiting: bool = True
    waiting_refund: bool = False


class SurvivalBenefit(Strict):
    kind: Literal["survival_benefit"]
    multiple: float = Field(gt=0)
    from_age: int | Literal["payout_age"]
    to_age: int = 200


class DeathBenefit(Strict):
    kind: Literal["death"]
    sa_multiple: float = Field(default=0.0, ge=0)
    premium_multiple: float = Field(default=0.0, ge=0)
    healthy_only: bool = False
    """Pay only on deaths before any CI/care trigger (accelerated designs)."""
    until_age: int | Literal["payout_age"] | None = None
    """Pay only for deaths below this attained age (e.g. before an annuity starts)."""


class PremiumWaiver(Strict):
    kind: Literal["premium_waiver"]
    subject_to_waiting: bool = True


class MaturityBenefit(Strict):
    kind: Literal["maturity"]
    sa_multiple: float = Field(default=0.0, ge=0)
    premium_multiple: float = Field(default=0.0, ge=0)


Benefit = Annotated[
    CiBenefit | CiAnnuity | SurvivalBenefit | DeathBenefit | PremiumWaiver | MaturityBenefit,
    Field(discriminator="kind"),
]


class CiSchedule(Strict):
    """Disease schedule per the 2020 definitions: 28 standard severe + 3 standard mild diseases."""

    definitions: Literal["2020"] = "2020"
    severe_count: int = Field(ge=28)
    severe_multiple: float = Field(gt=0)
    mild: dict[str, float] = Field(default_factory=dict)
    """Standard mild diseases → multiple of SA; each ≤ 30% of the severe multiple (checked)."""


class FamilyTerms(Strict):
    """One policy for several family members (同心保型)."""

    max_members: int = Field(ge=2, le=7)
    spouse_joint_multiple: float = Field(default=0.0, ge=0)
    """Extra multiple of SA paid to the first spouse diagnosed with a severe CI while the other is healthy."""
    family_waiver: bool = True
    """All members' future premiums are waived when any insured member is diagnosed with a severe CI."""


class MultiStatePricing(Strict):
    method: Literal["multistate"]
    product_type: ProductType
    mortality: MortalityKind | None = None
    """None: chosen from ``product_type`` per 保监发〔2016〕108号."""
    table_set: str | None = None
    """Basis name (e.g. CL2010-2013+CI2006-2010); None: the set in force on ``filed_on``."""
    uses_ci_table: bool = False
    accelerated: bool = False
    """Split deaths into CI and other deaths with k_x (accelerated CI designs)."""
    interest: float = Field(gt=0, lt=0.1)
    interest_kind: InterestKind = InterestKind.TRADITIONAL
    cv_interest: float | None = None
    """Cash-value (PVR) basis rate; None: pricing rate + 2% (7号 item 5)."""
    loadings: dict[int, list[float]]
    """Payment term → loading by policy year (y1, y2, …; the last value repeats)."""
    waiting_period_years: float = Field(default=0.0, ge=0, le=0.5)
    rate_unit: Decimal = Decimal("1000")
    rate_rounding: Decimal = Decimal("0.01")
    """The rate per ``rate_unit`` of SA is rounded to this (e.g. 1 yuan per 10,000)."""
    k_regular: float = Field(default=0.8, gt=0, le=1)
    k_single: float = Field(default=1.0, gt=0, le=1)
    mortality_multipliers: dict[str, float] = Field(default_factory=dict)
    """Health rating → mortality multiplier (annuities)."""


class RateBand(Strict):
    min_age: int
    max_age: int
    rate: Decimal = Field(ge=0)


class RateTablePricing(Strict):
    method: Literal["rate_table"]
    rate_unit: Decimal = Field(gt=0)
    """Rates are per this amount of SA (the whole limit for medical)."""
    bands: list[RateBand] = Field(min_length=1)
    factors: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Option → value → multiplier, e.g. social_insurance: {"true": 1.0, "false": 1.9}."""
    expected_loss_ratio: float = Field(gt=0, le=1)
    interest: float = 0.0
    interest_kind: InterestKind = InterestKind.TRADITIONAL


class MedicalTerms(Strict):
    deductible: Decimal = Field(ge=0)
    reimbursement_with_social_insurance: float = Field(gt=0, le=1)
    reimbursement_without_social_insurance: float = Field(gt=0, le=1)
    annual_limit: Decimal = Field(gt=0)
    guaranteed_renewal_years: int = Field(ge=0)
    max_renewal_age: int
    max_rate_adjustment: float = Field(ge=0)


class Product(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    name_zh: str
    name_en: str
    filed_on: date
    category: Category
    business: Business = Business.INDIVIDUAL
    loading_class: LoadingClass = LoadingClass.PROTECTION
    product_lines: list[ProductLine] = Field(min_length=1)
    ages: AgeLimits
    amounts: AmountLimits
    coverage: Coverage
    payment: Payment
    waiting_period_days: int = Field(default=0, ge=0)
    free_look_days: int = Field(default=15, ge=0)
    pricing: Annotated[MultiStatePricing | RateTablePricing, Field(discriminator="method")]
    benefits: list[Benefit] = Field(default_factory=list)
    ci: CiSchedule | None = None
    family: FamilyTerms | None = None
    medical: MedicalTerms | None = None
    occupation_classes: list[int] = Field(default_factory=list)
    payout_ages: list[int] = Field(default_factory=list)
    """Annuities: ages at which the pension may start."""
    rider_of: list[str] = Field(default_factory=list)
    """A rider (附加险) is sold only with one of these main products for the same insured; empty: standalone."""
