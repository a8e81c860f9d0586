"""Pure rules of issue 17: policy loans and automatic premium loans, reduction, reduced paid-up, occupation
re-rating, rescission (Insurance Law art. 16), misstated age (art. 32), renewal and payout dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.policies.rules import alterations as alt
from jiabao.policies.rules import loans

D = Decimal


def test_loan_interest_accrues_daily_actual_365_first_day_not_counted() -> None:
    """10,000 at 5% from 1 Jan to 1 Jul 2027 (181 days): 10,000 × 0.05 × 181 / 365 = 247.95 (half-up)."""
    assert loans.accrued_interest(D("10000"), D("0.05"), date(2027, 1, 1), date(2027, 7, 1)) == D("247.95")
    assert loans.accrued_interest(D("10000"), D("0.05"), date(2027, 1, 1), date(2027, 1, 1)) == 0


def test_loan_limit_is_a_share_of_the_cash_value_less_the_debt() -> None:
    assert loans.available(D("10000"), D("0")) == D("8000.00")
    assert loans.available(D("10000"), D("7500"), max_share=D("0.8")) == D("500.00")
    assert loans.available(D("10000"), D("9000")) == 0
    with pytest.raises(InvalidInput) as refused:
        loans.check_amount(D("8000.01"), D("10000"), D("0"), max_share=D("0.8"))
    assert refused.value.fields[0].code == "over_limit"


def test_repayment_settles_interest_first_then_principal() -> None:
    paid = loans.repay(loans.Debt(D("1000"), D("30")), D("100"))
    assert (paid.interest_paid, paid.principal_paid, paid.left) == (D("30"), D("70"), loans.Debt(D("930"), D("0")))
    with pytest.raises(InvalidInput):
        loans.repay(loans.Debt(D("1000"), D("30")), D("1030.01"))


def test_debt_over_the_cash_value_gives_notice_then_lapses_after_30_days() -> None:
    assert loans.loan_state(D("900"), D("1000"), noticed_on=None, on=date(2030, 1, 1)) == "ok"
    assert loans.loan_state(D("1001"), D("1000"), noticed_on=None, on=date(2030, 1, 1)) == "notice"
    assert loans.loan_state(D("1001"), D("1000"), noticed_on=date(2030, 1, 1), on=date(2030, 1, 31)) == "notice"
    assert loans.loan_state(D("1001"), D("1000"), noticed_on=date(2030, 1, 1), on=date(2030, 2, 1)) == "lapse"


def test_automatic_premium_loan_needs_the_opt_in_and_enough_net_cash_value() -> None:
    assert loans.automatic_loan_covers(D("5000"), D("9000"), D("4000"), opted_in=True)
    assert not loans.automatic_loan_covers(D("5000"), D("9000"), D("4000.01"), opted_in=True)
    assert not loans.automatic_loan_covers(D("5000"), D("90000"), D("0"), opted_in=False)


def test_benefits_settle_the_loan_first() -> None:
    assert loans.deduct(D("300000"), D("7745.94")) == loans.Deduction(D("300000"), D("7745.94"), D("292254.06"))
    assert loans.deduct(D("1000"), D("5000")).paid == 0


def test_reduction_pays_the_cash_value_of_the_reduced_part() -> None:
    """减保 300,000 → 200,000: a third of the cash value 9,000 is paid; the premium falls by a third."""
    r = alt.reduce_sum_assured(
        old=D("300000"), new=D("200000"), cash_value=D("9000"), annual_premium=D("6000"), minimum=D("10000"),
        step=D("1000"),
    )  # fmt: skip
    assert (r.payout, r.new_annual_premium, r.ratio) == (D("3000.00"), D("4000.00"), D("0.333333"))
    with pytest.raises(InvalidInput):
        alt.reduce_sum_assured(
            old=D("300000"), new=D("5000"), cash_value=D("9000"), annual_premium=D("6000"), minimum=D("10000"),
            step=D("1000"),
        )  # fmt: skip


def test_paid_up_sum_assured_is_what_the_cash_value_buys() -> None:
    assert alt.paid_up_sum_assured(D("3652.13"), D("0.1523"), unit=D(1)) == D("23979")
    with pytest.raises(InvalidInput):
        alt.paid_up_sum_assured(D("0"), D("0.15"), unit=D(1))


def test_occupation_rerating_settles_the_rest_of_the_paid_period_by_the_day() -> None:
    """Class 1 → 3 (×1.9) with 346 of 366 days left: 450 × 0.9 × 346/366 = 382.87 due (art. 52); back to class 1
    refunds the same share (art. 53, 按日计算)."""
    up = alt.rerate_occupation(
        annual_premium=D("450"), old_factor=D("1.0"), new_factor=D("1.9"), paid_to=date(2033, 2, 10),
        on=date(2032, 3, 1), paid_period_days=366, paid_amount=D("450"),
    )  # fmt: skip
    assert (up.new_annual_premium, up.adjustment, up.increased) == (D("855.00"), D("382.87"), True)
    down = alt.rerate_occupation(
        annual_premium=D("855"), old_factor=D("1.9"), new_factor=D("1.0"), paid_to=date(2033, 2, 10),
        on=date(2032, 3, 1), paid_period_days=366, paid_amount=D("855"),
    )  # fmt: skip
    assert down.new_annual_premium == D("450.00") and down.adjustment == D("-382.87")


def test_rescission_window_art_16() -> None:
    """Within 30 days of learning the cause (first day not counted) and not more than 2 years after formation."""
    formed = date(2026, 11, 26)
    assert alt.rescission_window(formed_on=formed, learned_on=date(2027, 1, 1), on=date(2027, 1, 31)).allowed
    assert alt.rescission_window(formed_on=formed, learned_on=date(2027, 1, 1), on=date(2027, 2, 1)).reason == (
        "thirty_days_passed"
    )
    assert alt.rescission_window(formed_on=formed, learned_on=date(2028, 11, 20), on=date(2028, 11, 26)).allowed
    late = alt.rescission_window(formed_on=formed, learned_on=date(2028, 11, 20), on=date(2028, 11, 27))
    assert (late.allowed, late.reason) == (False, "incontestable")
    assert alt.rescission_refund(D("13554"), intentional=False) == D("13554.00")
    assert alt.rescission_refund(D("13554"), intentional=True) == 0


def test_misstated_age_art_32() -> None:
    common = {"min_age": 0, "max_age": 60, "formed_on": date(2026, 11, 26), "on": date(2027, 6, 1),
              "sum_assured": D("300000"), "stated_premium": D("6000"), "years_paid": D(1)}  # fmt: skip
    extra = alt.correct_age(true_age=43, true_premium=D("6600"), proportional=False, **common)
    assert (extra.outcome, extra.amount, extra.new_annual_premium) == ("extra_premium", D("600.00"), D("6600"))
    scaled = alt.correct_age(true_age=43, true_premium=D("6600"), proportional=True, **common)
    assert (scaled.outcome, scaled.new_sum_assured) == ("proportional_cover", D("272727.27"))
    refund = alt.correct_age(true_age=37, true_premium=D("5500"), proportional=False, **common)
    assert (refund.outcome, refund.amount) == ("refund", D("500.00"))
    assert alt.correct_age(true_age=66, true_premium=None, proportional=False, **common).outcome == "rescind"
    with pytest.raises(InvalidInput):
        alt.correct_age(true_age=66, true_premium=None, proportional=False, **(common | {"on": date(2028, 12, 1)}))


def test_guaranteed_renewal_is_never_refused_for_claims() -> None:
    """Health Insurance Measures art. 21: inside the guarantee, renewal whatever the claims (or the sale)."""
    guaranteed = alt.renewal_decision(
        attained_age=50, max_renewal_age=100, guaranteed_until=date(2046, 11, 26), renewal_date=date(2030, 11, 26),
        on_sale=False, claims_made=3,
    )  # fmt: skip
    assert (guaranteed.renew, guaranteed.guaranteed) == (True, True)
    closed = alt.renewal_decision(
        attained_age=50, max_renewal_age=65, guaranteed_until=None, renewal_date=date(2030, 11, 26), on_sale=False,
        claims_made=0,
    )  # fmt: skip
    assert (closed.renew, closed.reason) == (False, "product_closed")
    assert not alt.renewal_decision(
        attained_age=66, max_renewal_age=65, guaranteed_until=None, renewal_date=date(2030, 11, 26), on_sale=True,
        claims_made=0,
    ).renew  # fmt: skip


def test_annuity_dates_and_survival_proof() -> None:
    """Issued at 55 on 26 Nov 2026, paying from 60: 26 Nov 2031, 2032, …; a proof holds for a year."""
    dates = alt.payout_dates(
        effective=date(2026, 11, 26), issue_age=55, from_age=60, to_age=106, cover_end=None, through=date(2033, 1, 1)
    )
    assert dates == [date(2031, 11, 26), date(2032, 11, 26)]
    assert alt.survival_proven(date(2030, 11, 26), date(2031, 11, 26))
    assert not alt.survival_proven(date(2030, 11, 25), date(2031, 11, 26))
    assert not alt.survival_proven(None, date(2031, 11, 26))
