"""Medical reimbursement: deductible (own and household-shared), ratios, limits, items not covered, several
policies in the insured's order, duplicate invoices, and small-claim fast pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jiabao.claims.engine import (
    BenefitKind,
    BillItem,
    Claim,
    ClaimType,
    Outcome,
    ReasonCode,
    RuleSet,
    decide,
)
from jiabao.claims.engine.rules import MedicalScheme
from tests.claims.engine.builders import CLINIC, D, case, claim, cover, household, policy

R = ReasonCode


def bill(amount: str, si: str = "0", *, covered: bool = True, invoice: str = "INV-1") -> BillItem:
    return BillItem(code="X", amount=D(amount), social_insurance_paid=D(si), covered=covered, invoice_number=invoice)


def test_small_outpatient_claim_for_a_child_is_paid_straight_through(rs: RuleSet) -> None:
    items = (bill("600", invoice="A1"), bill("200", covered=False, invoice="A1"))
    c = claim(ClaimType.OUTPATIENT, insured="kid", bill_items=items, insured_is_minor=True)
    d = decide(rs, case(c, policy("P1", CLINIC, cover("kid", 20000))))
    # covered 600 (no social insurance settlement → 80%); the 200 of uncovered items is left out: 600 × 0.8 = 480
    assert d.outcome is Outcome.APPROVE_STRAIGHT_THROUGH
    assert d.total == D("480.00")
    assert R.MEDICAL_ITEMS_NOT_COVERED in d.codes()
    assert d.complexity.value == "ordinary" and d.rejection_notice is None
    assert "480" in d.explanation_zh and "480" in d.explanation_en


def _inpatient(**kw: Any) -> Claim:
    items = (bill("30000", "12000"), bill("1000", covered=False))
    return claim(ClaimType.INPATIENT, bill_items=items, social_insurance_settled=True, **kw)


def test_million_medical_deductible_and_fast_pay_limit(rs: RuleSet) -> None:
    d = decide(rs, case(_inpatient(), policy("P1", "medical_million", cover("dad", 2000000))))
    # out of pocket 30,000 − 12,000 = 18,000; deductible 10,000; settled via social insurance → 100%: 8,000
    line = d.lines[0]
    assert (line.amount, line.deductible_applied, line.basis) == (D("8000.00"), D("10000.00"), D("18000.00"))
    assert d.outcome is Outcome.REFER and R.ABOVE_FAST_PAY_LIMIT in d.codes()


def test_ratio_without_social_insurance(rs: RuleSet) -> None:
    c = claim(ClaimType.INPATIENT, bill_items=(bill("30000"),))
    d = decide(rs, case(c, policy("P1", "medical_million", cover("dad", 2000000))))
    # (30,000 − 10,000) × 60% = 12,000
    assert d.total == D("12000.00")


def test_household_shared_deductible(rs: RuleSet) -> None:
    shared = rs.model_copy(
        update={
            "rules": rs.rules.model_copy(
                update={"medical": {"medical_million": MedicalScheme(deductible_scope="household")}}
            )
        }
    )
    hh = household(shared_deductible_used={"medical_million": D("7000")})
    p = policy("P1", "medical_million", cover("dad", 2000000, deductible_used=D("0")))
    d = decide(shared, case(_inpatient(), p, hh=hh))
    # the household already used 7,000 of the shared 10,000: 3,000 left; 18,000 − 3,000 = 15,000 at 100%
    assert d.lines[0].deductible_applied == D("3000.00") and d.total == D("15000.00")
    assert "家庭共享" in next(r for r in d.reasons if r.code is R.MEDICAL_DEDUCTIBLE).text_zh
    # the shipped rule set keeps the deductible per insured: the household's use does not count
    assert decide(rs, case(_inpatient(), p, hh=hh)).total == D("8000.00")


def test_annual_limit(rs: RuleSet) -> None:
    c = claim(ClaimType.OUTPATIENT, bill_items=(bill("1000"),))
    d = decide(rs, case(c, policy("P1", CLINIC, cover("dad", 20000, medical_paid=D("19800")))))
    # 1,000 × 80% = 800, but only 20,000 − 19,800 = 200 of the annual limit is left
    assert d.total == D("200.00") and R.MEDICAL_ANNUAL_LIMIT in d.codes()


def test_one_claim_paid_from_every_policy_in_the_insured_order(rs: RuleSet) -> None:
    c = claim(ClaimType.INPATIENT, bill_items=(bill("30000"),))
    clinic = policy("P1", CLINIC, cover("dad", 20000))
    million = policy("P2", "medical_million", cover("dad", 2000000))
    d = decide(rs, case(c, clinic, million))
    # P1: 30,000 × 80% = 24,000 → capped at its 20,000 limit. P2: 30,000 − 20,000 = 10,000 left; the 20,000 paid
    # by P1 offsets P2's 10,000 deductible (rule-set setting); 10,000 × 60% = 6,000. Total 26,000 ≤ 30,000.
    assert [(ln.policy_id, ln.amount) for ln in d.lines] == [("P1", D("20000.00")), ("P2", D("6000.00"))]
    reverse = decide(rs, case(c, million, clinic))
    # P2 first: (30,000 − 10,000) × 60% = 12,000; P1: (30,000 − 12,000) × 80% = 14,400. Total 26,400.
    assert [(ln.policy_id, ln.amount) for ln in reverse.lines] == [("P2", D("12000.00")), ("P1", D("14400.00"))]
    assert R.MEDICAL_PAID_ELSEWHERE in reverse.codes()


def test_indemnity_never_exceeds_the_cost(rs: RuleSet) -> None:
    c = claim(ClaimType.INPATIENT, bill_items=(bill("30000"),), social_insurance_settled=True)
    d = decide(
        rs, case(c, policy("P1", CLINIC, cover("dad", 20000)), policy("P2", "medical_million", cover("dad", 2000000)))
    )
    # P1 pays its 20,000 limit at 100%; P2 pays the 10,000 left (deductible offset by P1's payment): exactly 30,000
    assert d.total == D("30000.00")


def test_duplicate_invoice_is_left_out_and_referred(rs: RuleSet) -> None:
    items = (bill("300", invoice="INV-OLD"), bill("500", invoice="INV-NEW"))
    c = claim(ClaimType.OUTPATIENT, bill_items=items)
    d = decide(rs, case(c, policy("P1", CLINIC, cover("dad", 20000)), hh=household(invoices_claimed=("INV-OLD",))))
    # only INV-NEW counts: 500 × 80% = 400; the claim goes to an adjuster
    assert d.total == D("400.00") and d.outcome is Outcome.REFER
    assert "INV-OLD" in next(r for r in d.reasons if r.code is R.DUPLICATE_INVOICE).text_en


def test_medical_waiting_period_and_accident_exemption(rs: RuleSet) -> None:
    p = policy("P1", CLINIC, cover("dad", 20000), issue_date=date(2025, 6, 1))
    ill = claim(ClaimType.OUTPATIENT, bill_items=(bill("500"),))
    d = decide(rs, case(ill, p))
    assert d.outcome is Outcome.DECLINE and R.WAITING_PERIOD in d.codes() and d.rejection_notice is not None
    hurt = claim(ClaimType.ACCIDENT, bill_items=(bill("500"),))
    assert decide(rs, case(hurt, p)).total == D("400.00")


def test_fast_pay_refused_for_missing_documents_or_high_risk(rs: RuleSet) -> None:
    p = policy("P1", CLINIC, cover("dad", 20000))
    missing = decide(rs, case(claim(ClaimType.OUTPATIENT, bill_items=(bill("500"),), documents=("claim_form",)), p))
    assert missing.outcome is Outcome.REFER and R.DOCUMENTS_MISSING in missing.codes()
    assert "invoice" in missing.missing_documents
    risky = decide(rs, case(claim(ClaimType.OUTPATIENT, bill_items=(bill("500"),), risk_score=0.9), p))
    assert risky.outcome is Outcome.REFER and R.HIGH_RISK in risky.codes()


def test_fast_pay_threshold_is_configurable(rs: RuleSet) -> None:
    p = policy("P1", CLINIC, cover("dad", 20000))
    c = claim(ClaimType.OUTPATIENT, bill_items=(bill("5000"),))  # 5,000 × 80% = 4,000
    assert decide(rs, case(c, p)).outcome is Outcome.REFER
    assert decide(rs, case(c, p, fast_pay_threshold=Decimal("5000"))).outcome is Outcome.APPROVE_STRAIGHT_THROUGH


def test_all_within_deductible_is_a_zero_approval(rs: RuleSet) -> None:
    c = claim(ClaimType.OUTPATIENT, bill_items=(bill("800"),))
    d = decide(rs, case(c, policy("P1", "medical_million", cover("dad", 2000000))))
    assert d.outcome is Outcome.APPROVE_STRAIGHT_THROUGH and d.total == 0
    assert d.lines[0].deductible_applied == D("800.00")  # recorded so the service can count it as used
    assert d.amount(BenefitKind.MEDICAL) == 0
