"""The claims workflow's pure rules (issue 17 item 2): who receives a death benefit and in what share, the money
split to the fen, what 二次核保 means for a claim, the grace-period premium deduction, the one-time notice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jiabao.claims.engine import load_rules
from jiabao.claims.engine.workflow import (
    Basis,
    Deduction,
    DueInstalment,
    Kin,
    Named,
    Relative,
    ReunderwritingEffect,
    grace_premiums,
    kin,
    net_of,
    recipients,
    request_notice,
    reunderwriting_effect,
    split,
)

D = Decimal
SPOUSE = Relative(2, "李娜", Kin.SPOUSE, True)
CHILD = Relative(3, "张小宝", Kin.CHILD, True)
FATHER = Relative(4, "张建国", Kin.PARENT, True)
SISTER = Relative(5, "张丽", Kin.SIBLING, True)
GRANDMA = Relative(6, "王秀英", Kin.GRANDPARENT, True)


def test_no_designation_pays_the_first_order_heirs_in_equal_shares() -> None:
    """Insurance Law art. 42 (no beneficiary: the estate), Civil Code art. 1127 (first order: spouse, children,
    parents; the second order inherits only when there is none) and art. 1130 (equal shares)."""
    found = recipients([], [SPOUSE, CHILD, FATHER, SISTER, GRANDMA], legal_heirs=True)
    assert [(r.name, r.basis, r.share) for r in found] == [
        ("李娜", Basis.HEIR_FIRST, D("33.333334")),
        ("张小宝", Basis.HEIR_FIRST, D("33.333333")),
        ("张建国", Basis.HEIR_FIRST, D("33.333333")),
    ]
    # 300,000 three ways: 300,000 × 33.333334% = 100,000.002 → 100,000.00; × 33.333333% = 99,999.999 → 100,000.00
    assert split(D("300000.00"), [r.share for r in found]) == [D("100000.00")] * 3


def test_second_order_heirs_only_when_no_first_order_heir_survives() -> None:
    """Civil Code art. 1127 para. 2: the second order (siblings, grandparents) inherits only without a first-order
    heir; a relative who died before the insured inherits nothing."""
    dead = [Relative(2, "李娜", Kin.SPOUSE, False), Relative(4, "张建国", Kin.PARENT, False)]
    found = recipients([], [*dead, SISTER, GRANDMA], legal_heirs=True)
    assert [(r.name, r.basis, r.share) for r in found] == [
        ("张丽", Basis.HEIR_SECOND, D("50")),
        ("王秀英", Basis.HEIR_SECOND, D("50")),
    ]


def test_named_beneficiaries_take_their_shares_and_a_predeceased_share_goes_to_the_same_order() -> None:
    """Insurance Law art. 40 (order and shares); SPC Interp. III art. 12: a predeceased beneficiary's share goes to
    the others of the same order in proportion; with nobody left in that order, to the next order."""
    named = [Named("李娜", 1, D("60")), Named("张小宝", 1, D("40")), Named("张建国", 2, D("100"))]
    everyone = [SPOUSE, CHILD, FATHER]
    assert [(r.name, r.share) for r in recipients(named, everyone, legal_heirs=False)] == [
        ("李娜", D("60")),
        ("张小宝", D("40")),
    ]
    spouse_dead = [Relative(2, "李娜", Kin.SPOUSE, False), CHILD, FATHER]
    assert [(r.name, r.share) for r in recipients(named, spouse_dead, legal_heirs=False)] == [("张小宝", D("100"))]
    first_order_dead = [Relative(2, "李娜", Kin.SPOUSE, False), Relative(3, "张小宝", Kin.CHILD, False), FATHER]
    assert [(r.name, r.basis) for r in recipients(named, first_order_dead, legal_heirs=False)] == [
        ("张建国", Basis.NAMED)
    ]


def test_every_named_beneficiary_dead_means_the_legal_heirs() -> None:
    """Insurance Law art. 42 para. 1 (2): the beneficiary died first and there is no other — the estate."""
    named = [Named("李娜", 1, D("100"))]
    found = recipients(named, [Relative(2, "李娜", Kin.SPOUSE, False), CHILD, FATHER], legal_heirs=False)
    assert [(r.name, r.basis) for r in found] == [("张小宝", Basis.HEIR_FIRST), ("张建国", Basis.HEIR_FIRST)]


def test_split_adds_up_to_the_amount_to_the_fen() -> None:
    parts = split(D("1000.00"), [D("33.34"), D("33.33"), D("33.33")])
    assert parts == [D("333.40"), D("333.30"), D("333.30")] and sum(parts) == D("1000.00")
    odd = split(D("100.01"), [D("50"), D("50")])
    assert sum(odd) == D("100.01")


def test_relationships_to_the_head_are_read_from_the_deceased() -> None:
    """Household relationships are to the head; the heirs are the deceased's own kin."""
    assert kin("self", "spouse") is Kin.SPOUSE and kin("spouse", "self") is Kin.SPOUSE
    assert kin("child", "self") is Kin.PARENT and kin("child", "child") is Kin.SIBLING
    assert kin("parent", "self") is Kin.CHILD and kin("parent", "parent") is Kin.SPOUSE
    assert kin("spouse", "parent") is Kin.OTHER  # a parent-in-law is no heir


def test_reunderwriting_effect_by_what_would_have_been_concluded() -> None:
    """Insurance Law art. 16 and SPC Interp. II art. 8: a claim is refused only through rescission, within 2 years;
    a condition that would only have been rated does not affect payment; one that would have been excluded
    withholds the claim it caused (proximate cause, SPC Interp. III art. 25)."""
    htn = ["I10", "I11", "I15"]
    rated = reunderwriting_effect("rated", excluded_icd=[], causal_icd=["I10"], contestable=True)
    assert rated.effect is ReunderwritingEffect.PAY and rated.pays
    excluded_cause = reunderwriting_effect("exclusion", excluded_icd=htn, causal_icd=["I10.x"], contestable=True)
    assert excluded_cause.effect is ReunderwritingEffect.PAY_EXCLUDING and not excluded_cause.pays
    other_cause = reunderwriting_effect("exclusion", excluded_icd=htn, causal_icd=["J06.9"], contestable=True)
    assert other_cause.effect is ReunderwritingEffect.PAY_EXCLUDING and other_cause.pays
    declined = reunderwriting_effect("declined", excluded_icd=htn, causal_icd=["I10"], contestable=True)
    assert declined.effect is ReunderwritingEffect.REFER_RESCISSION and not declined.pays
    late = reunderwriting_effect("declined", excluded_icd=htn, causal_icd=["I10"], contestable=False)
    assert late.effect is ReunderwritingEffect.PAY and late.pays  # incontestable after 2 years


def test_grace_premium_due_before_the_event_is_deducted_never_below_zero() -> None:
    """Insurance Law art. 36 and the contract terms: an event in the grace period is covered; the premium owed is
    deducted from the benefit. An instalment falling due after the event is not."""
    due = [
        DueInstalment(1, date(2026, 12, 26), D("120.50")),
        DueInstalment(2, date(2027, 1, 26), D("120.50")),
    ]
    taken = grace_premiums(due, event_date=date(2027, 1, 10))
    assert [i.instalment_id for i in taken] == [1]
    deduction = Deduction("grace_premium", D("120.50"), "", "")
    assert net_of(D("800.00"), [deduction]) == D("679.50")
    assert net_of(D("100.00"), [deduction]) == D("0.00")


def test_request_notice_names_every_document_at_once_in_chinese() -> None:
    """Sales Conduct Measures art. 40 / Basic Service Rules 2010 art. 22: everything missing, in one notice."""
    rules = load_rules()
    zh, en = request_notice(rules, ["invoice", "outpatient_record"], claim_no="C202612010001")
    assert "《医疗费用发票》、《门（急）诊病历》" in zh and "一次性告知" in zh and "暂停" in zh
    assert "Medical invoices; Outpatient record" in en
