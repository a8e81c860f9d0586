"""Claim timelines (理赔时效), pure: every date is an argument.

- Decision: within **5 working days** for an ordinary claim, **30 calendar days** for a complex one, counted from
  receipt of the claim and documents (Basic Service Rules 2010 art. 23; Insurance Law art. 23). The clock stands
  still from each request for more documents until they arrive (SPC Interp. II art. 15); an open request pauses
  it up to ``as_of``.
- Rejection notice: within **3 days** of a rejection decision (Insurance Law art. 24).
- Payment: within **10 days** of agreeing the amount (Insurance Law art. 23).
- Advance payment: whatever is determinable is paid if the amount cannot be fixed within **60 days** of receipt
  (Insurance Law art. 25); ``advance_payment_by`` is that date, pauses included.
Deadlines and their warnings come from :mod:`jiabao.policies.rules.calendar` (``Deadline``, ``sla_deadline``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from jiabao.claims.engine.codes import Complexity
from jiabao.policies.rules.calendar import (
    SLA_RULES,
    DayUnit,
    Deadline,
    DeadlineStatus,
    SlaKind,
    sla_deadline,
    working_days_between,
)

ADVANCE_PAYMENT_DAYS = 60


class DocumentRequest(BaseModel):
    """A request for more documents (补充资料通知): the decision clock pauses until ``received_on``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    requested_on: date
    received_on: date | None = None


@dataclass(frozen=True, slots=True)
class TimelineWarning:
    kind: SlaKind
    status: DeadlineStatus
    due: date
    text_zh: str
    text_en: str


@dataclass(frozen=True, slots=True)
class ClaimTimeline:
    decision: Deadline
    rejection_notice: Deadline | None
    payment: Deadline | None
    advance_payment_by: date
    paused: bool
    """A document request is open at ``as_of``: the decision clock is standing still."""
    warnings: tuple[TimelineWarning, ...]


def _intervals(requests: tuple[DocumentRequest, ...], as_of: date) -> list[tuple[date, date]]:
    """Pause intervals, overlaps merged, open requests running to ``as_of``."""
    spans = sorted((r.requested_on, r.received_on or as_of) for r in requests)
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def paused_days(requests: tuple[DocumentRequest, ...], unit: DayUnit, as_of: date) -> int:
    """Days (in ``unit``) the clock stood still: from each request to the documents' arrival."""
    spans = _intervals(requests, as_of)
    if unit is DayUnit.WORKING:
        return sum(working_days_between(a, b) for a, b in spans)
    return sum((b - a).days for a, b in spans)


_NAMES = {
    SlaKind.CLAIM_DECISION_ORDINARY: ("理赔审核结论", "claim decision"),
    SlaKind.CLAIM_DECISION_COMPLEX: ("理赔审核结论（复杂案件）", "claim decision (complex)"),
    SlaKind.CLAIM_REJECTION_NOTICE: ("拒赔通知书", "rejection notice"),
    SlaKind.CLAIM_PAYMENT: ("赔款支付", "payment"),
}


def _warning(deadline: Deadline, as_of: date, done_on: date | None) -> TimelineWarning | None:
    status = deadline.status(as_of, done_on=done_on)
    if done_on is not None or status is DeadlineStatus.ON_TIME:
        return None
    zh_name, en_name = _NAMES[deadline.kind]
    if status is DeadlineStatus.OVERDUE:
        zh, en = f"{zh_name}已超过时限（{deadline.due}）", f"{en_name} is overdue (due {deadline.due})"
    else:
        zh, en = f"{zh_name}将于{deadline.due}到期", f"{en_name} is due on {deadline.due}"
    return TimelineWarning(deadline.kind, status, deadline.due, zh, en)


def claim_timeline(
    *,
    received_on: date,
    complexity: Complexity,
    as_of: date,
    requests: tuple[DocumentRequest, ...] = (),
    decided_on: date | None = None,
    rejected: bool = False,
    notice_sent_on: date | None = None,
    agreed_on: date | None = None,
    paid_on: date | None = None,
    warn_lead: int = 1,
) -> ClaimTimeline:
    """The deadlines of one claim as of ``as_of`` and the warnings for those due soon or overdue."""
    kind = SlaKind.CLAIM_DECISION_ORDINARY if complexity is Complexity.ORDINARY else SlaKind.CLAIM_DECISION_COMPLEX
    until = decided_on or as_of
    paused = paused_days(requests, SLA_RULES[kind].unit, until)
    decision = sla_deadline(kind, received_on, warn_lead=warn_lead, paused_days=paused)
    notice = None
    if rejected and decided_on is not None:
        notice = sla_deadline(SlaKind.CLAIM_REJECTION_NOTICE, decided_on, warn_lead=warn_lead)
    payment = sla_deadline(SlaKind.CLAIM_PAYMENT, agreed_on, warn_lead=warn_lead) if agreed_on else None
    open_request = decided_on is None and any(r.received_on is None for r in requests)
    calendar_pause = paused_days(requests, DayUnit.CALENDAR, until)
    warnings = [] if open_request else [_warning(decision, as_of, decided_on)]
    if notice is not None:
        warnings.append(_warning(notice, as_of, notice_sent_on))
    if payment is not None:
        warnings.append(_warning(payment, as_of, paid_on))
    return ClaimTimeline(
        decision=decision,
        rejection_notice=notice,
        payment=payment,
        advance_payment_by=received_on + timedelta(days=ADVANCE_PAYMENT_DAYS + calendar_pause),
        paused=open_request,
        warnings=tuple(w for w in warnings if w is not None),
    )
