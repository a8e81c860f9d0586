"""Premium schedules: due dates with month-end clamping, modal premiums, instalment counts, reminders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.policies.rules.schedule import (
    Frequency,
    ModalFactors,
    add_months,
    add_years,
    due_date,
    instalment_count,
    modal_premium,
    premium_schedule,
    reminder_dates,
)

FACTORS = ModalFactors(semi_annual=Decimal("0.52"), quarterly=Decimal("0.262"), monthly=Decimal("0.088"))


def test_monthly_from_31_january_in_a_leap_year() -> None:
    dues = [due_date(date(2024, 1, 31), Frequency.MONTHLY, i) for i in range(6)]
    assert dues == [
        date(2024, 1, 31),
        date(2024, 2, 29),  # leap year
        date(2024, 3, 31),  # back to 31: computed from the issue date, not chained from 29 Feb
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
    ]


def test_monthly_from_31_january_in_a_common_year() -> None:
    assert due_date(date(2025, 1, 31), Frequency.MONTHLY, 1) == date(2025, 2, 28)
    assert due_date(date(2025, 1, 31), Frequency.MONTHLY, 2) == date(2025, 3, 31)


def test_quarterly_and_semi_annual_clamp() -> None:
    # 30 Nov 2023 quarterly: 29 Feb 2024, 30 May, 30 Aug, 30 Nov.
    assert [due_date(date(2023, 11, 30), Frequency.QUARTERLY, i) for i in range(1, 5)] == [
        date(2024, 2, 29),
        date(2024, 5, 30),
        date(2024, 8, 30),
        date(2024, 11, 30),
    ]
    assert due_date(date(2024, 8, 31), Frequency.SEMI_ANNUAL, 1) == date(2025, 2, 28)


def test_annual_from_29_february() -> None:
    assert due_date(date(2024, 2, 29), Frequency.ANNUAL, 1) == date(2025, 2, 28)
    assert due_date(date(2024, 2, 29), Frequency.ANNUAL, 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)


def test_instalment_counts() -> None:
    assert instalment_count(20, Frequency.MONTHLY) == 240
    assert instalment_count(10, Frequency.QUARTERLY) == 40
    assert instalment_count(5, Frequency.SEMI_ANNUAL) == 10
    assert instalment_count(1, Frequency.ANNUAL) == 1
    with pytest.raises(InvalidInput):
        instalment_count(0, Frequency.ANNUAL)


def test_modal_premiums_round_half_up_to_the_fen() -> None:
    assert modal_premium(Decimal("10000"), Frequency.ANNUAL, FACTORS) == Decimal("10000.00")
    assert modal_premium(Decimal("10000"), Frequency.SEMI_ANNUAL, FACTORS) == Decimal("5200.00")
    assert modal_premium(Decimal("10000"), Frequency.QUARTERLY, FACTORS) == Decimal("2620.00")
    assert modal_premium(Decimal("10000"), Frequency.MONTHLY, FACTORS) == Decimal("880.00")
    # 1234.56 × 0.088 = 108.64128 → 108.64; × 0.262 = 323.45472 → 323.45
    assert modal_premium(Decimal("1234.56"), Frequency.MONTHLY, FACTORS) == Decimal("108.64")
    assert modal_premium(Decimal("1234.56"), Frequency.QUARTERLY, FACTORS) == Decimal("323.45")
    # 100.50 × 0.09 = 9.045 → 9.05 (half-up, not banker's 9.04)
    nine = ModalFactors(semi_annual=Decimal("0.5"), quarterly=Decimal("0.25"), monthly=Decimal("0.09"))
    assert modal_premium(Decimal("100.50"), Frequency.MONTHLY, nine) == Decimal("9.05")


def test_bad_factors_and_premiums_are_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        ModalFactors(semi_annual=Decimal("0"), quarterly=Decimal("1.2"), monthly=Decimal("0.088"))
    assert {f.field for f in exc.value.fields} == {"semi_annual", "quarterly"}
    with pytest.raises(InvalidInput):
        modal_premium(Decimal("0"), Frequency.ANNUAL, FACTORS)
    with pytest.raises(InvalidInput):
        due_date(date(2025, 1, 1), Frequency.ANNUAL, -1)


def test_schedule_has_every_instalment() -> None:
    schedule = premium_schedule(
        issue_date=date(2024, 1, 31),
        annual_premium=Decimal("12000"),
        frequency=Frequency.MONTHLY,
        payment_years=2,
        factors=FACTORS,
    )
    assert len(schedule) == 24
    assert schedule[0].number == 1 and schedule[0].due == date(2024, 1, 31)
    assert schedule[-1].due == date(2025, 12, 31)
    assert {i.amount for i in schedule} == {Decimal("1056.00")}  # 12000 × 0.088


def test_reminders_skip_the_first_instalment_and_sort_by_date() -> None:
    schedule = premium_schedule(
        issue_date=date(2025, 3, 10),
        annual_premium=Decimal("5000"),
        frequency=Frequency.ANNUAL,
        payment_years=3,
        factors=FACTORS,
    )
    reminders = reminder_dates(schedule, [7, 30])
    assert [(r.instalment, r.send_on, r.days_before) for r in reminders] == [
        (2, date(2026, 2, 8), 30),  # 10 Mar − 30 days (Feb 2026 has 28 days)
        (2, date(2026, 3, 3), 7),
        (3, date(2027, 2, 8), 30),
        (3, date(2027, 3, 3), 7),
    ]
    with pytest.raises(InvalidInput):
        reminder_dates(schedule, [-1])
