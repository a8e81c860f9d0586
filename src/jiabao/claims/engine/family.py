"""Family benefits (家庭保障权益): the joint spouse CI benefit and the whole-family premium waiver.

Joint spouse benefit (夫妻同心金), paid under a family policy whose product has ``spouse_joint_multiple`` > 0 when
all of these hold:
1. the claimant's severe CI is payable under that policy in this decision;
2. the claimant's spouse (``HouseholdFacts.spouses``) is an insured member of the **same** policy, covered on the
   event date;
3. the spouse has had no severe CI before — none paid under this policy and none recorded in the household
   (the benefit goes to the first spouse diagnosed while the other is healthy);
4. the benefit was not paid under this policy before (once per policy).
Amount: ``spouse_joint_multiple`` × the claimant's sum assured.

Premium waiver (一人出险全家豁免): once a severe CI of the claimant is payable, every household policy qualifies
that is in force on the diagnosis date, still has premiums to fall due, is not already waived, and either
- covers the claimant and has the family waiver (``family.family_waiver``: all members' premiums) or the own
  waiver (``premium_waiver`` benefit), or
- has the claimant as policyholder and its product is listed in the rule set's ``policyholder_waiver_products``.
A waiver subject to the waiting period does not apply if the diagnosis falls in that policy's waiting period
(counted for the claimant, or from issue for a policyholder waiver), nor if the diagnosis is under an
underwriting exclusion of the claimant on that policy. Premiums due **after the diagnosis date** are waived.
"""

from __future__ import annotations

from jiabao.claims.engine.benefits import Result, line, was_paid
from jiabao.claims.engine.codes import BenefitKind, ReasonCode, Severity, WaiverBasis
from jiabao.claims.engine.context import Ctx, event_day
from jiabao.claims.engine.eligibility import in_waiting_period, not_in_force
from jiabao.claims.engine.facts import ClaimCase, PolicyFacts
from jiabao.claims.engine.icd import matches_any
from jiabao.claims.engine.results import Reason, WaiverGrant
from jiabao.claims.engine.rules import RuleSet
from jiabao.claims.engine.texts import TEXTS, Bi, reason

B, C, S = BenefitKind, ReasonCode, Severity


def _spouse_problem(ctx: Ctx) -> Bi | None:
    household, policy = ctx.case.household, ctx.policy
    spouse = household.spouse_of(ctx.cover.insured_id)
    if spouse is None:
        return Bi("家庭中没有配偶记录", "no spouse on record in the household")
    cover = policy.cover_of(spouse)
    if cover is None:
        return Bi("配偶不是本保单的被保险人", "the spouse is not insured under this policy")
    if not_in_force(policy, cover, event_day(ctx.claim)) is not None:
        return Bi("出险日配偶的保障不在有效期内", "the spouse's cover was not in force on the event date")
    if spouse in household.severe_ci_persons or was_paid(ctx, B.CI_SEVERE, insured_id=spouse):
        return Bi("配偶已先患重度疾病", "the spouse had a severe CI first")
    if any(p.benefit is B.SPOUSE_JOINT for p in policy.paid):
        return Bi("本保单已给付过夫妻同心金", "already paid under this policy")
    return None


def spouse_joint(ctx: Ctx) -> Result:
    """The joint spouse benefit line for one policy, given the claimant's severe CI is payable under it."""
    terms = ctx.policy.product.family
    if terms is None or terms.spouse_joint_multiple <= 0:
        return [], []
    problem = _spouse_problem(ctx)
    if problem is not None:
        return [], [reason(C.SPOUSE_JOINT_NOT_PAYABLE, S.INFO, "spouse_joint", policy_id=ctx.pid, detail=problem)]
    m, sa = terms.spouse_joint_multiple, ctx.cover.sum_assured
    ln = line(ctx, B.SPOUSE_JOINT, m * sa, sa, f"保额¥{sa}×{m}", f"sum assured ¥{sa} × {m}")
    return [ln], [reason(C.SPOUSE_JOINT_PAYABLE, S.INFO, "spouse_joint", policy_id=ctx.pid, benefit=B.SPOUSE_JOINT)]


def _basis(rules: RuleSet, policy: PolicyFacts, person: str) -> WaiverBasis | None:
    product = policy.product
    if policy.cover_of(person) is not None:
        if product.family is not None and product.family.family_waiver:
            return WaiverBasis.FAMILY
        return WaiverBasis.OWN if product.premium_waiver else None
    if policy.policyholder_id == person and product.code in rules.rules.policyholder_waiver_products:
        return WaiverBasis.POLICYHOLDER
    return None


def _qualifies(case: ClaimCase, policy: PolicyFacts, basis: WaiverBasis) -> bool:
    claim, day = case.claim, event_day(case.claim)
    cover = policy.cover_of(claim.insured_id)
    if policy.waived_from is not None or not policy.premiums_remaining or not policy.insureds:
        return False
    if not_in_force(policy, cover or policy.insureds[0], day) is not None:
        return False
    start = cover.start_date if cover is not None else policy.issue_date
    if policy.product.waiver_subject_to_waiting and in_waiting_period(policy, start, day) is not None:
        return False
    excluded = cover is not None and any(
        matches_any(dx.icd10, ex.icd10) for ex in cover.exclusions for dx in claim.diagnoses
    )
    return not excluded


_TEXT = {
    WaiverBasis.FAMILY: Bi(
        "一人确诊，全家豁免：本保单全体被保险人", "whole-family waiver: every member of this policy"
    ),
    WaiverBasis.OWN: Bi("被保险人本人重疾豁免", "the insured's own CI waiver"),
    WaiverBasis.POLICYHOLDER: Bi("投保人重疾豁免", "the policyholder's CI waiver"),
}


def premium_waivers(rules: RuleSet, case: ClaimCase) -> tuple[list[WaiverGrant], list[Reason]]:
    """Every household policy whose premiums are waived by the claimant's severe CI (see the module text)."""
    grants, reasons = [], []
    day = event_day(case.claim)
    source = TEXTS[C.WAIVER_GRANTED][2]
    for policy in case.policies:
        basis = _basis(rules, policy, case.claim.insured_id)
        if basis is None or not _qualifies(case, policy, basis):
            continue
        r = reason(
            C.WAIVER_GRANTED, S.INFO, "premium_waiver", policy_id=policy.policy_id, policy=policy.policy_id, day=day
        )
        grants.append(
            WaiverGrant(
                policy_id=policy.policy_id,
                product_code=policy.product.code,
                basis=basis,
                premiums_due_after=day,
                trigger_insured_id=case.claim.insured_id,
                trigger_claim_id=case.claim.claim_id,
                text_zh=f"{_TEXT[basis].zh}；{r.text_zh}",
                text_en=f"{_TEXT[basis].en}; {r.text_en}",
                source=source,
            )
        )
        reasons.append(r)
    return grants, reasons
