"""Eligibility checks: in force, waiting period, exclusions, suicide, disclosure."""

from __future__ import annotations

from datetime import date
from typing import Any

from jiabao.claims.engine import (
    BenefitKind,
    Cause,
    CiFacts,
    Circumstance,
    Claim,
    ClaimCase,
    ClaimType,
    Diagnosis,
    Exclusion,
    Outcome,
    ReasonCode,
    RuleSet,
    Severity,
    StatusEvent,
    StatusKind,
    decide,
)
from jiabao.policies.rules.billing import reinstatement_deadline
from jiabao.policies.rules.periods import within_years
from tests.claims.engine.builders import ISSUE, D, case, claim, cover, policy

R = ReasonCode
CANCER = Diagnosis(icd10="C50.9", icd_o3_behaviour=3)


def ci_claim(event: date = date(2025, 6, 9), **kw: Any) -> Claim:
    facts = CiFacts(disease="cancer", diagnosed_on=event)
    kw.setdefault("diagnoses", (CANCER,))
    return claim(ClaimType.CI_DIAGNOSIS, event=event, ci=facts, **kw)


def ci_case(
    event: date = date(2025, 6, 9), *, as_of: date | None = None, claim_kw: dict[str, Any] | None = None, **pol: Any
) -> ClaimCase:
    c = ci_claim(event, **(claim_kw or {}))
    p = policy("P1", "family_ci", cover("dad", 300000, **pol.pop("cover_kw", {})), **pol)
    return case(c, p, as_of=as_of or max(event, date(2025, 6, 20)))


def test_in_force_claim_is_paid(rs: RuleSet) -> None:
    d = decide(rs, ci_case())
    assert R.IN_FORCE in d.codes()
    # severe cancer on family_ci: severe_multiple 1.0 × SA 300,000
    assert d.amount(BenefitKind.CI_SEVERE) == D("300000.00")


def test_event_before_issue_and_after_end(rs: RuleSet) -> None:
    before = decide(rs, ci_case(date(2023, 12, 31)))
    assert before.outcome is Outcome.DECLINE and R.POLICY_NOT_STARTED in before.codes()
    after = decide(rs, ci_case(date(2044, 1, 2), as_of=date(2044, 1, 10)))
    assert R.POLICY_ENDED in after.codes()


def test_suspended_then_reinstated(rs: RuleSet) -> None:
    history = (StatusEvent(kind=StatusKind.SUSPENDED, on=date(2025, 3, 1)),)
    suspended = decide(rs, ci_case(status_history=history))
    assert R.POLICY_SUSPENDED in suspended.codes() and suspended.outcome is Outcome.DECLINE
    assert suspended.rejection_notice is not None and "P1" in suspended.rejection_notice.policy_ids
    reinstated = (*history, StatusEvent(kind=StatusKind.REINSTATED, on=date(2025, 4, 1)))
    # reinstated 1 Apr: the 90-day waiting period restarts, so a diagnosis on 9 Jun (69 days later) is inside it
    d = decide(rs, ci_case(status_history=reinstated))
    assert R.WAITING_PERIOD in d.codes() and d.total == 0


def test_terminated_policy(rs: RuleSet) -> None:
    d = decide(rs, ci_case(status_history=(StatusEvent(kind=StatusKind.TERMINATED, on=date(2025, 1, 1)),)))
    assert R.POLICY_TERMINATED in d.codes()


def test_member_joined_after_event(rs: RuleSet) -> None:
    d = decide(rs, case(ci_claim(), policy("P1", "family_ci", cover("dad", 300000, start=date(2025, 7, 1)))))
    assert R.INSURED_NOT_COVERED in d.codes()


def test_waiting_period_boundary(rs: RuleSet) -> None:
    # 90 days from 1 Jan 2024 (day 0) run to 31 Mar 2024 inclusive (Jan 31 + Feb 29 + Mar 31 = 91 days after 1 Jan
    # would be 1 Apr); so 31 Mar is still inside, 1 Apr is covered.
    inside = decide(rs, ci_case(date(2024, 3, 31)))
    assert R.WAITING_PERIOD in inside.codes()
    assert R.WAITING_REFUND in inside.codes()  # family_ci refunds premiums for a CI in the waiting period
    covered = decide(rs, ci_case(date(2024, 4, 1)))
    assert R.WAITING_PERIOD not in covered.codes() and covered.total == D("300000.00")


def test_accidents_are_exempt_from_waiting(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH, event=date(2024, 1, 10), cause=Cause.ACCIDENT)
    d = decide(rs, case(c, policy("P1", "whole_life", cover("dad", 500000))))
    assert R.WAITING_EXEMPT_ACCIDENT in d.codes()
    assert d.amount(BenefitKind.DEATH) == D("500000.00")


def test_continuous_renewal_has_no_new_waiting_period(rs: RuleSet) -> None:
    d = decide(rs, ci_case(date(2024, 1, 20), continuous_renewal=True))
    assert R.WAITING_PERIOD not in d.codes()


def test_underwriting_exclusion(rs: RuleSet) -> None:
    ex = Exclusion(code="breast", icd10=("C50",), text_zh="乳腺疾病除外", text_en="breast diseases excluded")
    d = decide(rs, ci_case(cover_kw={"exclusions": (ex,)}))
    assert d.outcome is Outcome.DECLINE
    r = next(r for r in d.reasons if r.code is R.UNDERWRITING_EXCLUSION)
    assert "乳腺疾病除外" in r.text_zh and "breast diseases excluded" in r.text_en and r.severity is Severity.REJECT


def test_exclusion_applies_only_when_the_excluded_condition_caused_the_claim(rs: RuleSet) -> None:
    """Proximate cause (近因原则; the clause excludes losses "caused by" the condition; SPC Interp. III art. 25):
    hypertension excluded at underwriting does not void a lung-cancer claim where it is a secondary diagnosis."""
    ex = Exclusion(code="htn", icd10=("I10-I15",), text_zh="高血压及其并发症除外", text_en="hypertension excluded")
    lung = Diagnosis(icd10="C34.1", icd_o3_behaviour=3)
    secondary = Diagnosis(icd10="I10", description="高血压（合并症）")
    d = decide(rs, ci_case(claim_kw={"diagnoses": (lung, secondary)}, cover_kw={"exclusions": (ex,)}))
    assert R.UNDERWRITING_EXCLUSION not in d.codes() and R.EXCLUSION_NOT_CAUSAL in d.codes()
    assert d.amount(BenefitKind.CI_SEVERE) == D("300000.00")  # 1.0 × SA 300,000
    # the same condition marked as the cause (listed second but flagged primary) does exclude the claim
    caused = Diagnosis(icd10="I10", primary=True)
    excluded = decide(rs, ci_case(claim_kw={"diagnoses": (lung, caused)}, cover_kw={"exclusions": (ex,)}))
    assert R.UNDERWRITING_EXCLUSION in excluded.codes() and excluded.total == 0


def _suicide(event: date, **kw: Any) -> ClaimCase:
    c = claim(ClaimType.DEATH, event=event, cause=Cause.SUICIDE, **kw)
    hist = kw.pop("history", ())
    return case(c, policy("P1", "whole_life", cover("dad", 500000), status_history=hist), as_of=event)


def test_suicide_within_two_years_of_issue(rs: RuleSet) -> None:
    d = decide(rs, _suicide(date(2025, 12, 31)))  # issue 1 Jan 2024: two years end on 1 Jan 2026
    assert d.outcome is Outcome.DECLINE and R.SUICIDE_WITHIN_2_YEARS in d.codes()
    assert d.rejection_notice is not None and "第二十四条" in d.rejection_notice.text_zh
    # the anniversary day is still within the 2 years (Civil Code arts. 201–202; Insurance Law art. 44)
    anniversary = decide(rs, _suicide(date(2026, 1, 1)))
    assert R.SUICIDE_WITHIN_2_YEARS in anniversary.codes() and anniversary.total == 0
    later = decide(rs, _suicide(date(2026, 1, 2)))
    assert R.SUICIDE_WITHIN_2_YEARS not in later.codes()
    assert later.amount(BenefitKind.DEATH) == D("500000.00")


def test_two_year_clocks_share_one_reading_on_the_anniversary_day(rs: RuleSet) -> None:
    """Insurance Law arts. 16, 37 and 44 read "2 years from X" alike (one function, Civil Code arts. 201–202):
    on the anniversary day the suicide exclusion still applies, the contract is still contestable and a
    suspended policy can still be reinstated; the day after, none of them."""
    anniversary, after = date(2026, 1, 1), date(2026, 1, 2)
    assert within_years(ISSUE, anniversary) and not within_years(ISSUE, after)
    assert reinstatement_deadline(ISSUE) == anniversary
    dx = Diagnosis(icd10="C50.9", icd_o3_behaviour=3, first_diagnosed_on=date(2023, 6, 1))
    on_day = decide(rs, ci_case(date(2025, 12, 20), as_of=anniversary, claim_kw={"diagnoses": (dx,)}))
    assert R.UNDISCLOSED_PRE_EXISTING in on_day.codes()  # still contestable (art. 16)
    day_after = decide(rs, ci_case(date(2025, 12, 20), as_of=after, claim_kw={"diagnoses": (dx,)}))
    assert R.INCONTESTABLE in day_after.codes()
    # a reinstatement restarts both clocks: contestable again within 2 years of it
    hist = (
        StatusEvent(kind=StatusKind.SUSPENDED, on=date(2025, 3, 1)),
        StatusEvent(kind=StatusKind.REINSTATED, on=date(2025, 5, 1)),
    )
    restarted = decide(
        rs, ci_case(date(2026, 6, 1), as_of=date(2026, 6, 10), claim_kw={"diagnoses": (dx,)}, status_history=hist)
    )
    assert R.UNDISCLOSED_PRE_EXISTING in restarted.codes()


def test_suicide_clock_restarts_at_reinstatement(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH, event=date(2026, 6, 1), cause=Cause.SUICIDE)
    hist = (
        StatusEvent(kind=StatusKind.SUSPENDED, on=date(2025, 3, 1)),
        StatusEvent(kind=StatusKind.REINSTATED, on=date(2025, 5, 1)),
    )
    p = policy("P1", "whole_life", cover("dad", 500000), status_history=hist)
    d = decide(rs, case(c, p, as_of=date(2026, 6, 10)))
    assert R.SUICIDE_WITHIN_2_YEARS in d.codes()  # 2 years from 1 May 2025, not from issue


def test_suicide_without_civil_capacity_is_covered(rs: RuleSet) -> None:
    c = claim(ClaimType.DEATH, event=date(2025, 6, 1), cause=Cause.SUICIDE, lacked_civil_capacity=True)
    d = decide(rs, case(c, policy("P1", "whole_life", cover("dad", 500000))))
    assert R.SUICIDE_NO_CAPACITY in d.codes() and d.amount(BenefitKind.DEATH) == D("500000.00")


def test_self_injury_excluded(rs: RuleSet) -> None:
    d = decide(rs, ci_case(claim_kw={"cause": Cause.SELF_INJURY}))
    assert R.SELF_INJURY in d.codes() and d.outcome is Outcome.DECLINE


def test_standard_exclusions(rs: RuleSet) -> None:
    drunk = decide(rs, ci_case(claim_kw={"circumstances": (Circumstance.DRUNK_DRIVING,)}))
    assert R.STANDARD_EXCLUSION in drunk.codes() and drunk.total == 0
    hiv = ci_case(claim_kw={"diagnoses": (Diagnosis(icd10="B20.1"), CANCER)})
    assert R.STANDARD_EXCLUSION in decide(rs, hiv).codes()
    # HIV as a secondary diagnosis of a cancer claim did not cause it (CI definitions 2020 §3.2: "因……导致")
    secondary = ci_case(claim_kw={"diagnoses": (CANCER, Diagnosis(icd10="B20.1"))})
    assert R.STANDARD_EXCLUSION not in decide(rs, secondary).codes()
    # drunk driving does not exclude the death benefit of a whole-life policy
    c = claim(ClaimType.DEATH, cause=Cause.ACCIDENT, circumstances=(Circumstance.DRUNK_DRIVING,))
    d = decide(rs, case(c, policy("P1", "whole_life", cover("dad", 500000))))
    assert R.STANDARD_EXCLUSION not in d.codes() and d.total == D("500000.00")


def test_undisclosed_pre_existing_within_two_years_is_referred(rs: RuleSet) -> None:
    dx = Diagnosis(icd10="C50.9", icd_o3_behaviour=3, first_diagnosed_on=date(2023, 6, 1))
    d = decide(rs, ci_case(claim_kw={"diagnoses": (dx,)}))
    assert R.UNDISCLOSED_PRE_EXISTING in d.codes() and d.outcome is Outcome.REFER
    disclosed = decide(rs, ci_case(claim_kw={"diagnoses": (dx,)}, cover_kw={"disclosed": ("C50",)}))
    assert R.DISCLOSED_ACCEPTED in disclosed.codes() and R.UNDISCLOSED_PRE_EXISTING not in disclosed.codes()


def test_incontestable_after_two_years(rs: RuleSet) -> None:
    dx = Diagnosis(icd10="C50.9", icd_o3_behaviour=3, first_diagnosed_on=date(2023, 6, 1))
    # decided on 5 Jan 2026, after the second anniversary of the 1 Jan 2024 issue date
    d = decide(rs, ci_case(date(2026, 1, 5), claim_kw={"diagnoses": (dx,)}))
    assert ISSUE.replace(year=2026) <= date(2026, 1, 5)
    assert R.INCONTESTABLE in d.codes() and d.outcome is Outcome.CI_ADVANCE_PAYMENT
