"""Outcomes: CI advance payment, referral, decline with its notice, explanations and complexity."""

from __future__ import annotations

from datetime import date
from typing import Any

from jiabao.claims.engine import (
    CiFacts,
    Claim,
    ClaimType,
    Complexity,
    Diagnosis,
    Outcome,
    ReasonCode,
    RuleSet,
    Severity,
    decide,
)
from tests.claims.engine.builders import EVENT, D, all_documents, case, claim, cover, policy

R = ReasonCode


def cancer(documents: tuple[str, ...] | None = None, **kw: Any) -> Claim:
    return claim(
        ClaimType.CI_DIAGNOSIS,
        diagnoses=(Diagnosis(icd10="C34.1", icd_o3_behaviour=3, **kw),),
        ci=CiFacts(disease="cancer", diagnosed_on=EVENT),
        documents=documents if documents is not None else all_documents(),
    )


def test_advance_payment_does_not_wait_for_bills(rs: RuleSet) -> None:
    docs = tuple(d for d in all_documents() if d not in {"invoice", "expense_list", "discharge_summary"})
    d = decide(rs, case(cancer(docs), policy("P1", "ltc_ci_wholelife", cover("dad", 400000))))
    assert d.outcome is Outcome.CI_ADVANCE_PAYMENT and d.advance_total == D("400000.00")
    # documents still to come pause the clock (SPC Interp. II art. 15); they do not make the claim complex
    assert R.DOCUMENTS_MISSING in d.codes() and d.complexity is Complexity.ORDINARY
    assert "先行赔付¥400000.00" in d.explanation_zh and "Insurance Law art. 25" in d.explanation_en


def test_no_advance_without_the_pathology_report(rs: RuleSet) -> None:
    docs = tuple(d for d in all_documents() if d != "pathology_report")
    d = decide(rs, case(cancer(docs), policy("P1", "ltc_ci_wholelife", cover("dad", 400000))))
    assert d.outcome is Outcome.REFER and d.advance_total == 0 and "pathology_report" in d.missing_documents


def test_advance_only_on_policies_without_open_questions(rs: RuleSet) -> None:
    c = cancer(first_diagnosed_on=date(2025, 3, 1))  # first diagnosed before P2 started, not disclosed on P2
    p1 = policy("P1", "ltc_ci_wholelife", cover("dad", 400000, disclosed=("C34",)))
    p2 = policy("P2", "family_ci", cover("dad", 300000, start=date(2025, 4, 1)), issue_date=date(2025, 4, 1))
    # P2 also has its waiting period: issued 1 Apr 2025, 90 days → the 9 Jun diagnosis is rejected there
    d = decide(rs, case(c, p1, p2))
    assert d.outcome is Outcome.CI_ADVANCE_PAYMENT
    assert [(ln.policy_id, ln.advance) for ln in d.lines] == [("P1", True)]
    assert {r.code for r in d.reasons if r.policy_id == "P2"} >= {R.WAITING_PERIOD, R.UNDISCLOSED_PRE_EXISTING}


def test_refer_blocks_the_advance_on_the_same_policy(rs: RuleSet) -> None:
    c = cancer(first_diagnosed_on=date(2023, 6, 1))  # before cover, not disclosed, within 2 years
    d = decide(rs, case(c, policy("P1", "ltc_ci_wholelife", cover("dad", 400000))))
    assert d.outcome is Outcome.REFER and d.total == D("400000.00") and d.advance_total == 0


def test_decline_carries_reasons_and_notice(rs: RuleSet) -> None:
    c = cancer().model_copy(update={"diagnoses": (Diagnosis(icd10="D05.1", icd_o3_behaviour=2),)})
    d = decide(rs, case(c, policy("P1", "family_ci", cover("dad", 300000))))
    assert d.outcome is Outcome.DECLINE and d.total == 0
    notice = d.rejection_notice
    assert notice is not None and notice.policy_ids == ()
    assert all(r.severity is Severity.REJECT for r in notice.reasons)
    assert "拒绝赔付通知书" in notice.text_zh and "第二十四条" in notice.text_zh and "人工复核" in notice.text_zh
    assert "Insurance Law art. 24" in notice.text_en and "PIPL art. 24" in notice.text_en
    assert "不符合赔付条件" in d.explanation_zh


def test_no_policy_covers_the_claim(rs: RuleSet) -> None:
    d = decide(rs, case(cancer(), policy("P1", "whole_life", cover("dad", 500000))))
    assert d.outcome is Outcome.DECLINE and R.NO_BENEFIT_PAYABLE in d.codes()


def test_every_reason_is_kept_and_structured(rs: RuleSet) -> None:
    d = decide(rs, case(cancer(), policy("P1", "family_ci", cover("dad", 300000))))
    assert d.codes()[:1] == (R.CI_SEVERE_MET,)
    for r in d.reasons:
        assert r.text_zh and r.text_en and r.rule and r.source


def test_complex_only_for_a_stated_reason(rs: RuleSet) -> None:
    """Insurance Law art. 23 / Basic Service Rules 2010 art. 23: 5 working days unless the case is complex, and
    a complex case names why (here the fraud score asks for an investigation)."""
    plain = decide(rs, case(cancer(), policy("P1", "ltc_ci_wholelife", cover("dad", 400000))))
    assert plain.complexity is Complexity.ORDINARY and plain.complexity_reasons == ()
    risky = decide(
        rs,
        case(cancer().model_copy(update={"risk_score": 0.9}), policy("P1", "ltc_ci_wholelife", cover("dad", 400000))),
    )
    assert risky.complexity is Complexity.COMPLEX
    assert [r.code for r in risky.complexity_reasons] == [R.HIGH_RISK]
