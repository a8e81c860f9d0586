"""Complaint time limits, CBIRC Order 2020 No. 3 (银行业保险业消费投诉处理管理办法) arts. 16, 18, 20, 23, 43:
calendar days, 15 → 30 → +30 with approval, pauses for appraisal and mediation, restart on new facts, review."""

from __future__ import annotations

from datetime import date

import pytest

from jiabao.core.errors import Conflict
from jiabao.voice.deadlines import (
    ClockEvent,
    ClockKind,
    review_allowed,
    review_decision_due,
    review_request_deadline,
    time_limit,
)

RECEIVED = date(2026, 9, 28)  # the National Day holiday (1–7 October) falls inside: calendar days still count


def test_simple_case_is_15_calendar_days_including_holidays() -> None:
    # art. 43: "days" are calendar days; the Golden Week does not stretch the limit (working days would be 11 Oct+)
    limit = time_limit(RECEIVED, [])
    assert limit.limit_days == 15
    assert limit.due == date(2026, 10, 13)


def test_extension_to_30_days_for_a_complex_case() -> None:
    limit = time_limit(RECEIVED, [ClockEvent(ClockKind.EXTEND, date(2026, 10, 10))])
    assert (limit.limit_days, limit.due) == (30, date(2026, 10, 28))


def test_further_30_days_need_approval_and_a_first_extension() -> None:
    extended = ClockEvent(ClockKind.EXTEND, date(2026, 10, 10))
    with pytest.raises(Conflict) as no_approval:
        time_limit(RECEIVED, [extended, ClockEvent(ClockKind.EXTEND_FURTHER, date(2026, 10, 20))])
    assert no_approval.value.code == "approval_required"
    with pytest.raises(Conflict) as skipped:
        time_limit(RECEIVED, [ClockEvent(ClockKind.EXTEND_FURTHER, date(2026, 10, 5), approved_by=7)])
    assert skipped.value.code == "extend_first"
    limit = time_limit(RECEIVED, [extended, ClockEvent(ClockKind.EXTEND_FURTHER, date(2026, 10, 20), approved_by=7)])
    assert (limit.limit_days, limit.due) == (60, date(2026, 11, 27))


def test_no_extension_once_the_limit_has_passed_or_twice() -> None:
    with pytest.raises(Conflict) as late:
        time_limit(RECEIVED, [ClockEvent(ClockKind.EXTEND, date(2026, 10, 14))])
    assert late.value.code == "past_due"
    # the last day itself is still "within" (art. 43)
    assert time_limit(RECEIVED, [ClockEvent(ClockKind.EXTEND, date(2026, 10, 13))]).due == date(2026, 10, 28)
    with pytest.raises(Conflict):
        time_limit(
            RECEIVED, [ClockEvent(ClockKind.EXTEND, date(2026, 10, 1)), ClockEvent(ClockKind.EXTEND, date(2026, 10, 2))]
        )


def test_appraisal_or_mediation_pauses_the_clock() -> None:
    # arts. 18 and 23: time for appraisal/testing and for mediation is not counted
    paused = time_limit(RECEIVED, [ClockEvent(ClockKind.PAUSE, date(2026, 10, 5))])
    assert paused.paused and paused.due is None and paused.warning(date(2026, 12, 1)) is None
    resumed = time_limit(
        RECEIVED, [ClockEvent(ClockKind.PAUSE, date(2026, 10, 5)), ClockEvent(ClockKind.RESUME, date(2026, 10, 25))]
    )
    assert resumed.paused_days == 20
    assert resumed.due == date(2026, 11, 2)  # 13 Oct + 20 days


def test_pauses_add_up_and_combine_with_an_extension() -> None:
    events = [
        ClockEvent(ClockKind.PAUSE, date(2026, 10, 1)),
        ClockEvent(ClockKind.RESUME, date(2026, 10, 6)),
        ClockEvent(ClockKind.EXTEND, date(2026, 10, 15)),
        ClockEvent(ClockKind.PAUSE, date(2026, 10, 20)),
        ClockEvent(ClockKind.RESUME, date(2026, 10, 23)),
    ]
    limit = time_limit(RECEIVED, events)
    assert (limit.limit_days, limit.paused_days, limit.due) == (30, 8, date(2026, 11, 5))


def test_pause_and_resume_must_alternate() -> None:
    with pytest.raises(Conflict):
        time_limit(RECEIVED, [ClockEvent(ClockKind.RESUME, date(2026, 10, 1))])
    with pytest.raises(Conflict):
        time_limit(
            RECEIVED, [ClockEvent(ClockKind.PAUSE, date(2026, 10, 1)), ClockEvent(ClockKind.PAUSE, date(2026, 10, 2))]
        )
    with pytest.raises(Conflict):  # no extension while the clock stands still
        time_limit(
            RECEIVED, [ClockEvent(ClockKind.PAUSE, date(2026, 10, 1)), ClockEvent(ClockKind.EXTEND, date(2026, 10, 2))]
        )


def test_new_facts_restart_the_clock() -> None:
    # art. 16: a complaint with new facts or reasons is a new complaint — 15 days from the day they came in,
    # earlier extensions and pauses no longer apply
    events = [ClockEvent(ClockKind.EXTEND, date(2026, 10, 2)), ClockEvent(ClockKind.RESTART, date(2026, 10, 20))]
    limit = time_limit(RECEIVED, events)
    assert (limit.started_on, limit.limit_days, limit.due, limit.restarts) == (
        date(2026, 10, 20),
        15,
        date(2026, 11, 4),
        1,
    )


def test_warnings_before_and_after_the_deadline() -> None:
    limit = time_limit(RECEIVED, [])  # due 13 Oct
    assert limit.warning(date(2026, 10, 9)) is None
    assert limit.warning(date(2026, 10, 10)) == "due_soon"
    assert limit.warning(date(2026, 10, 13)) == "due_soon"
    assert limit.warning(date(2026, 10, 14)) == "overdue"


def test_review_within_30_days_decided_within_30_days() -> None:
    # art. 20
    letter = date(2026, 10, 12)
    assert review_request_deadline(letter) == date(2026, 11, 11)
    assert review_allowed(letter, date(2026, 11, 11))
    assert not review_allowed(letter, date(2026, 11, 12))
    assert review_decision_due(date(2026, 11, 11)) == date(2026, 12, 11)
