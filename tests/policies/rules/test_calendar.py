"""Chinese working days and SLA deadlines; holiday facts are the State Council arrangements for 2024–2025."""

from __future__ import annotations

from datetime import date

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.policies.rules.calendar import (
    LAST_SUPPORTED_YEAR,
    DeadlineStatus,
    SlaKind,
    add_working_days,
    is_provisional,
    is_working_day,
    sla_deadline,
    working_days_between,
)


def test_make_up_sunday_before_spring_festival_2025_is_a_working_day() -> None:
    # 2025 Spring Festival: 28 Jan–4 Feb off; Sun 26 Jan and Sat 8 Feb are make-up working days (调休).
    assert is_working_day(date(2025, 1, 26))
    assert is_working_day(date(2025, 2, 8))
    assert not is_working_day(date(2025, 1, 29))
    assert not is_working_day(date(2025, 2, 9))  # an ordinary Sunday


def test_add_working_days_counts_the_make_up_sunday() -> None:
    # Fri 24 Jan + 2: Sat 25 no, Sun 26 (make-up) = 1, Mon 27 = 2.
    assert add_working_days(date(2025, 1, 24), 2) == date(2025, 1, 27)


def test_add_working_days_skips_the_whole_spring_festival() -> None:
    # Mon 27 Jan + 1: 28 Jan–4 Feb are holidays, Wed 5 Feb is the next working day.
    assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


def test_make_up_saturday_counts() -> None:
    # Thu 6 Feb + 2: Fri 7 = 1, Sat 8 (make-up) = 2.
    assert add_working_days(date(2025, 2, 6), 2) == date(2025, 2, 8)


def test_2024_spring_festival_make_up_sunday() -> None:
    # 2024: 10–17 Feb off, Sun 18 Feb worked. Thu 8 + 2: Fri 9 = 1, Sun 18 = 2.
    assert add_working_days(date(2024, 2, 8), 2) == date(2024, 2, 18)


def test_start_day_is_not_counted_even_on_a_weekend() -> None:
    # Received Sat 1 Mar 2025: Mon 3 = 1, Tue 4 = 2.
    assert add_working_days(date(2025, 3, 1), 2) == date(2025, 3, 4)
    assert add_working_days(date(2025, 3, 1), 0) == date(2025, 3, 1)


def test_negative_days_go_back() -> None:
    assert add_working_days(date(2025, 2, 5), -1) == date(2025, 1, 27)


def test_working_days_between_is_half_open_and_inverse_of_add() -> None:
    # (Fri 24 Jan, Sat 8 Feb]: 26, 27 Jan, 5, 6, 7, 8 Feb = 6.
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 8)) == 6
    assert working_days_between(date(2025, 2, 8), date(2025, 1, 24)) == -6
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    start = date(2025, 1, 20)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_years_before_the_holiday_data_are_refused_clearly() -> None:
    with pytest.raises(InvalidInput) as exc:
        working_days_between(date(2003, 12, 1), date(2004, 1, 5))
    assert exc.value.fields[0].code == "calendar_year_unsupported"


def test_years_after_the_data_use_the_provisional_rule() -> None:
    year = LAST_SUPPORTED_YEAR + 1
    assert is_provisional(date(year, 1, 5)) and not is_provisional(date(LAST_SUPPORTED_YEAR, 12, 31))
    new_year = date(year, 1, 1)
    assert not is_working_day(new_year)  # 元旦 is a fixed-date holiday every year
    assert not is_working_day(date(year, 10, 2))  # 国庆节
    first_monday = next(date(year, 1, d) for d in range(2, 9) if date(year, 1, d).weekday() == 0)
    assert is_working_day(first_monday)
    # Walking from the last official year into the provisional one: 5 working days, weekends and 1 Jan skipped.
    start = date(LAST_SUPPORTED_YEAR, 12, 30)
    end = add_working_days(start, 5)
    assert working_days_between(start, end) == 5 and end.year == year


def test_spring_festival_beyond_the_data_is_never_a_working_day() -> None:
    """Years after chinese-calendar's data use the ``holidays`` package's China calendar (lunar holidays computed):
    Spring Festival 2027 (除夕 Fri 5 Feb – Mon 8 Feb, observed to Wed 10 Feb) is not worked, and is flagged
    provisional (全国年节及纪念日放假办法, 2024 revision: 春节 4 days including 除夕)."""
    assert LAST_SUPPORTED_YEAR < 2027 and is_provisional(date(2027, 2, 5))
    for day in (5, 8, 9, 10):
        assert not is_working_day(date(2027, 2, day)), day
    assert is_working_day(date(2027, 2, 4)) and is_working_day(date(2027, 2, 11))
    # Thu 4 Feb 2027 + 2 working days: Fri 5 – Wed 10 Feb are off, so Fri 12 Feb
    assert add_working_days(date(2027, 2, 4), 2) == date(2027, 2, 12)
    # a 5-working-day claim decision received on Thu 4 Feb 2027 (BSR 2010 art. 23) is due on Wed 17 Feb
    assert sla_deadline(SlaKind.CLAIM_DECISION_ORDINARY, date(2027, 2, 4)).due == date(2027, 2, 17)
    assert not is_working_day(date(2028, 1, 26))  # Spring Festival 2028, a Wednesday


def test_servicing_acceptance_status_through_time() -> None:
    # Mon 3 Mar 2025 + 2 working days = Wed 5 Mar; warning from 1 working day before = Tue 4 Mar.
    d = sla_deadline(SlaKind.SERVICING_ACCEPT, date(2025, 3, 3))
    assert (d.due, d.warn_from) == (date(2025, 3, 5), date(2025, 3, 4))
    assert d.status(date(2025, 3, 3)) is DeadlineStatus.ON_TIME
    assert d.status(date(2025, 3, 4)) is DeadlineStatus.DUE_SOON
    assert d.status(date(2025, 3, 5)) is DeadlineStatus.DUE_SOON
    assert d.status(date(2025, 3, 6)) is DeadlineStatus.OVERDUE
    assert d.status(date(2025, 3, 9), done_on=date(2025, 3, 5)) is DeadlineStatus.ON_TIME
    assert d.status(date(2025, 3, 9), done_on=date(2025, 3, 6)) is DeadlineStatus.OVERDUE
    assert "art. 19" in d.basis


def test_ordinary_claim_decision_over_national_day() -> None:
    # Fri 26 Sep 2025 + 5 wd: Sun 28 Sep (make-up) 1, 29 = 2, 30 = 3, 1–8 Oct off, 9 Oct = 4, 10 Oct = 5.
    assert sla_deadline(SlaKind.CLAIM_DECISION_ORDINARY, date(2025, 9, 26)).due == date(2025, 10, 10)


def test_calendar_day_claim_limits() -> None:
    start = date(2025, 3, 1)
    assert sla_deadline(SlaKind.CLAIM_DECISION_COMPLEX, start).due == date(2025, 3, 31)  # 1 Mar + 30
    # 5 days waiting for requested documents are deducted, i.e. the limit moves 5 days.
    assert sla_deadline(SlaKind.CLAIM_DECISION_COMPLEX, start, paused_days=5).due == date(2025, 4, 5)
    assert sla_deadline(SlaKind.CLAIM_REJECTION_NOTICE, start).due == date(2025, 3, 4)  # + 3
    assert sla_deadline(SlaKind.CLAIM_PAYMENT, start).due == date(2025, 3, 11)  # + 10
    complex_claim = sla_deadline(SlaKind.CLAIM_DECISION_COMPLEX, start, warn_lead=5)
    assert complex_claim.warn_from == date(2025, 3, 26)


def test_mis_selling_case_fifteen_working_days_across_spring_festival() -> None:
    # Mon 27 Jan 2025: 5, 6, 7, 8(Sat) Feb = 4; 10–14 = 9; 17–21 = 14; Mon 24 Feb = 15.
    assert sla_deadline(SlaKind.MIS_SELLING_CASE, date(2025, 1, 27)).due == date(2025, 2, 24)


def test_warning_never_starts_before_the_start() -> None:
    d = sla_deadline(SlaKind.CLAIM_REJECTION_NOTICE, date(2025, 3, 1), warn_lead=10)
    assert d.warn_from == date(2025, 3, 1)


def test_negative_lead_is_refused() -> None:
    with pytest.raises(InvalidInput):
        sla_deadline(SlaKind.SERVICING_ACCEPT, date(2025, 3, 3), warn_lead=-1)
