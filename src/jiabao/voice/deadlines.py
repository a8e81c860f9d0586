"""Complaint time limits (投诉处理时限), CBIRC Order 2020 No. 3 (银行业保险业消费投诉处理管理办法). Pure.

- art. 18: decide and tell the complainant within **15 days** of receipt; a complex case may be extended to **30
  days**; an especially complex one by **another 30 days** with the approval of the superior office or head-office
  senior management, the complainant being told. Time spent on appraisal/testing (art. 18) and on mediation
  (art. 23) does not count.
- art. 16 (repeat complaints): **new facts or reasons** make it a new complaint: the clock **restarts**.
- art. 20: the complainant may ask for a **review (核查)** within **30 days** of receiving the decision; the review
  is decided within **30 days**.
- art. 43: every "day" is a **calendar day** ("within" includes the number itself). Following the Civil Code
  (art. 201) the day of receipt is not counted: received on 1 March, the 15th day is 16 March.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from jiabao.core.errors import Conflict

SIMPLE_DAYS = 15
EXTENDED_DAYS = 30
FURTHER_DAYS = 30
REVIEW_REQUEST_DAYS = 30
REVIEW_DECISION_DAYS = 30
WARN_DAYS = (3, 1)
"""Handlers and their managers are warned 3 days and 1 day before the last day (and on it)."""


class ClockKind(StrEnum):
    EXTEND = "extend"  # complex case: 15 → 30 days
    EXTEND_FURTHER = "extend_further"  # especially complex: + 30 days, with approval
    PAUSE = "pause"  # appraisal, testing or mediation starts
    RESUME = "resume"  # it ends: the clock runs again
    RESTART = "restart"  # new facts or reasons: a new 15 days from that day


class PauseReason(StrEnum):
    APPRAISAL = "appraisal"  # 鉴定、检测
    MEDIATION = "mediation"  # 调解


@dataclass(frozen=True, slots=True)
class ClockEvent:
    kind: ClockKind
    on: date
    approved_by: int | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class TimeLimit:
    started_on: date
    """Receipt, or the day new facts restarted the clock."""
    limit_days: int
    """15, 30 or 60 calendar days."""
    paused_days: int
    paused_since: date | None
    due: date | None
    """The last day for the decision; None while the clock is paused."""
    restarts: int = 0
    history: tuple[ClockEvent, ...] = field(default=())

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    def days_left(self, today: date) -> int | None:
        return None if self.due is None else (self.due - today).days

    def warning(self, today: date) -> str | None:
        """``due_soon`` 3 days before down to the last day, ``overdue`` after it, else None."""
        left = self.days_left(today)
        if left is None:
            return None
        if left < 0:
            return "overdue"
        if left <= WARN_DAYS[0]:
            return "due_soon"
        return None


def _refuse(code: str, zh: str, en: str) -> Conflict:
    return Conflict(en, zh, code=code)


def time_limit(received_on: date, events: list[ClockEvent] | tuple[ClockEvent, ...]) -> TimeLimit:
    """Replay the clock events (in date order) from the day of receipt; refuse an event the rules do not allow."""
    start, limit, paused_days, paused_since, restarts = received_on, SIMPLE_DAYS, 0, None, 0
    ordered = sorted(events, key=lambda e: e.on)
    for event in ordered:
        if event.on < start:
            raise _refuse("clock_before_start", "日期早于计时起点", "The date is before the clock started")
        if event.kind is ClockKind.PAUSE:
            if paused_since is not None:
                raise _refuse("already_paused", "时限已中止计时", "The clock is already paused")
            due = start + timedelta(days=limit + paused_days)
            if event.on > due:
                raise _refuse("past_due", "已超过处理时限，不能中止计时", "The time limit has already passed")
            paused_since = event.on
        elif event.kind is ClockKind.RESUME:
            if paused_since is None:
                raise _refuse("not_paused", "时限未中止计时", "The clock is not paused")
            paused_days += (event.on - paused_since).days
            paused_since = None
        elif event.kind is ClockKind.RESTART:
            start, limit, paused_days, paused_since = event.on, SIMPLE_DAYS, 0, None
            restarts += 1
        else:
            if paused_since is not None:
                raise _refuse("paused", "中止计时期间不能延长", "The clock is paused")
            due = start + timedelta(days=limit + paused_days)
            if event.on > due:
                raise _refuse("past_due", "已超过处理时限，不能再延长", "The time limit has already passed")
            if event.kind is ClockKind.EXTEND:
                if limit != SIMPLE_DAYS:
                    raise _refuse("already_extended", "已延长至30日", "Already extended to 30 days")
                limit = EXTENDED_DAYS
            else:
                if limit != EXTENDED_DAYS:
                    raise _refuse(
                        "extend_first", "须先延长至30日，方可再延长30日", "Extend to 30 days before a further 30"
                    )
                if event.approved_by is None:
                    raise _refuse(
                        "approval_required",
                        "再延长30日须经上级机构或总行（总公司）高级管理人员批准",
                        "A further 30 days needs the approval of the superior office or senior management",
                    )
                limit = EXTENDED_DAYS + FURTHER_DAYS
    due_on = None if paused_since is not None else start + timedelta(days=limit + paused_days)
    return TimeLimit(start, limit, paused_days, paused_since, due_on, restarts, tuple(ordered))


def review_request_deadline(decision_received_on: date) -> date:
    """The last day the complainant may ask for a review (art. 20: within 30 days of receiving the decision)."""
    return decision_received_on + timedelta(days=REVIEW_REQUEST_DAYS)


def review_decision_due(requested_on: date) -> date:
    """The last day for the review decision (art. 20: within 30 days)."""
    return requested_on + timedelta(days=REVIEW_DECISION_DAYS)


def review_allowed(decision_received_on: date, requested_on: date) -> bool:
    return decision_received_on <= requested_on <= review_request_deadline(decision_received_on)
