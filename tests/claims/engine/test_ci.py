"""CI definition matching (2020 definitions) and the CI benefit amounts, including the mild-CI 30% rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from jiabao.claims.engine import (
    BenefitKind,
    CiFacts,
    CiGrade,
    CiTerms,
    Claim,
    ClaimCase,
    ClaimType,
    Diagnosis,
    MildCancerCase,
    Outcome,
    PaidBenefit,
    ReasonCode,
    RuleSet,
    decide,
    grade,
)
from tests.claims.engine.builders import EVENT, D, case, claim, cover, policy, terms

R = ReasonCode
MILD_CANCER = "恶性肿瘤——轻度"


def ci(disease: str, *dx: Diagnosis, **facts: Any) -> Claim:
    f = CiFacts(disease=disease, diagnosed_on=facts.pop("diagnosed_on", EVENT), **facts)
    return claim(ClaimType.CI_DIAGNOSIS, diagnoses=dx, ci=f)


def _grade(rs: RuleSet, disease: str, *dx: Diagnosis, **facts: Any) -> CiGrade:
    return grade(rs, ci(disease, *dx, **facts)).grade


def test_cancer_grades(rs: RuleSet) -> None:
    assert _grade(rs, "cancer", Diagnosis(icd10="C34.1", icd_o3_behaviour=3)) is CiGrade.SEVERE
    assert _grade(rs, "cancer", Diagnosis(icd10="C34.1", icd_o3_behaviour=6)) is CiGrade.SEVERE
    thyroid = Diagnosis(icd10="C73", icd_o3_behaviour=3)
    assert _grade(rs, "cancer", thyroid, mild_cancer_case=MildCancerCase.THYROID_TNM_I) is CiGrade.MILD
    for behaviour in (0, 1, 2):  # benign, uncertain, in situ: neither grade
        assert _grade(rs, "cancer", Diagnosis(icd10="C50.9", icd_o3_behaviour=behaviour)) is CiGrade.NONE
    # no pathology yet: cannot grade
    assert _grade(rs, "cancer", Diagnosis(icd10="C50.9")) is CiGrade.UNDETERMINED


def test_icd_o3_prevails_over_icd10(rs: RuleSet) -> None:
    # ICD-10 says carcinoma in situ (D05) but the pathology says malignant (3): severe
    g = grade(rs, ci("cancer", Diagnosis(icd10="D05.1", icd_o3_behaviour=3)))
    assert g.grade is CiGrade.SEVERE and R.CI_ICD_O3_PREVAILS in [r.code for r in g.reasons]
    # ICD-10 says malignant (C50) but the pathology says in situ (2): declined
    d = decide(
        rs, case(ci("cancer", Diagnosis(icd10="C50.9", icd_o3_behaviour=2)), policy("P1", "family_ci", cover("dad")))
    )
    assert d.outcome is Outcome.DECLINE
    assert {R.CI_ICD_O3_PREVAILS, R.CI_BEHAVIOUR_NOT_COVERED} <= set(d.codes())


AMI = Diagnosis(icd10="I21.0")


def test_ami(rs: RuleSet) -> None:
    assert _grade(rs, "ami", AMI, troponin_multiple=15.0) is CiGrade.SEVERE
    assert _grade(rs, "ami", AMI, troponin_multiple=14.9, ckmb_multiple=2.0) is CiGrade.SEVERE
    assert _grade(rs, "ami", AMI, troponin_multiple=3.0) is CiGrade.MILD
    assert _grade(rs, "ami", AMI, troponin_multiple=3.0, arrhythmia_or_shock=True) is CiGrade.SEVERE
    # LVEF < 50% counts only when measured ≥ 6 weeks after diagnosis
    early = EVENT + timedelta(days=41)
    assert _grade(rs, "ami", AMI, troponin_multiple=3.0, lvef_percent=45, lvef_measured_on=early) is CiGrade.MILD
    late = EVENT + timedelta(days=42)
    assert _grade(rs, "ami", AMI, troponin_multiple=3.0, lvef_percent=45, lvef_measured_on=late) is CiGrade.SEVERE
    assert _grade(rs, "ami", AMI) is CiGrade.UNDETERMINED
    assert _grade(rs, "ami", troponin_multiple=20.0) is CiGrade.UNDETERMINED  # no I21–I22 diagnosis


def test_stroke(rs: RuleSet) -> None:
    dx = Diagnosis(icd10="I63.9")
    at_180 = EVENT + timedelta(days=180)
    assert _grade(rs, "stroke", dx, assessed_on=at_180 - timedelta(days=1), limb_power_min=1) is CiGrade.UNDETERMINED
    assert _grade(rs, "stroke", dx, assessed_on=at_180, limb_power_min=2) is CiGrade.SEVERE
    assert _grade(rs, "stroke", dx, assessed_on=at_180, adl_lost=3) is CiGrade.SEVERE
    assert _grade(rs, "stroke", dx, assessed_on=at_180, limb_power_min=3) is CiGrade.MILD
    assert _grade(rs, "stroke", dx, assessed_on=at_180, adl_lost=2) is CiGrade.MILD
    assert _grade(rs, "stroke", dx, assessed_on=at_180, limb_power_min=4, adl_lost=1) is CiGrade.NONE


@pytest.mark.parametrize(
    ("disease", "facts", "expected"),
    [
        ("transplant", {"transplant": "kidney"}, CiGrade.SEVERE),
        ("transplant", {"transplant": "cornea"}, CiGrade.NONE),
        ("cabg", {"cabg_open_chest": True}, CiGrade.SEVERE),
        ("cabg", {}, CiGrade.NONE),
        ("ckd", {"ckd_stage": 5, "dialysis_days": 90}, CiGrade.SEVERE),
        ("ckd", {"ckd_stage": 5, "dialysis_days": 89}, CiGrade.NONE),
        ("ckd", {}, CiGrade.UNDETERMINED),
        ("coma", {"gcs": 5, "life_support_hours": 97}, CiGrade.SEVERE),
        ("coma", {"gcs": 5, "life_support_hours": 96}, CiGrade.NONE),
        ("deafness", {"hearing_db_left": 91, "hearing_db_right": 95}, CiGrade.SEVERE),
        ("deafness", {"hearing_db_left": 90, "hearing_db_right": 95}, CiGrade.NONE),
        ("blindness", {"better_eye_acuity": 0.01}, CiGrade.SEVERE),
        ("blindness", {"better_eye_acuity": 0.05, "better_eye_field_deg": 4}, CiGrade.SEVERE),
        ("blindness", {"eyes_removed": 2}, CiGrade.SEVERE),
        ("blindness", {"better_eye_acuity": 0.05}, CiGrade.NONE),
        ("burns", {"burn_third_degree_percent": 20}, CiGrade.SEVERE),
        ("burns", {"burn_third_degree_percent": 19.5}, CiGrade.NONE),
        ("parkinsons", {}, CiGrade.UNDETERMINED),
    ],
)
def test_threshold_diseases(rs: RuleSet, disease: str, facts: dict[str, Any], expected: CiGrade) -> None:
    assert _grade(rs, disease, **facts) is expected


def test_diseases_by_name_go_to_an_adjuster(rs: RuleSet) -> None:
    d = decide(rs, case(ci("alzheimers"), policy("P1", "family_ci", cover("dad"))))
    assert d.outcome is Outcome.REFER and R.CI_MANUAL_DEFINITION in d.codes()
    assert "严重阿尔茨海默病" in next(r for r in d.reasons if r.code is R.CI_MANUAL_DEFINITION).text_zh


def _mild_case(product: Any = "family_ci", paid: tuple[PaidBenefit, ...] = ()) -> ClaimCase:
    c = ci("cancer", Diagnosis(icd10="C73", icd_o3_behaviour=3), mild_cancer_case=MildCancerCase.THYROID_TNM_I)
    return case(c, policy("P1", product, cover("dad", 500000), paid=paid))


def test_mild_ci_pays_its_multiple(rs: RuleSet) -> None:
    d = decide(rs, _mild_case())
    # family_ci mild multiple 0.3 × SA 500,000 = 150,000 (exactly the 30% cap)
    assert d.amount(BenefitKind.CI_MILD) == D("150000.00")
    assert d.outcome is Outcome.CI_ADVANCE_PAYMENT


def test_mild_ci_capped_at_30_percent_of_severe(rs: RuleSet) -> None:
    # a product (test-only) offering 40% for a mild cancer: capped at 30% × severe multiple 1.0 × 500,000
    generous = terms("family_ci").model_copy(
        update={"ci": CiTerms(severe_multiple=D("1"), mild={MILD_CANCER: D("0.4")})}
    )
    d = decide(rs, _mild_case(generous))
    assert d.amount(BenefitKind.CI_MILD) == D("150000.00")
    assert ReasonCode.CI_MILD_CAPPED in d.codes()
    # with a 1.2 severe multiple the cap is 0.36 × 500,000 = 180,000, so 0.3 passes unchanged
    richer = terms("family_ci").model_copy(
        update={"ci": CiTerms(severe_multiple=D("1.2"), mild={MILD_CANCER: D("0.3")})}
    )
    assert decide(rs, _mild_case(richer)).amount(BenefitKind.CI_MILD) == D("150000.00")


def test_mild_not_covered_by_product(rs: RuleSet) -> None:
    d = decide(rs, _mild_case("ltc_ci_wholelife"))  # severe-only schedule
    assert d.outcome is Outcome.DECLINE and R.CI_MILD_NOT_COVERED in d.codes()


def test_no_double_payment(rs: RuleSet) -> None:
    mild_paid = PaidBenefit(
        insured_id="dad",
        benefit=BenefitKind.CI_MILD,
        amount=D("150000"),
        mild_name=MILD_CANCER,
        paid_on=date(2025, 1, 1),
    )
    d = decide(rs, _mild_case(paid=(mild_paid,)))
    assert d.outcome is Outcome.DECLINE and R.ALREADY_PAID in d.codes()
    severe_paid = mild_paid.model_copy(
        update={"benefit": BenefitKind.CI_SEVERE, "amount": D("500000"), "mild_name": None}
    )
    assert R.ALREADY_PAID in decide(rs, _mild_case(paid=(severe_paid,))).codes()
    # a severe CI after a mild one is still paid in full (mild payments are not deducted in these products)
    severe = case(
        ci("cancer", Diagnosis(icd10="C34.1", icd_o3_behaviour=3)),
        policy("P1", "family_ci", cover("dad", 500000), paid=(mild_paid,)),
    )
    assert decide(rs, severe).amount(BenefitKind.CI_SEVERE) == D("500000.00")
