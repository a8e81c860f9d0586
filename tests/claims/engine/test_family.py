"""Family benefits: the joint spouse CI benefit, the whole-family premium waiver across several policies, and one
claim paid from every household policy that covers it."""

from __future__ import annotations

from datetime import date
from typing import Any

from jiabao.claims.engine import (
    BenefitKind,
    CiFacts,
    Claim,
    ClaimType,
    Diagnosis,
    Outcome,
    PaidBenefit,
    PolicyFacts,
    ReasonCode,
    RuleSet,
    WaiverBasis,
    decide,
)
from tests.claims.engine.builders import EVENT, D, case, claim, cover, household, policy

R = ReasonCode


def cancer(insured: str = "dad") -> Claim:
    return claim(
        ClaimType.CI_DIAGNOSIS,
        insured=insured,
        diagnoses=(Diagnosis(icd10="C34.1", icd_o3_behaviour=3),),
        ci=CiFacts(disease="cancer", diagnosed_on=EVENT),
    )


def family_policy(pid: str = "P1", **kw: Any) -> PolicyFacts:
    return policy(pid, "family_ci", cover("dad", 300000), cover("mum", 250000), cover("kid", 200000), **kw)


def test_spouse_joint_benefit(rs: RuleSet) -> None:
    d = decide(rs, case(cancer(), family_policy()))
    # severe 1.0 × 300,000 plus the joint spouse benefit 0.2 × the claimant's 300,000 = 60,000
    assert d.amount(BenefitKind.CI_SEVERE) == D("300000.00")
    assert d.amount(BenefitKind.SPOUSE_JOINT) == D("60000.00")
    assert d.advance_total == D("360000.00") and R.SPOUSE_JOINT_PAYABLE in d.codes()
    mum = decide(rs, case(cancer("mum"), family_policy()))
    assert mum.amount(BenefitKind.SPOUSE_JOINT) == D("50000.00")  # 0.2 × mum's 250,000


def _not_paid(rs: RuleSet, c: Claim, p: PolicyFacts, **hh: Any) -> str:
    d = decide(rs, case(c, p, hh=household(**hh)))
    assert d.amount(BenefitKind.SPOUSE_JOINT) == 0 and d.amount(BenefitKind.CI_SEVERE) > 0
    return next(r.text_en for r in d.reasons if r.code is R.SPOUSE_JOINT_NOT_PAYABLE)


def test_spouse_joint_benefit_conditions(rs: RuleSet) -> None:
    only_dad = policy("P1", "family_ci", cover("dad", 300000), cover("kid", 200000))
    assert "not insured under this policy" in _not_paid(rs, cancer(), only_dad)
    assert "no spouse" in _not_paid(rs, cancer(), family_policy(), spouses=())
    assert "spouse had a severe CI first" in _not_paid(rs, cancer(), family_policy(), severe_ci_persons=("mum",))
    mum_paid = PaidBenefit(
        insured_id="mum", benefit=BenefitKind.CI_SEVERE, amount=D("250000"), paid_on=date(2025, 1, 1)
    )
    assert "spouse had a severe CI first" in _not_paid(rs, cancer(), family_policy(paid=(mum_paid,)))
    joint = PaidBenefit(insured_id="mum", benefit=BenefitKind.SPOUSE_JOINT, amount=D("50000"), paid_on=date(2025, 1, 1))
    assert "already paid" in _not_paid(rs, cancer(), family_policy(paid=(joint,)))
    # the spouse's cover must be in force: mum joined after the diagnosis
    late_mum = policy("P1", "family_ci", cover("dad", 300000), cover("mum", 250000, start=date(2025, 7, 1)))
    assert "not in force" in _not_paid(rs, cancer(), late_mum)


def test_family_waiver_across_several_policies(rs: RuleSet) -> None:
    policies = (
        family_policy("P1"),  # family waiver: every member's premiums
        policy("P2", "ltc_ci_wholelife", cover("dad", 100000)),  # dad's own waiver (not subject to waiting)
        policy("P3", "children_ci", cover("kid", 200000), holder="dad"),  # 投保人豁免: dad is the policyholder
        policy("P4", "whole_life", cover("dad", 500000)),  # no waiver benefit
        policy("P5", "children_ci", cover("kid", 200000), holder="mum"),  # mum's policy: not triggered by dad
        policy("P6", "family_ci", cover("dad", 100000), premiums_remaining=False),  # paid up: nothing to waive
        policy("P7", "family_ci", cover("dad", 100000), issue_date=date(2025, 5, 1)),  # in its waiting period
        policy("P8", "ltc_ci_wholelife", cover("mum", 100000), waived_from=date(2024, 6, 1)),  # not dad's
    )
    d = decide(rs, case(cancer(), *policies))
    waived = {w.policy_id: w.basis for w in d.waivers}
    assert waived == {"P1": WaiverBasis.FAMILY, "P2": WaiverBasis.OWN, "P3": WaiverBasis.POLICYHOLDER}
    assert all(w.premiums_due_after == EVENT and w.trigger_claim_id == "CLM-1" for w in d.waivers)
    assert sum(1 for r in d.reasons if r.code is R.WAIVER_GRANTED) == 3
    # one claim, paid from every policy that covers it: P1 300,000 + 60,000 spouse, P2 100,000, P6 100,000 (paid
    # up, still covered); P7 is in its waiting period and gets a rejection notice
    assert {(ln.policy_id, ln.benefit, ln.amount) for ln in d.lines} == {
        ("P1", BenefitKind.CI_SEVERE, D("300000.00")),
        ("P1", BenefitKind.SPOUSE_JOINT, D("60000.00")),
        ("P2", BenefitKind.CI_SEVERE, D("100000.00")),
        ("P6", BenefitKind.CI_SEVERE, D("100000.00")),
    }
    assert d.outcome is Outcome.CI_ADVANCE_PAYMENT and d.advance_total == D("560000.00")
    assert d.rejection_notice is not None and d.rejection_notice.policy_ids == ("P7",)


def test_no_waiver_for_mild_ci_or_declined_claim(rs: RuleSet) -> None:
    in_situ = cancer().model_copy(update={"diagnoses": (Diagnosis(icd10="D05.1", icd_o3_behaviour=2),)})
    d = decide(rs, case(in_situ, family_policy()))
    assert d.outcome is Outcome.DECLINE and d.waivers == ()
