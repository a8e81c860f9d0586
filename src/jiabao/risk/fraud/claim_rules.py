"""Claims fraud rules (理赔反欺诈规则), pure: each rule gives points and a reason, and every rule's input is also a
numeric feature for the gradient-boosting model (``model.py``). Until enough labelled claims exist, the rules
alone give the score the claims engine compares with its straight-through limit (``max_fast_pay_risk``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from jiabao.risk.fraud.application_rules import Hit

EARLY_DAYS = 90
FAIRLY_EARLY_DAYS = 180
FREQUENT_INSURED = 4
FREQUENT_HOUSEHOLD = 8
INCOME_SHARE = Decimal("0.5")
COVER_SHARE = Decimal("0.8")
HOSPITAL_MIN_CLAIMS = 20
HOSPITAL_FRAUD_SHARE = 0.10
HOSPITAL_AMOUNT_RATIO = 3.0
LATE_REPORT_DAYS = 365


@dataclass(frozen=True, slots=True)
class ClaimRisk:
    claimed: Decimal
    days_since_start: int
    """Days from cover start, or from the last reinstatement, to the event (the smallest over the policies
    covering the claimant)."""
    report_delay_days: int = 0
    insured_claims_12m: int = 0
    household_claims_12m: int = 0
    annual_income: Decimal | None = None
    sum_assured: Decimal = Decimal(0)
    duplicate_invoices_elsewhere: int = 0
    """Invoice numbers of this claim already claimed by another household."""
    hospital_claims: int = 0
    hospital_fraud_share: float = 0.0
    hospital_amount_ratio: float = 1.0
    """The hospital's mean claimed amount over the platform's mean."""
    proxy: bool = False


FEATURES: tuple[str, ...] = (
    "days_since_start",
    "early_claim",
    "report_delay_days",
    "insured_claims_12m",
    "household_claims_12m",
    "amount_to_income",
    "amount_to_cover",
    "duplicate_invoices_elsewhere",
    "hospital_fraud_share",
    "hospital_amount_ratio",
    "log_amount",
    "proxy",
)


def features(f: ClaimRisk) -> list[float]:
    """The model's input, in ``FEATURES`` order."""
    income = float(f.claimed / f.annual_income) if f.annual_income else 0.0
    cover = float(f.claimed / f.sum_assured) if f.sum_assured > 0 else 0.0
    known_hospital = f.hospital_claims >= HOSPITAL_MIN_CLAIMS
    return [
        float(min(f.days_since_start, 3650)),
        1.0 if f.days_since_start <= EARLY_DAYS else 0.0,
        float(min(f.report_delay_days, 3650)),
        float(f.insured_claims_12m),
        float(f.household_claims_12m),
        min(income, 100.0),
        min(cover, 100.0),
        float(f.duplicate_invoices_elsewhere),
        f.hospital_fraud_share if known_hospital else 0.0,
        f.hospital_amount_ratio if known_hospital else 1.0,
        math.log10(1.0 + float(f.claimed)),
        1.0 if f.proxy else 0.0,
    ]


def hits(f: ClaimRisk) -> list[Hit]:
    out: list[Hit] = []
    if f.days_since_start <= EARLY_DAYS:
        out.append(
            Hit(
                "early_claim",
                25,
                f"生效或复效后第{f.days_since_start}天出险",
                f"Event {f.days_since_start} days after cover start or reinstatement",
            )
        )
    elif f.days_since_start <= FAIRLY_EARLY_DAYS:
        out.append(
            Hit(
                "fairly_early_claim",
                10,
                f"生效或复效后第{f.days_since_start}天出险",
                f"Event {f.days_since_start} days after cover start or reinstatement",
            )
        )
    if f.insured_claims_12m >= FREQUENT_INSURED:
        out.append(
            Hit(
                "frequent_claims",
                20,
                f"该被保险人近12个月已有{f.insured_claims_12m}次理赔",
                f"{f.insured_claims_12m} earlier claims by this insured in 12 months",
            )
        )
    if f.household_claims_12m >= FREQUENT_HOUSEHOLD:
        out.append(
            Hit(
                "frequent_household_claims",
                15,
                f"该家庭近12个月已有{f.household_claims_12m}次理赔",
                f"{f.household_claims_12m} earlier claims by this household in 12 months",
            )
        )
    if f.annual_income and f.claimed > f.annual_income * INCOME_SHARE:
        out.append(
            Hit(
                "amount_above_income",
                25,
                "申请金额超过年收入的一半",
                "The amount claimed is more than half the annual income",
            )
        )
    if f.sum_assured > 0 and f.claimed > f.sum_assured * COVER_SHARE:
        out.append(
            Hit("amount_near_cover", 15, "申请金额接近或超过保额", "The amount claimed is close to or above the cover")
        )
    if f.duplicate_invoices_elsewhere:
        out.append(
            Hit(
                "duplicate_invoice_other_household",
                60,
                f"{f.duplicate_invoices_elsewhere}张发票已在其他家庭的理赔中使用",
                f"{f.duplicate_invoices_elsewhere} invoices were already claimed by another household",
            )
        )
    if f.hospital_claims >= HOSPITAL_MIN_CLAIMS and (
        f.hospital_fraud_share >= HOSPITAL_FRAUD_SHARE or f.hospital_amount_ratio >= HOSPITAL_AMOUNT_RATIO
    ):
        out.append(
            Hit(
                "unusual_hospital",
                20,
                "就诊医院的理赔欺诈比例或案均金额异常",
                "The hospital's share of confirmed fraud or its mean amount is unusual",
            )
        )
    if f.report_delay_days >= LATE_REPORT_DAYS:
        out.append(Hit("late_report", 10, "出险一年以后才报案", "Reported more than a year after the event"))
    return out


def rule_score(f: ClaimRisk) -> tuple[float, list[Hit]]:
    """Points of every rule that applies, as a score in [0, 1] (100 points = 1)."""
    found = hits(f)
    return min(100, sum(h.points for h in found)) / 100, found
