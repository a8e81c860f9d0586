"""AML rules (regulation.md §2.9): CDD triggers and levels, large-value thresholds and their 5-working-day
deadline, suspicious patterns, retention and the no-tipping-off texts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.risk.aml import rules as r
from jiabao.risk.aml.rules import (
    CddEvent,
    CddEventKind,
    CddLevel,
    CddTrigger,
    Direction,
    LargeValueRule,
    Method,
    Party,
    Txn,
)

DAY = date(2026, 11, 23)  # a Monday


def txn(i: int, amount: str, **kw: object) -> Txn:
    return Txn(txn_id=i, person_id=kw.pop("person", 1), on=kw.pop("on", DAY), amount=Decimal(amount), **kw)  # type: ignore[arg-type]


# --- large-value thresholds (PBOC Order 2016 No. 3 art. 5) -------------------------------------------------


def test_cash_threshold_is_50000_single_or_cumulative_in_a_day() -> None:
    assert r.large_value_hits([txn(1, "49999.99", method=Method.CASH)]) == []
    [hit] = r.large_value_hits([txn(1, "30000", method=Method.CASH), txn(2, "20000", method=Method.CASH)])
    assert hit.rule is LargeValueRule.CASH and hit.total == Decimal("50000") and hit.txn_ids == (1, 2)
    # another day does not add up
    assert (
        r.large_value_hits(
            [txn(1, "30000", method=Method.CASH), txn(2, "20000", method=Method.CASH, on=date(2026, 11, 24))]
        )
        == []
    )


def test_natural_person_domestic_transfer_threshold_is_500000() -> None:
    assert r.large_value_hits([txn(1, "499999.99")]) == []
    [hit] = r.large_value_hits([txn(1, "300000"), txn(2, "200000")])
    assert hit.rule is LargeValueRule.NATURAL_DOMESTIC_TRANSFER


def test_cross_border_transfer_threshold_is_200000() -> None:
    assert r.large_value_hits([txn(1, "199999", cross_border=True)]) == []
    [hit] = r.large_value_hits([txn(1, "200000", cross_border=True)])
    assert hit.rule is LargeValueRule.NATURAL_CROSS_BORDER


def test_organisation_transfer_threshold_is_2000000() -> None:
    assert r.large_value_hits([txn(1, "1999999", party=Party.ORGANISATION)]) == []
    [hit] = r.large_value_hits([txn(1, "2000000", party=Party.ORGANISATION)])
    assert hit.rule is LargeValueRule.ORGANISATION_TRANSFER


def test_receipts_and_payments_are_added_up_separately_and_per_person() -> None:
    items = [txn(1, "300000"), txn(2, "300000", direction=Direction.OUT), txn(3, "300000", person=2)]
    assert r.large_value_hits(items) == []


def test_large_value_report_due_within_5_working_days() -> None:
    # Monday 23 Nov 2026 → the following Monday (day 0 not counted, Civil Code art. 201)
    assert r.report_due(DAY) == date(2026, 11, 30)
    [hit] = r.large_value_hits([txn(1, "600000")])
    assert hit.due_on == date(2026, 11, 30)


def test_report_deadline_skips_national_day_and_counts_the_make_up_saturday() -> None:
    # Wed 30 Sep 2026: 1–7 Oct are holidays; 8, 9, Sat 10 (调休 working day), 12, 13 Oct
    assert r.report_due(date(2026, 9, 30)) == date(2026, 10, 13)
    assert r.report_due(date(2026, 9, 28)) == date(2026, 10, 10)


def test_suspicious_report_due_5_working_days_after_confirmation_not_the_repealed_10() -> None:
    assert r.suspicious_report_due(DAY) == date(2026, 11, 30)
    assert r.REPORT_WORKING_DAYS == 5


def test_on_time() -> None:
    due = date(2026, 11, 30)
    assert r.on_time(due, date(2026, 11, 30), date(2026, 12, 1)) is True
    assert r.on_time(due, date(2026, 12, 1), date(2026, 12, 1)) is False
    assert r.on_time(due, None, date(2026, 11, 30)) is None
    assert r.on_time(due, None, date(2026, 12, 1)) is False


# --- customer due diligence (2007 CDD measures; AML Law 2024 arts. 28–31) ----------------------------------


def test_life_cash_premium_per_insured_of_20000_triggers_cdd() -> None:
    low = r.cdd_for(
        CddEvent(CddEventKind.NEW_POLICY, 1, Decimal("19999"), Method.CASH, premium_per_insured=Decimal("19999"))
    )
    assert low.level is CddLevel.SIMPLIFIED and low.triggers == ()
    hit = r.cdd_for(
        CddEvent(CddEventKind.NEW_POLICY, 1, Decimal("40000"), Method.CASH, premium_per_insured=Decimal("20000"))
    )
    assert hit.level is CddLevel.STANDARD and hit.triggers == (CddTrigger.LIFE_CASH_PREMIUM,)
    assert "id_copies" in hit.required and "relationships" in hit.required


def test_transfer_premium_of_200000_triggers_cdd() -> None:
    assert r.cdd_for(CddEvent(CddEventKind.NEW_POLICY, 1, Decimal("199999"))).level is CddLevel.SIMPLIFIED
    assert r.cdd_for(CddEvent(CddEventKind.NEW_POLICY, 1, Decimal("200000"))).triggers == (CddTrigger.TRANSFER_PREMIUM,)


def test_surrenders_and_claims_of_10000_need_payee_identity() -> None:
    for kind in (CddEventKind.SURRENDER, CddEventKind.CLAIM):
        assert r.cdd_for(CddEvent(kind, 1, Decimal("9999.99"))).level is CddLevel.SIMPLIFIED
        result = r.cdd_for(CddEvent(kind, 1, Decimal("10000")))
        assert result.triggers == (CddTrigger.SURRENDER_OR_CLAIM,) and result.required == ("payee_identity",)


def test_beneficiary_who_is_not_the_customer_is_identified_and_verified() -> None:
    result = r.cdd_for(CddEvent(CddEventKind.BENEFICIARY_CHANGE, 1, beneficiaries_not_customer=1))
    assert result.triggers == (CddTrigger.BENEFICIARY_NOT_CUSTOMER,) and "beneficiary_identity" in result.required


def test_organisation_needs_beneficial_owner_and_high_risk_is_enhanced() -> None:
    org = r.cdd_for(CddEvent(CddEventKind.NEW_POLICY, 1, Decimal("100"), organisation=True))
    assert org.triggers == (CddTrigger.BENEFICIAL_OWNER,) and "beneficial_owner" in org.required
    high = r.cdd_for(CddEvent(CddEventKind.NEW_POLICY, 1, Decimal("100"), high_risk=True))
    assert high.level is CddLevel.ENHANCED and "source_of_funds" in high.required


# --- suspicious patterns ---------------------------------------------------------------------------------


def policy(
    pid: int, issued: date, *, single: bool = True, paid: str = "250000", ended: date | None = None
) -> r.PolicyHistory:
    return r.PolicyHistory(pid, issued, single, Decimal(paid), ended)


def test_early_surrender_after_large_single_premium() -> None:
    h = r.CustomerHistory(1, policies=(policy(1, date(2026, 1, 5), ended=date(2026, 11, 1)),))
    [hit] = r.suspicious_hits(h)
    assert hit.rule is r.SuspiciousRule.EARLY_SURRENDER_LARGE_SINGLE and hit.on == date(2026, 11, 1)
    # not early, not single, or not large: nothing
    assert (
        r.suspicious_hits(r.CustomerHistory(1, policies=(policy(1, date(2025, 1, 5), ended=date(2026, 11, 1)),))) == []
    )
    assert (
        r.suspicious_hits(
            r.CustomerHistory(1, policies=(policy(1, date(2026, 1, 5), single=False, ended=date(2026, 11, 1)),))
        )
        == []
    )
    assert (
        r.suspicious_hits(
            r.CustomerHistory(1, policies=(policy(1, date(2026, 1, 5), paid="199999", ended=date(2026, 11, 1)),))
        )
        == []
    )


def test_frequent_changes_of_policyholder_or_beneficiary() -> None:
    three = (
        r.Change(1, date(2026, 1, 1), "beneficiary"),
        r.Change(1, date(2026, 5, 1), "policyholder"),
        r.Change(2, date(2026, 12, 1), "beneficiary"),
    )
    [hit] = r.suspicious_hits(r.CustomerHistory(1, changes=three))
    assert hit.rule is r.SuspiciousRule.FREQUENT_CHANGES and hit.policy_ids == (1, 2)
    spread = (
        r.Change(1, date(2024, 1, 1), "beneficiary"),
        r.Change(1, date(2025, 1, 2), "beneficiary"),
        r.Change(1, date(2026, 1, 3), "beneficiary"),
    )
    assert r.suspicious_hits(r.CustomerHistory(1, changes=spread)) == []


def test_third_party_payer() -> None:
    own = r.PremiumPayment(1, 10, DAY, Decimal("100"), payer_person_id=1, policyholder_person_id=1)
    other = r.PremiumPayment(2, 10, DAY, Decimal("100"), payer_person_id=7, policyholder_person_id=1)
    [hit] = r.suspicious_hits(r.CustomerHistory(1, payments=(own, other)))
    assert hit.rule is r.SuspiciousRule.THIRD_PARTY_PAYER and hit.evidence["payment_id"] == "2"


def test_scattered_buying_then_scattered_surrender() -> None:
    bought = (
        policy(1, date(2026, 1, 1), paid="20000", ended=date(2026, 5, 1)),
        policy(2, date(2026, 2, 1), paid="20000"),
        policy(3, date(2026, 3, 1), paid="20000", ended=date(2026, 6, 1)),
    )
    [hit] = r.suspicious_hits(r.CustomerHistory(1, policies=bought))
    assert hit.rule is r.SuspiciousRule.SCATTERED_BUY_SURRENDER and hit.amount == Decimal("60000")
    one_surrender = tuple(p if p.policy_id != 3 else policy(3, date(2026, 3, 1), paid="20000") for p in bought)
    assert r.suspicious_hits(r.CustomerHistory(1, policies=one_surrender)) == []


# --- retention and tipping off -------------------------------------------------------------------------


def test_retention_is_10_years() -> None:
    assert r.retain_until(date(2026, 11, 26)) == date(2036, 11, 26)
    assert r.retain_until(date(2028, 2, 29)) == date(2038, 2, 28)
    assert not r.may_purge(date(2036, 11, 26), date(2036, 11, 26))
    assert r.may_purge(date(2036, 11, 26), date(2036, 11, 27))


@pytest.mark.parametrize("kind", sorted(r.CUSTOMER_NOTICES))
def test_customer_notices_do_not_tip_off(kind: str) -> None:
    """AML Law 2024 art. 35: nothing a customer reads reveals monitoring, a report or a risk finding."""
    zh, en = r.customer_notice(kind)
    assert zh and en and not r.tips_off(zh) and not r.tips_off(en)


def test_tipping_off_detector_catches_the_words() -> None:
    assert r.tips_off("您的交易涉嫌洗钱，已上报")
    assert r.tips_off("We filed a suspicious transaction report")
    assert not r.tips_off("请提供有效身份证件")
