"""Plausible dates: birth dates and event dates, with today passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jiabao.core.validation import ValidationFailed, age_on, check_birth_date, check_event_date

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1990, 6, 1), TODAY, 35),
        (date(1990, 6, 2), TODAY, 34),
        (date(2000, 2, 29), date(2025, 2, 28), 24),
        (date(2000, 2, 29), date(2025, 3, 1), 25),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (TODAY, TODAY, 0),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_birth_date_today_and_age_120_accepted() -> None:
    assert check_birth_date(TODAY, today=TODAY) == TODAY
    assert check_birth_date(date(1904, 6, 2), today=TODAY) == date(1904, 6, 2)  # 120, turns 121 tomorrow


def test_birth_date_in_future() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_birth_date(date(2025, 6, 2), today=TODAY)
    (error,) = exc.value.errors
    assert (error.field, error.code) == ("birth_date", "date_in_future")
    assert "2025-06-02" in error.message_zh and "today is 2025-06-01" in error.message_en


def test_birth_date_older_than_max_age() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_birth_date(date(1904, 6, 1), today=TODAY, field="dob")  # 121 today
    assert [(e.field, e.code) for e in exc.value.errors] == [("dob", "birth_date_implausible")]
    with pytest.raises(ValidationFailed):
        check_birth_date(date(1960, 1, 1), today=TODAY, max_age=60)
    assert check_birth_date(date(1960, 1, 1), today=TODAY, max_age=65) == date(1960, 1, 1)


def test_datetime_is_reduced_to_its_calendar_day() -> None:
    assert check_birth_date(datetime(1990, 1, 1, 8, tzinfo=UTC), today=TODAY) == date(1990, 1, 1)
    assert check_event_date(datetime(2025, 6, 1, 23, tzinfo=UTC), today=TODAY) == TODAY


def test_event_date() -> None:
    assert check_event_date(TODAY, today=TODAY) == TODAY
    assert check_event_date(date(2020, 1, 1), today=TODAY, not_before=date(2020, 1, 1)) == date(2020, 1, 1)


def test_event_date_in_future() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_event_date(date(2026, 1, 1), today=TODAY, field="accident_date")
    assert [(e.field, e.code) for e in exc.value.errors] == [("accident_date", "date_in_future")]


def test_event_date_before_minimum() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_event_date(date(2019, 12, 31), today=TODAY, not_before=date(2020, 1, 1))
    (error,) = exc.value.errors
    assert error.code == "date_too_early"
    assert "2020-01-01" in error.message_zh and "2019-12-31" in error.message_en
