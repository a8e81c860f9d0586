"""Billing state: grace boundary, suspension, reinstatement window, termination, back premiums with interest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.errors import Conflict, InvalidInput
from jiabao.policies.rules.billing import (
    Payment,
    PolicyStatus,
    back_premiums,
    billing_state,
    grace_end,
    reinstatement_deadline,
    suspension_date,
    suspension_notice_deadline,
)
from jiabao.policies.rules.schedule import Frequency, ModalFactors, premium_schedule

FACTORS = ModalFactors(semi_annual=Decimal("0.52"), quarterly=Decimal("0.262"), monthly=Decimal("0.09"))
# Annual 10,000 for 10 years from 1 Mar 2024: due 1 Mar 2024, 2025, 2026, …
ANNUAL = premium_schedule(
    issue_date=date(2024, 3, 1),
    annual_premium=Decimal("10000"),
    frequency=Frequency.ANNUAL,
    payment_years=10,
    factors=FACTORS,
)
FIRST = [Payment(date(2024, 3, 1), Decimal("10000"))]


def test_grace_and_suspension_dates() -> None:
    # 10 Jan + 60: 21 days to 31 Jan, 28 in Feb (49), 11 Mar = 60.
    assert grace_end(date(2025, 1, 10)) == date(2025, 3, 11)
    assert suspension_date(date(2025, 1, 10)) == date(2025, 3, 12)
    # Leap year: 29 Feb 2024 + 60 = 29 Apr (31 March days, then 29).
    assert grace_end(date(2024, 2, 29)) == date(2024, 4, 29)
    assert reinstatement_deadline(date(2025, 5, 1)) == date(2027, 5, 1)
    assert reinstatement_deadline(date(2024, 2, 29)) == date(2026, 2, 28)


def test_due_date_itself_is_not_overdue() -> None:
    state = billing_state(ANNUAL, FIRST, date(2025, 3, 1))
    assert state.status is PolicyStatus.IN_FORCE
    assert state.overdue_amount == Decimal("0.00")
    assert (state.next_due_date, state.next_due_amount) == (date(2025, 3, 1), Decimal("10000.00"))


def test_day_after_due_is_grace_until_day_60() -> None:
    # 1 Mar 2025 + 60 = 30 Apr (30 days of March after the 1st, 30 of April).
    for as_of in (date(2025, 3, 2), date(2025, 4, 30)):
        state = billing_state(ANNUAL, FIRST, as_of)
        assert state.status is PolicyStatus.IN_GRACE
        assert state.grace_ends_on == date(2025, 4, 30)
        assert state.overdue_amount == Decimal("10000.00")
        assert state.overdue_instalments == (2,)


def test_suspended_the_day_after_grace_ends() -> None:
    state = billing_state(ANNUAL, FIRST, date(2025, 5, 1))
    assert state.status is PolicyStatus.SUSPENDED
    assert state.suspended_on == date(2025, 5, 1)
    assert state.reinstatement_deadline == date(2027, 5, 1)


def test_payment_on_the_last_grace_day_keeps_the_policy_in_force() -> None:
    payments = [*FIRST, Payment(date(2025, 4, 30), Decimal("10000"))]
    state = billing_state(ANNUAL, payments, date(2025, 5, 1))
    assert state.status is PolicyStatus.IN_FORCE
    assert state.next_due_date == date(2026, 3, 1)
    assert state.paid_total == Decimal("20000.00")


def test_late_payment_without_reinstatement_does_not_revive() -> None:
    payments = [*FIRST, Payment(date(2025, 6, 1), Decimal("10000"))]
    state = billing_state(ANNUAL, payments, date(2025, 6, 2))
    assert state.status is PolicyStatus.SUSPENDED


def test_terminated_the_day_after_the_two_year_window() -> None:
    assert billing_state(ANNUAL, FIRST, date(2027, 5, 1)).status is PolicyStatus.SUSPENDED
    state = billing_state(ANNUAL, FIRST, date(2027, 5, 2))
    assert state.status is PolicyStatus.TERMINATED
    assert state.terminated_on == date(2027, 5, 2)
    assert state.next_due_date is None and state.next_due_amount is None


def test_reinstatement_on_the_last_day_of_the_window() -> None:
    # Instalments 2–4 (1 Mar 2025, 2026, 2027) are due by 1 May 2027: 30,000 back premiums.
    payments = [*FIRST, Payment(date(2027, 5, 1), Decimal("30000"))]
    state = billing_state(ANNUAL, payments, date(2027, 5, 1), reinstated_on=[date(2027, 5, 1)])
    assert state.status is PolicyStatus.IN_FORCE
    assert (state.next_due_date, state.next_due_amount) == (date(2028, 3, 1), Decimal("10000.00"))
    later = billing_state(ANNUAL, payments, date(2027, 6, 1), reinstated_on=[date(2027, 5, 1)])
    assert later.status is PolicyStatus.IN_FORCE


def test_reinstatement_a_day_late_is_refused() -> None:
    payments = [*FIRST, Payment(date(2027, 5, 2), Decimal("30000"))]
    with pytest.raises(InvalidInput) as exc:
        billing_state(ANNUAL, payments, date(2027, 5, 3), reinstated_on=[date(2027, 5, 2)])
    assert exc.value.fields[0].code == "no_suspension"


def test_reinstatement_without_back_premiums_is_refused() -> None:
    payments = [*FIRST, Payment(date(2026, 1, 5), Decimal("10000"))]  # 2026's instalment still unpaid
    with pytest.raises(InvalidInput) as exc:
        billing_state(ANNUAL, payments, date(2026, 6, 1), reinstated_on=[date(2026, 3, 2)])
    assert exc.value.fields[0].code == "back_premiums_unpaid"


def test_lapse_again_after_reinstatement() -> None:
    payments = [*FIRST, Payment(date(2025, 9, 1), Decimal("10000"))]
    reinstated = [date(2025, 9, 1)]
    assert billing_state(ANNUAL, payments, date(2026, 3, 15), reinstated_on=reinstated).status is PolicyStatus.IN_GRACE
    # 2026 instalment unpaid: grace to 30 Apr 2026, suspended 1 May 2026.
    state = billing_state(ANNUAL, payments, date(2026, 5, 1), reinstated_on=reinstated)
    assert (state.status, state.suspended_on) == (PolicyStatus.SUSPENDED, date(2026, 5, 1))


def test_monthly_partial_payment_is_applied_oldest_first() -> None:
    # 12,000 × 0.09 = 1,080 a month from 31 Jan 2024; paid 1,080 + 1,080 + 500 = 2,660.
    schedule = premium_schedule(
        issue_date=date(2024, 1, 31),
        annual_premium=Decimal("12000"),
        frequency=Frequency.MONTHLY,
        payment_years=1,
        factors=FACTORS,
    )
    payments = [
        Payment(date(2024, 1, 31), Decimal("1080")),
        Payment(date(2024, 2, 29), Decimal("1080")),
        Payment(date(2024, 3, 31), Decimal("500")),
    ]
    state = billing_state(schedule, payments, date(2024, 4, 15))
    assert state.status is PolicyStatus.IN_GRACE
    assert state.overdue_instalments == (3,)
    assert state.overdue_amount == Decimal("580.00")  # 3 × 1,080 − 2,660
    assert (state.next_due_date, state.next_due_amount) == (date(2024, 3, 31), Decimal("580.00"))
    assert state.grace_ends_on == date(2024, 5, 30)  # 31 Mar + 60: 30 April days, then 30 May


def test_paid_up_policy() -> None:
    schedule = ANNUAL[:1]
    state = billing_state(schedule, FIRST, date(2030, 1, 1))
    assert state.status is PolicyStatus.IN_FORCE
    assert state.paid_up and state.next_due_date is None


def test_bad_inputs() -> None:
    with pytest.raises(InvalidInput):
        billing_state((), FIRST, date(2025, 1, 1))
    with pytest.raises(InvalidInput):
        billing_state(ANNUAL, [Payment(date(2024, 3, 1), Decimal("-1"))], date(2025, 1, 1))
    with pytest.raises(InvalidInput):
        billing_state(tuple(reversed(ANNUAL)), FIRST, date(2025, 1, 1))


def test_back_premiums_with_simple_interest() -> None:
    # Suspended 1 May 2025, reinstated 1 May 2026 at 5%:
    # instalment 2 (1 Mar 2025): 426 days → 10,000 × 0.05 × 426 / 365 = 583.5616… → 583.56
    # instalment 3 (1 Mar 2026): 61 days → 10,000 × 0.05 × 61 / 365 = 83.5616… → 83.56
    quote = back_premiums(
        ANNUAL, FIRST, suspended_on=date(2025, 5, 1), reinstate_on=date(2026, 5, 1), annual_rate=Decimal("0.05")
    )
    assert [(ln.instalment, ln.days, ln.interest) for ln in quote.lines] == [
        (2, 426, Decimal("583.56")),
        (3, 61, Decimal("83.56")),
    ]
    assert (quote.principal, quote.interest, quote.total) == (
        Decimal("20000.00"),
        Decimal("667.12"),
        Decimal("20667.12"),
    )


def test_back_premiums_count_a_partial_payment() -> None:
    payments = [*FIRST, Payment(date(2025, 3, 5), Decimal("4000"))]
    # Instalment 2 outstanding 6,000 for 61 days (1 Mar → 1 May 2025) at 3.65%: 6,000 × 0.0365 × 61/365 = 36.60
    quote = back_premiums(
        ANNUAL, payments, suspended_on=date(2025, 5, 1), reinstate_on=date(2025, 5, 1), annual_rate=Decimal("0.0365")
    )
    assert [(ln.principal, ln.interest) for ln in quote.lines] == [(Decimal("6000.00"), Decimal("36.60"))]


def test_back_premiums_outside_the_window() -> None:
    def quote(on: date, rate: str = "0.05") -> Decimal:
        result = back_premiums(ANNUAL, FIRST, suspended_on=date(2025, 5, 1), reinstate_on=on, annual_rate=Decimal(rate))
        return result.principal

    assert quote(date(2027, 5, 1)) == Decimal("30000.00")  # instalments of 2025, 2026 and 2027
    with pytest.raises(Conflict):
        quote(date(2027, 5, 2))
    with pytest.raises(Conflict):
        quote(date(2025, 4, 30))
    with pytest.raises(InvalidInput):
        quote(date(2026, 1, 1), rate="2")


def test_suspension_notice_within_ten_working_days_over_national_day() -> None:
    # Suspended Tue 30 Sep 2025: 1–8 Oct off; 9, 10, 11 (Sat, make-up), 13–17, 20, 21 → 21 Oct.
    deadline = suspension_notice_deadline(date(2025, 9, 30))
    assert deadline.due == date(2025, 10, 21)
    assert deadline.warn_from == date(2025, 10, 17)  # 2 working days before
