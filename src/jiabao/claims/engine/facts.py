"""The facts the engine decides on (理赔事实). Frozen pydantic models that round-trip through JSON, so a service can
store the exact input of a decision and re-decide it later on the same rule-set version.

Money is ``Decimal`` yuan (the database keeps fen). Every date is passed in; the engine never reads a clock.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiabao.claims.engine.codes import BenefitKind, Cause, Circumstance, ClaimType, MildCancerCase, StatusKind
from jiabao.claims.engine.terms import ProductTerms

ZERO = Decimal("0.00")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Diagnosis(Frozen):
    icd10: str = Field(min_length=3, max_length=10)
    description: str = Field(default="", max_length=200)
    icd_o3_behaviour: int | None = Field(default=None, ge=0, le=9)
    """ICD-O-3 behaviour code from the pathology report (肿瘤形态学编码的动态编码); prevails over ICD-10 for cancer."""
    first_diagnosed_on: date | None = None
    """When the condition was first diagnosed or treated; before cover started means pre-existing (既往症)."""
    primary: bool = False
    """The condition that caused the claim (主要诊断). When no diagnosis is marked, the first one listed is the
    cause; the others are secondary (合并症) and an exclusion of one of them does not void the claim."""


class CiFacts(Frozen):
    """Clinical facts for the 2020 CI definitions. Only the fields of the claimed disease are needed."""

    disease: str = Field(max_length=40)
    """Code of one of the 28 standard severe diseases (data file ``ci.yaml``), e.g. ``cancer``, ``ami``."""
    diagnosed_on: date
    assessed_on: date | None = None
    """When the lasting effects were assessed (stroke: 180 days after diagnosis)."""
    mild_cancer_case: MildCancerCase | None = None
    troponin_multiple: float | None = Field(default=None, ge=0, le=100000)
    """cTn as a multiple of the 99th-percentile upper reference limit."""
    ckmb_multiple: float | None = Field(default=None, ge=0, le=100000)
    lvef_percent: float | None = Field(default=None, ge=0, le=100)
    lvef_measured_on: date | None = None
    papillary_dysfunction: bool = False
    """New papillary-muscle dysfunction with at least moderate mitral regurgitation."""
    ventricular_aneurysm: bool = False
    arrhythmia_or_shock: bool = False
    """Ventricular tachycardia, ventricular fibrillation or cardiogenic shock."""
    limb_power_min: int | None = Field(default=None, ge=0, le=5)
    total_aphasia: bool = False
    severe_dysphagia: bool = False
    adl_lost: int | None = Field(default=None, ge=0, le=6)
    transplant: str | None = Field(default=None, max_length=40)
    """heart, lung, liver, kidney, pancreas, small_intestine or hsct (造血干细胞移植)."""
    cabg_open_chest: bool = False
    ckd_stage: int | None = Field(default=None, ge=1, le=5)
    dialysis_days: int | None = Field(default=None, ge=0)
    gcs: int | None = Field(default=None, ge=3, le=15)
    life_support_hours: int | None = Field(default=None, ge=0)
    hearing_db_left: float | None = Field(default=None, ge=0, le=200)
    hearing_db_right: float | None = Field(default=None, ge=0, le=200)
    better_eye_acuity: float | None = Field(default=None, ge=0, le=10)
    better_eye_field_deg: float | None = Field(default=None, ge=0, le=360)
    eyes_removed: int = Field(default=0, ge=0, le=2)
    burn_third_degree_percent: float | None = Field(default=None, ge=0, le=100)


class BillItem(Frozen):
    code: str = Field(max_length=40)
    description: str = Field(default="", max_length=200)
    amount: Decimal = Field(ge=0, le=Decimal("1000000000"), decimal_places=2)
    social_insurance_paid: Decimal = Field(default=ZERO, ge=0, le=Decimal("1000000000"), decimal_places=2)
    covered: bool = True
    """False for items the contract does not cover (自费药、美容、营养品 …)."""
    invoice_number: str = Field(min_length=1, max_length=60)

    @model_validator(mode="after")
    def _share_within_bill(self) -> BillItem:
        if self.social_insurance_paid > self.amount:
            raise ValueError("social_insurance_paid cannot exceed the amount of the item")
        return self


class Claim(Frozen):
    claim_id: str
    claim_type: ClaimType
    cause: Cause = Cause.ILLNESS
    circumstances: tuple[Circumstance, ...] = ()
    event_date: date
    """Date of the accident, diagnosis, admission, visit or death."""
    first_symptom_date: date | None = None
    report_date: date
    insured_id: str
    hospital: str = ""
    diagnoses: tuple[Diagnosis, ...] = ()
    ci: CiFacts | None = None
    bill_items: tuple[BillItem, ...] = ()
    social_insurance_settled: bool = False
    """The bills were settled through social medical insurance first (经社保结算)."""
    disability_grades: tuple[int, ...] = ()
    """Grades (1 most severe … 10) assessed under the industry disability table."""
    documents: tuple[str, ...] = ()
    """Codes of the documents provided (data file ``documents.yaml``)."""
    lacked_civil_capacity: bool = False
    risk_score: float = Field(default=0.0, ge=0, le=1)
    """From the fraud-scoring service; the engine only compares it with the configured limit."""
    proxy: bool = False
    """Filed by a family member on the insured's behalf (needs an authorisation)."""
    insured_is_minor: bool = False


class StatusEvent(Frozen):
    """A change of the policy's status: suspended (中止), reinstated (复效) or terminated (终止/退保/解除)."""

    kind: StatusKind
    on: date


class Exclusion(Frozen):
    """An underwriting exclusion on this insured (除外责任), by ICD-10 codes or ranges such as ``I20-I25``."""

    code: str
    icd10: tuple[str, ...]
    text_zh: str = ""
    text_en: str = ""


class InsuredCover(Frozen):
    insured_id: str
    sum_assured: Decimal = Field(gt=0)
    start_date: date
    """Cover start for this insured (the issue date, or the day a member joined a family policy)."""
    end_date: date | None = None
    exclusions: tuple[Exclusion, ...] = ()
    disclosed: tuple[str, ...] = ()
    """ICD-10 codes or ranges disclosed at application (告知事项)."""
    deductible_used: Decimal = Field(default=ZERO, ge=0)
    """Personal deductible already used in the current policy year."""
    medical_paid: Decimal = Field(default=ZERO, ge=0)
    """Medical benefits already paid in the current policy year (against the annual limit)."""


class PaidBenefit(Frozen):
    """A benefit already paid (or agreed) under a policy; stops double payment and enforces caps."""

    insured_id: str
    benefit: BenefitKind
    amount: Decimal = Field(ge=0)
    ci_disease: str | None = None
    mild_name: str | None = None
    paid_on: date
    claim_id: str = ""


class PolicyFacts(Frozen):
    policy_id: str
    product: ProductTerms
    policyholder_id: str
    issue_date: date
    """Contract formation and cover start (生效日); the waiting period, suicide and incontestability clocks."""
    end_date: date
    """Last day of cover."""
    status_history: tuple[StatusEvent, ...] = ()
    insureds: tuple[InsuredCover, ...]
    paid: tuple[PaidBenefit, ...] = ()
    premiums_paid: Decimal = Field(default=ZERO, ge=0)
    premiums_remaining: bool = True
    """Some premiums are still to fall due (False once paid up); a waiver needs something to waive."""
    waived_from: date | None = None
    """Premiums are already waived from this date."""
    continuous_renewal: bool = False
    """A renewal without a gap (连续投保): no new waiting period."""

    def cover_of(self, insured_id: str) -> InsuredCover | None:
        return next((c for c in self.insureds if c.insured_id == insured_id), None)


class HouseholdFacts(Frozen):
    household_id: str
    spouses: tuple[tuple[str, str], ...] = ()
    """Pairs of person ids who are married to each other (配偶)."""
    shared_deductible_used: dict[str, Decimal] = Field(default_factory=dict)
    """Product code → household-shared deductible already used this policy year."""
    invoices_claimed: tuple[str, ...] = ()
    """Invoice numbers already presented in earlier claims of the household."""
    severe_ci_persons: tuple[str, ...] = ()
    """Persons with a severe CI claimed before under any household policy (for the spouse benefit)."""

    def spouse_of(self, person_id: str) -> str | None:
        for a, b in self.spouses:
            if person_id in (a, b):
                return b if a == person_id else a
        return None


class EngineConfig(Frozen):
    """Parameters a service may set per channel or campaign; recorded with the input."""

    fast_pay_threshold: Decimal = Field(default=Decimal("3000"), ge=0)
    """Small-claim fast pay (小额快赔): medical claims up to this amount (CIRC 2015 guideline: ¥3,000)."""
    max_fast_pay_risk: float = Field(default=0.5, ge=0, le=1)
    early_claim_days: int = Field(default=365, ge=0)
    """CI or death claims this soon after cover start are flagged for the adjuster (info only)."""


class ClaimCase(Frozen):
    """Everything one decision needs.

    ``policies`` holds the household's policies: those covering the claimant are adjudicated, in this order
    (the order the insured chose for indemnity medical cover, Health Measures art. 25); the others are only
    looked at for the whole-family premium waiver.
    """

    claim: Claim
    policies: tuple[PolicyFacts, ...]
    household: HouseholdFacts
    config: EngineConfig = EngineConfig()
    as_of: date
    """The decision date (the incontestability clock is read at this date)."""
