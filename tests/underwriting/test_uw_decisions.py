"""Decision engine: each outcome type, the table arithmetic, flat extras and combined impairments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from uw_helpers import AS_OF, born, cover, decide, disclose, person

from jiabao.underwriting.engine import (
    ApplicationFacts,
    Channel,
    Conclusion,
    FlatExtra,
    KnowledgeBase,
    ProductLine,
    ReasonCode,
    Sex,
    decide_application,
)
from jiabao.underwriting.engine.combine import table_for

D, CI, MED, ACC, LTC, ANN = (
    ProductLine.DEATH,
    ProductLine.CI,
    ProductLine.MEDICAL,
    ProductLine.ACCIDENT,
    ProductLine.LTC,
    ProductLine.ANNUITY,
)
HTN_GRADE_1 = disclose("HTN", bp_max="lt160_100", complications="no")


def test_nothing_disclosed_is_standard_on_every_line(kb: KnowledgeBase) -> None:
    decision = decide(kb, person())
    assert {d.conclusion for d in decision.lines} == {Conclusion.STANDARD}
    assert decision.automated and not decision.referred
    assert decision.reason_codes == (ReasonCode.NOTHING_DISCLOSED,)
    assert "没有需要特别评估" in decision.explanation_zh
    assert "个人信息保护法》第二十四条" in decision.explanation_zh
    assert "article 24 of the Personal Information Protection Law" in decision.explanation_en
    assert decision.kb_version == "2026.1" and decision.kb_digest == kb.digest
    assert decision.elapsed_ms > 0


def test_controlled_hypertension_is_rated_in_tables(kb: KnowledgeBase) -> None:
    decision = decide(kb, person(disclosures=(HTN_GRADE_1,)))
    death, ci, medical = decision.line(D), decision.line(CI), decision.line(MED)
    assert (death.conclusion, death.total_debits, death.table, death.table_letter) == (Conclusion.RATED, 25, 1, "A")
    assert (ci.table, ci.table_letter, ci.extra_premium_percent) == (2, "B", 50)
    assert medical.conclusion is Conclusion.EXCLUSION and medical.exclusions[0].code == "EX_HTN"
    assert decision.line(ACC).conclusion is Conclusion.STANDARD
    assert decision.line(ANN).conclusion is Conclusion.STANDARD
    assert "加收25%" in death.explanation_zh and "高血压（最高血压140–159/90–99）" in death.explanation_zh
    reason = death.reasons[0]
    assert (reason.code, reason.subject, reason.path, reason.debits) == (ReasonCode.IMPAIRMENT, "HTN", "grade_1", 25)


def test_exclusion_carries_its_wording(kb: KnowledgeBase) -> None:
    decision = decide(kb, person(disclosures=(disclose("THYROID_NODULE", tirads="tr4a", biopsy="not_done"),)))
    ci = decision.line(CI)
    assert ci.conclusion is Conclusion.EXCLUSION
    assert ci.exclusions[0].wording_zh.startswith("因甲状腺疾病（包括甲状腺恶性肿瘤）")
    assert "thyroid cancer" in ci.exclusions[0].wording_en
    assert ci.exclusions[0].wording_zh in ci.explanation_zh
    assert decision.line(D).conclusion is Conclusion.STANDARD


def test_generic_exclusion_names_the_condition(kb: KnowledgeBase) -> None:
    decision = decide(kb, person(disclosures=(disclose("LIPOMA", removed="no", surgery_advised="no"),)))
    wording = decision.line(MED).exclusions[0]
    assert wording.code == "EX_DISCLOSED" and wording.wording_zh.startswith("因脂肪瘤及其并发症")
    assert "Lipoma" in wording.wording_en


def test_postpone_takes_the_longest_delay(kb: KnowledgeBase) -> None:
    nodule = disclose("LUNG_NODULE", nodule_size="ge8", nodule_type="solid", nodule_stable="no")
    pregnant = disclose("PREGNANT", pregnancy_weeks=Decimal(30), pregnancy_complications="no")
    decision = decide(kb, person(sex=Sex.FEMALE, disclosures=(nodule, pregnant)))
    ci = decision.line(CI)
    assert (ci.conclusion, ci.postpone_months) == (Conclusion.POSTPONED, 6)
    assert "6个月后重新申请" in ci.explanation_zh
    assert decision.line(ACC).conclusion is Conclusion.STANDARD
    assert decision.automated


def test_decline_wins_over_everything_else(kb: KnowledgeBase) -> None:
    mi = disclose("MI", severity="mild")
    nodule = disclose("THYROID_NODULE", tirads="unknown", biopsy="not_done")  # would refer CI
    decision = decide(kb, person(disclosures=(mi, nodule)))
    ci = decision.line(CI)
    assert ci.conclusion is Conclusion.DECLINED
    assert [r.subject for r in ci.reasons if r.decisive] == ["MI"]
    assert decision.line(D).conclusion is Conclusion.RATED and decision.line(D).table == 4
    assert decision.automated  # no line referred


def test_refer_goes_to_a_person(kb: KnowledgeBase) -> None:
    decision = decide(kb, person(disclosures=(disclose("THYROID_NODULE", tirads="unknown", biopsy="not_done"),)))
    assert decision.line(CI).conclusion is Conclusion.REFERRED
    assert decision.line(D).conclusion is Conclusion.STANDARD
    assert not decision.automated and decision.referred
    assert "人工审核" in decision.line(CI).explanation_zh


@pytest.mark.parametrize(
    ("debits", "nearest", "up"),
    [(0, 0, 0), (12, 0, 1), (13, 1, 1), (25, 1, 1), (37, 1, 2), (38, 2, 2), (50, 2, 2), (150, 6, 6), (151, 6, 7)],
)
def test_table_arithmetic(kb: KnowledgeBase, debits: int, nearest: int, up: int) -> None:
    """Debits ÷ 25 per table: half up by default, ceiling when configured (regulation.md §1.2)."""
    assert table_for(debits, kb.rating) == nearest
    assert table_for(debits, kb.rating.model_copy(update={"rounding": "up"})) == up


def test_flat_extras_add_up_by_duration(kb: KnowledgeBase) -> None:
    cancer = disclose("THYROID_CANCER", stage="early", treatment_end=AS_OF - timedelta(days=3 * 365), recurrence="no")
    insured = person(disclosures=(cancer,), occupation_class="c5", pursuits=("skydiving",))
    death = decide(kb, insured).line(D)
    assert death.conclusion is Conclusion.RATED and death.table == 0
    assert death.flat_extras == (
        FlatExtra(per_mille=Decimal("4.0"), years=None),
        FlatExtra(per_mille=Decimal(5), years=3),
    )
    assert death.first_year_flat_extra == Decimal("2700.00")  # (4 + 5) ‰ × 300,000
    assert isinstance(death.first_year_flat_extra, Decimal)
    assert "每千元保额每年加收5元，共3年" in death.explanation_zh
    assert {r.code for r in death.reasons} == {ReasonCode.IMPAIRMENT, ReasonCode.OCCUPATION, ReasonCode.PURSUIT}


def test_flat_extras_above_the_line_maximum_decline(kb: KnowledgeBase) -> None:
    pursuits = ("scuba_deep", "high_altitude", "skydiving", "motor_racing", "private_aviation")
    death = decide(kb, person(occupation_class="c6", pursuits=pursuits)).line(D)
    assert death.conclusion is Conclusion.DECLINED  # 3 + 13 = 16 ‰ > 15 ‰
    assert any(r.code is ReasonCode.TABLE_BEYOND_LIMIT for r in death.reasons)


def test_accident_gets_the_pursuit_exclusion(kb: KnowledgeBase) -> None:
    accident = decide(kb, person(pursuits=("rock_climbing",))).line(ACC)
    assert accident.conclusion is Conclusion.EXCLUSION
    assert accident.exclusions[0].wording_zh == "被保险人从事攀岩期间遭受的意外伤害，本公司不承担保险责任。"


def test_several_impairments_combine_debits_across_disclosures(kb: KnowledgeBase) -> None:
    diabetes = disclose("T2DM", diabetes_treatment="oral", hba1c=Decimal("6.5"), complications="no")
    insured = person(disclosures=(HTN_GRADE_1, diabetes), weight_kg=Decimal(89))  # BMI 30.1
    decision = decide(kb, insured)
    death, ci, medical = decision.line(D), decision.line(CI), decision.line(MED)
    assert (death.total_debits, death.table, death.extra_premium_percent) == (75, 3, 75)  # 25 + 25 + 25
    assert (ci.conclusion, ci.total_debits) == (Conclusion.DECLINED, 125)  # Table 5 > CI maximum of 4
    assert any(r.code is ReasonCode.TABLE_BEYOND_LIMIT for r in ci.reasons)
    assert [e.code for e in medical.exclusions] == ["EX_HTN", "EX_DIABETES"]


def test_rating_and_exclusion_on_one_line(kb: KnowledgeBase) -> None:
    carrier = disclose("HBV_CARRIER", liver_function="normal", hbv_dna="negative", liver_imaging="normal")
    nodule = disclose("THYROID_NODULE", tirads="tr4a", biopsy="not_done")
    ci = decide(kb, person(disclosures=(carrier, nodule))).line(CI)
    assert (ci.conclusion, ci.table, ci.exclusions[0].code) == (Conclusion.RATED_WITH_EXCLUSION, 1, "EX_THYROID")


def test_a_disclosed_condition_supersedes_its_measurement(kb: KnowledgeBase) -> None:
    measured = dict(systolic=Decimal(170), diastolic=Decimal(105))
    assert decide(kb, person(**measured)).line(D).total_debits == 75  # grade 2 reading, no disclosure
    assert decide(kb, person(disclosures=(HTN_GRADE_1,), **measured)).line(D).total_debits == 25


def test_bmi_is_not_rated_for_minors(kb: KnowledgeBase) -> None:
    heavy = dict(height_cm=Decimal(150), weight_kg=Decimal(80))  # BMI 35.6
    assert decide(kb, person(age=15, **heavy)).line(D).conclusion is Conclusion.STANDARD
    assert decide(kb, person(age=30, **heavy)).line(D).table == 4


def test_past_dates_are_banded_against_as_of_not_the_clock(kb: KnowledgeBase) -> None:
    recent = disclose("THYROID_CANCER", stage="early", treatment_end=date(2025, 6, 1), recurrence="no")
    old = disclose("THYROID_CANCER", stage="early", treatment_end=date(2012, 6, 1), recurrence="no")
    assert decide(kb, person(disclosures=(recent,))).line(D).conclusion is Conclusion.POSTPONED
    assert decide(kb, person(disclosures=(old,))).line(D).conclusion is Conclusion.STANDARD


def test_a_household_application_decides_every_member(kb: KnowledgeBase) -> None:
    application = ApplicationFacts(
        application_id="app-1",
        as_of=AS_OF,
        channel=Channel.ONLINE,
        policyholder_birth_date=born(40),
        household_insured_members=2,
        insureds=(person(age=40), person(age=8, covers=(cover(CI, 200_000),))),
    )
    decision = decide_application(kb, application)
    assert [d.age for d in decision.insureds] == [40, 8]
    assert decision.automated and decision.kb_version == "2026.1"
    assert decision.insureds[1].lines[0].line is CI
