"""Case-level rules: minors' death caps, the bank-channel age screen, evidence limits and family terms."""

from __future__ import annotations

from decimal import Decimal

from uw_helpers import cover, decide, disclose, held, person

from jiabao.underwriting.engine import (
    Channel,
    Conclusion,
    Evidence,
    KnowledgeBase,
    PremiumMode,
    ProductLine,
    ReasonCode,
)

D, CI, ACC = ProductLine.DEATH, ProductLine.CI, ProductLine.ACCIDENT


def test_under_ten_death_cover_is_capped_at_200k(kb: KnowledgeBase) -> None:
    within = decide(kb, person(age=8, covers=(cover(D, 200_000),))).line(D)
    assert within.conclusion is Conclusion.STANDARD
    over = decide(kb, person(age=9, covers=(cover(D, 250_000),))).line(D)
    assert (over.conclusion, over.max_sum_assured) == (Conclusion.DECLINED, Decimal(200_000))
    assert over.reasons[-1].code is ReasonCode.MINOR_DEATH_CAP
    assert "200,000元" in over.explanation_zh and "保监发〔2015〕90号" in over.explanation_zh


def test_the_cap_counts_cover_in_force_across_the_household(kb: KnowledgeBase) -> None:
    insured = person(age=6, covers=(cover(D, 100_000),), in_force=(held(D, 120_000), held(ACC, 50_000)))
    line = decide(kb, insured).line(D)
    assert (line.conclusion, line.max_sum_assured) == (Conclusion.DECLINED, Decimal(30_000))


def test_ten_to_seventeen_are_capped_at_500k_across_lines(kb: KnowledgeBase) -> None:
    insured = person(age=12, covers=(cover(D, 300_000), cover(ACC, 300_000), cover(CI, 400_000)))
    decision = decide(kb, insured)
    assert decision.line(D).conclusion is Conclusion.STANDARD
    accident = decision.line(ACC)
    assert (accident.conclusion, accident.max_sum_assured) == (Conclusion.DECLINED, Decimal(200_000))
    assert decision.line(CI).conclusion is Conclusion.STANDARD  # CI pays no death benefit here


def test_explicit_death_benefit_counts_and_excluded_cover_does_not(kb: KnowledgeBase) -> None:
    ci_with_death = person(age=12, covers=(cover(D, 200_000), cover(CI, 400_000, death=400_000)))
    assert decide(kb, ci_with_death).line(CI).conclusion is Conclusion.DECLINED
    aviation_only = person(age=5, covers=(cover(ACC, 1_000_000, death=0),))  # aviation death is not counted
    assert decide(kb, aviation_only).line(ACC).conclusion is not Conclusion.DECLINED


def test_adults_have_no_death_cap(kb: KnowledgeBase) -> None:
    assert decide(kb, person(age=18, covers=(cover(D, 900_000),))).line(D).conclusion is Conclusion.STANDARD


def test_bank_channel_over_65_is_never_decided_automatically(kb: KnowledgeBase) -> None:
    insured = person(covers=(cover(D, 100_000, mode=PremiumMode.SINGLE), cover(CI, 100_000, mode=PremiumMode.SINGLE)))
    decision = decide(kb, insured, channel=Channel.BANK, policyholder_age=66)
    assert {line.conclusion for line in decision.lines} == {Conclusion.REFERRED}
    assert not decision.automated and ReasonCode.BANK_CHANNEL_AGE in decision.reason_codes
    assert "保监发〔2014〕3号" in decision.explanation_zh
    assert decide(kb, insured, channel=Channel.BANK, policyholder_age=65).automated
    assert decide(kb, insured, channel=Channel.ONLINE, policyholder_age=80).automated


def test_bank_channel_regular_premium_over_60_is_referred(kb: KnowledgeBase) -> None:
    regular = person(covers=(cover(D, 100_000, mode=PremiumMode.REGULAR),))
    single = person(covers=(cover(D, 100_000, mode=PremiumMode.SINGLE),))
    assert not decide(kb, regular, channel=Channel.BANK, policyholder_age=61).automated
    assert decide(kb, single, channel=Channel.BANK, policyholder_age=61).automated


def test_bank_referral_keeps_the_engine_view_for_the_underwriter(kb: KnowledgeBase) -> None:
    insured = person(disclosures=(disclose("MI", severity="mild"),), covers=(cover(CI, 100_000),))
    line = decide(kb, insured, channel=Channel.BANK, policyholder_age=70).line(CI)
    assert line.conclusion is Conclusion.REFERRED
    assert [r.code for r in line.reasons] == [ReasonCode.IMPAIRMENT, ReasonCode.BANK_CHANNEL_AGE]


def test_evidence_follows_age_and_cumulative_cover(kb: KnowledgeBase) -> None:
    small = decide(kb, person(age=45, covers=(cover(D, 800_000),))).line(D)
    assert small.conclusion is Conclusion.STANDARD and small.evidence == ()
    large = decide(kb, person(age=45, covers=(cover(D, 1_000_000),))).line(D)
    assert large.conclusion is Conclusion.PENDING_EVIDENCE
    assert large.evidence == (Evidence.BLOOD_URINE, Evidence.PARAMEDICAL)
    assert "一般体格检查" in large.explanation_zh
    with_in_force = person(age=45, covers=(cover(D, 500_000),), in_force=(held(D, 400_000),))
    assert decide(kb, with_in_force).line(D).conclusion is Conclusion.PENDING_EVIDENCE
    older = decide(kb, person(age=62, covers=(cover(CI, 600_000),))).line(CI)
    assert Evidence.FULL_MEDICAL in older.evidence and Evidence.FINANCIAL in older.evidence


def test_evidence_is_not_asked_when_the_line_is_declined(kb: KnowledgeBase) -> None:
    insured = person(age=45, disclosures=(disclose("MI", severity="mild"),), covers=(cover(CI, 5_000_000),))
    line = decide(kb, insured).line(CI)
    assert line.conclusion is Conclusion.DECLINED and line.evidence == ()


def test_family_of_three_gets_higher_non_medical_limits(kb: KnowledgeBase) -> None:
    insured = person(age=45, covers=(cover(D, 1_000_000),))
    assert decide(kb, insured, members=2).line(D).conclusion is Conclusion.PENDING_EVIDENCE
    family = decide(kb, insured, members=3).line(D)
    assert family.conclusion is Conclusion.STANDARD  # 800,000 × 1.5 = 1,200,000
    assert family.reasons[-1].code is ReasonCode.FAMILY_LIMITS
    assert "三人及以上家庭投保" in family.explanation_zh
    assert decide(kb, person(age=45, covers=(cover(D, 1_300_000),)), members=3).line(D).evidence


def test_family_of_five_shaves_one_table(kb: KnowledgeBase) -> None:
    htn = disclose("HTN", bp_max="lt160_100", complications="no")
    insured = person(disclosures=(htn,))
    alone, family = decide(kb, insured, members=4), decide(kb, insured, members=5)
    assert (alone.line(D).table, alone.line(CI).table) == (1, 2)
    assert (family.line(D).conclusion, family.line(D).table) == (Conclusion.STANDARD, 0)
    assert family.line(CI).table == 1 and family.line(CI).total_debits == 50
    assert any(r.code is ReasonCode.TABLE_SHAVE for r in family.line(CI).reasons)
    big = person(disclosures=(disclose("HTN", bp_max="lt180_110", complications="no"),))
    assert decide(kb, big, members=5).line(D).table == 3  # Table 3 is above the shave limit of Table 2
