"""Billing state (保费状态): grace, suspension (中止), reinstatement (复效) and termination, as a pure function.

Rules (regulation.md §0 and §2.7, Conf. H unless noted):

- **Grace.** Insurance Law art. 36 suspends an instalment contract when an instalment is unpaid more than 60 days
  after its due date (or 30 days after a demand) unless the contract says otherwise; products write this into
  the clause as a 60-day grace period (§0: "a product clause", so ``grace_days`` is a parameter). Convention: the
  due date itself is not overdue; days due+1 … due+60 are the grace period; cover continues through them.
- **Suspension** starts on due + 61 (the day after grace ends). The insurer sends a suspension notice within 10
  working days of that day (art. 36; Basic Service Rules art. 21) — see :func:`suspension_notice_deadline`.
- **Reinstatement** by agreement once back premiums are paid, within 2 years of suspension (art. 37). The 2 years
  are counted under Civil Code arts. 201–202: the suspension day is not counted and the period ends on the same
  date two years later (29 Feb → 28 Feb); that date is the last day to reinstate, termination is the day after.
  The insurer may refuse only if the risk rose significantly, and silence for 30 days is consent (SPC Interp. III
  art. 8): the underwriting domain decides that; this module only checks dates and money.
- **Back premiums** carry simple interest at a rate the product clause sets (Interp. III art. 8 allows interest;
  the rate is Conf. L product practice). Convention: each unpaid instalment's outstanding amount × annual rate ×
  actual days from its due date to the reinstatement date / 365, rounded half-up to the fen per instalment.

Payments are premium money only (interest on back premiums is recorded separately by the service) and are
applied oldest instalment first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from jiabao.core.errors import Conflict, invalid
from jiabao.core.money import ZERO, to_decimal
from jiabao.policies.rules.calendar import Deadline, SlaKind, sla_deadline
from jiabao.policies.rules.periods import period_last_day
from jiabao.policies.rules.schedule import Instalment

GRACE_DAYS = 60
REINSTATEMENT_YEARS = 2
DAYS_IN_YEAR = 365


class PolicyStatus(StrEnum):
    IN_FORCE = "in_force"  # 有效
    IN_GRACE = "in_grace"  # 宽限期
    SUSPENDED = "suspended"  # 中止
    TERMINATED = "terminated"  # 终止 (not reinstated within 2 years)


@dataclass(frozen=True, slots=True)
class Payment:
    paid_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class BillingState:
    status: PolicyStatus
    as_of: date
    paid_total: Decimal
    overdue_amount: Decimal
    """Premium of instalments whose due date is before ``as_of`` and that are not yet paid."""
    overdue_instalments: tuple[int, ...]
    next_due_date: date | None
    """Due date of the oldest instalment not fully paid (None when paid up or terminated)."""
    next_due_amount: Decimal | None
    grace_ends_on: date | None = None
    suspended_on: date | None = None
    reinstatement_deadline: date | None = None
    terminated_on: date | None = None
    paid_up: bool = False


@dataclass(frozen=True, slots=True)
class BackPremiumLine:
    instalment: int
    due: date
    principal: Decimal
    days: int
    interest: Decimal


@dataclass(frozen=True, slots=True)
class BackPremiums:
    """What a reinstatement costs on a date: unpaid premiums plus simple interest."""

    reinstate_on: date
    annual_rate: Decimal
    lines: tuple[BackPremiumLine, ...]
    principal: Decimal
    interest: Decimal
    total: Decimal
    basis: str = "Insurance Law art. 37; SPC Interp. III art. 8; simple interest actual/365 (§2.7 H, rate Conf. L)"


def grace_end(due: date, grace_days: int = GRACE_DAYS) -> date:
    """Last day of grace for an instalment due on ``due`` (due + 60 by default)."""
    return due + timedelta(days=grace_days)


def suspension_date(due: date, grace_days: int = GRACE_DAYS) -> date:
    """First day of suspension if the instalment is still unpaid: the day after grace ends."""
    return grace_end(due, grace_days) + timedelta(days=1)


def reinstatement_deadline(suspended_on: date, years: int = REINSTATEMENT_YEARS) -> date:
    """Last day to reinstate: the same date ``years`` later (Civil Code arts. 201–202; art. 37, H) — the one
    reading of a two-year period shared with the suicide and incontestability clocks (:mod:`.periods`)."""
    return period_last_day(suspended_on, years)


def suspension_notice_deadline(suspended_on: date, *, warn_lead: int = 2) -> Deadline:
    """Suspension notice (效力中止通知) due within 10 working days of suspension (art. 36; BSR art. 21, H)."""
    return sla_deadline(SlaKind.SUSPENSION_NOTICE, suspended_on, warn_lead=warn_lead)


def _paid_by(payments: Sequence[Payment], day: date) -> Decimal:
    return sum((p.amount for p in payments if p.paid_on <= day), ZERO)


def _cumulative(schedule: Sequence[Instalment]) -> list[Decimal]:
    total, out = ZERO, []
    for inst in schedule:
        total += inst.amount
        out.append(total)
    return out


def _validate(schedule: Sequence[Instalment], payments: Sequence[Payment]) -> None:
    if not schedule:
        raise invalid("schedule", "empty", "缴费计划为空", "the premium schedule is empty")
    if any(b.due <= a.due for a, b in pairwise(schedule)):
        raise invalid("schedule", "not_ordered", "缴费计划须按应缴日递增", "due dates must increase")
    if any(p.amount <= 0 for p in payments):
        raise invalid("payments", "not_positive", "缴费金额须大于 0", "a payment must be positive")


@dataclass(frozen=True, slots=True)
class _Arrears:
    paid_total: Decimal
    overdue_amount: Decimal
    overdue: tuple[Instalment, ...]
    next_due: Instalment | None
    next_due_amount: Decimal | None


def _arrears(schedule: Sequence[Instalment], cum: list[Decimal], paid: Decimal, as_of: date) -> _Arrears:
    covered = sum(1 for c in cum if c <= paid)
    overdue = tuple(inst for inst in schedule[covered:] if inst.due < as_of)
    overdue_amount = max(cum[overdue[-1].number - 1] - paid, ZERO) if overdue else ZERO
    nxt = schedule[covered] if covered < len(schedule) else None
    next_amount = to_decimal(cum[covered] - paid) if nxt else None
    return _Arrears(to_decimal(paid), to_decimal(overdue_amount), overdue, nxt, next_amount)


def _state(status: PolicyStatus, as_of: date, a: _Arrears, **dates: date | None) -> BillingState:
    live = status is not PolicyStatus.TERMINATED
    return BillingState(
        status=status,
        as_of=as_of,
        paid_total=a.paid_total,
        overdue_amount=a.overdue_amount,
        overdue_instalments=tuple(i.number for i in a.overdue),
        next_due_date=a.next_due.due if a.next_due and live else None,
        next_due_amount=a.next_due_amount if live else None,
        grace_ends_on=dates.get("grace_ends_on"),
        suspended_on=dates.get("suspended_on"),
        reinstatement_deadline=dates.get("reinstatement_deadline"),
        terminated_on=dates.get("terminated_on"),
        paid_up=a.next_due is None,
    )


def _reject_unmatched(pending: Sequence[date]) -> None:
    if pending:
        raise invalid(
            "reinstated_on",
            "no_suspension",
            f"复效日期 {pending[0].isoformat()} 不在任何中止后的两年复效期内",
            f"reinstatement on {pending[0].isoformat()} is not inside any 2-year window after a suspension",
        )


def _check_reinstated_paid(
    schedule: Sequence[Instalment], cum: list[Decimal], payments: Sequence[Payment], on: date
) -> None:
    due_count = sum(1 for inst in schedule if inst.due <= on)
    if _paid_by(payments, on) < cum[due_count - 1]:
        raise invalid(
            "reinstated_on",
            "back_premiums_unpaid",
            f"复效日 {on.isoformat()} 前应缴保费未全部缴清",
            f"premiums due by the reinstatement on {on.isoformat()} are not all paid",
        )


def _lapsed(
    schedule: Sequence[Instalment],
    cum: list[Decimal],
    payments: Sequence[Payment],
    as_of: date,
    suspended: date,
    deadline: date,
) -> BillingState:
    arrears = _arrears(schedule, cum, _paid_by(payments, as_of), as_of)
    if as_of > deadline:
        end = deadline + timedelta(days=1)
        return _state(
            PolicyStatus.TERMINATED,
            as_of,
            arrears,
            suspended_on=suspended,
            reinstatement_deadline=deadline,
            terminated_on=end,
        )
    return _state(PolicyStatus.SUSPENDED, as_of, arrears, suspended_on=suspended, reinstatement_deadline=deadline)


def billing_state(
    schedule: Sequence[Instalment],
    payments: Sequence[Payment],
    as_of: date,
    *,
    reinstated_on: Sequence[date] = (),
    grace_days: int = GRACE_DAYS,
    reinstatement_years: int = REINSTATEMENT_YEARS,
) -> BillingState:
    """The policy's premium status on ``as_of`` from its schedule, the premiums received and any reinstatements.

    Walks the instalments in order: an instalment not covered (oldest first) by the end of its grace suspends the
    policy the next day; a recorded reinstatement inside the 2-year window (which must find every instalment due
    by then paid) resumes it; no reinstatement by the window's last day terminates it the day after.
    """
    _validate(schedule, payments)
    cum = _cumulative(schedule)
    pending = sorted(d for d in reinstated_on if d <= as_of)
    i = 0
    while i < len(schedule) and schedule[i].due < as_of:
        if _paid_by(payments, grace_end(schedule[i].due, grace_days)) >= cum[i]:
            i += 1
            continue
        suspended = suspension_date(schedule[i].due, grace_days)
        if suspended > as_of:
            break
        deadline = reinstatement_deadline(suspended, reinstatement_years)
        match = next((d for d in pending if suspended <= d <= deadline), None)
        if match is None:
            _reject_unmatched(pending)
            return _lapsed(schedule, cum, payments, as_of, suspended, deadline)
        pending.remove(match)
        _check_reinstated_paid(schedule, cum, payments, match)
        i = max(i + 1, sum(1 for inst in schedule if inst.due <= match))
    _reject_unmatched(pending)
    arrears = _arrears(schedule, cum, _paid_by(payments, as_of), as_of)
    if arrears.overdue:
        return _state(
            PolicyStatus.IN_GRACE, as_of, arrears, grace_ends_on=grace_end(arrears.overdue[0].due, grace_days)
        )
    return _state(PolicyStatus.IN_FORCE, as_of, arrears)


def back_premiums(
    schedule: Sequence[Instalment],
    payments: Sequence[Payment],
    *,
    suspended_on: date,
    reinstate_on: date,
    annual_rate: Decimal,
    reinstatement_years: int = REINSTATEMENT_YEARS,
) -> BackPremiums:
    """Premiums and interest to pay for reinstatement (复效) on ``reinstate_on`` (see the module docstring).

    Every instalment due on or before ``reinstate_on`` that the payments (oldest first) leave unpaid is owed, with
    interest = outstanding × rate × days since its due date / 365, half-up to the fen.
    Raises ``Conflict`` outside the window from ``suspended_on`` to its 2-year deadline (inclusive).
    """
    _validate(schedule, payments)
    if not Decimal(0) <= annual_rate < Decimal(1):
        raise invalid("annual_rate", "out_of_range", "年利率须在 0 到 1 之间", "the annual rate must be in [0, 1)")
    deadline = reinstatement_deadline(suspended_on, reinstatement_years)
    if not suspended_on <= reinstate_on <= deadline:
        raise Conflict(
            f"reinstatement is only possible from {suspended_on} to {deadline}",
            f"复效须在 {suspended_on} 至 {deadline} 之间申请",
            code="reinstatement_window_closed",
        )
    cum, paid = _cumulative(schedule), _paid_by(payments, reinstate_on)
    lines = []
    for inst, c in zip(schedule, cum, strict=True):
        outstanding = min(max(c - paid, ZERO), inst.amount)
        if inst.due > reinstate_on or outstanding == 0:
            continue
        days = (reinstate_on - inst.due).days
        interest = to_decimal(outstanding * annual_rate * days / DAYS_IN_YEAR)
        lines.append(BackPremiumLine(inst.number, inst.due, outstanding, days, interest))
    principal = to_decimal(sum((ln.principal for ln in lines), ZERO))
    interest = to_decimal(sum((ln.interest for ln in lines), ZERO))
    return BackPremiums(reinstate_on, annual_rate, tuple(lines), principal, interest, principal + interest)
