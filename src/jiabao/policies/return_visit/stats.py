"""Return-visit success rates for staff (回访成功率), overall and by sales channel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.errors import PermissionDenied, invalid
from jiabao.db.context import ServiceContext
from jiabao.policies.common.models import Policy, ReturnVisit
from jiabao.policies.return_visit.service import OPEN

STATS_ROLES = frozenset({Role.SERVICE, Role.ADMIN, Role.AUDITOR})


class RatesOut(BaseModel):
    channel: str
    due: int = 0
    completed: int = 0
    passed: int = 0
    mis_selling: int = 0
    needs_human: int = 0
    open: int = 0
    success_rate: Decimal | None = None
    pass_rate: Decimal | None = None


class StatsOut(BaseModel):
    from_date: date
    to_date: date
    definition: str
    total: RatesOut
    by_channel: list[RatesOut]


DEFINITION = (
    "due: visits whose deadline (last day of cooling-off) is in the range, less open visits of cancelled policies; "
    "completed: answered electronically; needs_human: sent to a person, or open past the deadline; "
    "success_rate = (passed + mis_selling) / due; pass_rate = passed / completed (see docs/policies.md)."
)


def success_rates(ctx: ServiceContext, *, from_date: date, to_date: date) -> StatsOut:
    """Return-visit success rates for staff, overall and by sales channel."""
    if ctx.principal.role not in STATS_ROLES:
        raise PermissionDenied()
    if to_date < from_date or (to_date - from_date).days > 366:
        raise invalid("to", "bad_range", "日期范围无效（最长一年）", "The date range is invalid (at most a year)")
    stmt = (
        select(Policy.channel, ReturnVisit.status, ReturnVisit.due_on, ReturnVisit.completed_at)
        .join(Policy, Policy.id == ReturnVisit.policy_id)
        .where(ReturnVisit.due_on >= from_date, ReturnVisit.due_on <= to_date)
        .where((Policy.status != "cancelled") | ReturnVisit.status.not_in(OPEN))
    )
    rows: dict[str, RatesOut] = {}
    total = RatesOut(channel="all")
    today = ctx.clock.today()
    for channel, state, due_on, completed_at in ctx.session.execute(stmt):
        if state in OPEN:
            state = "needs_human" if today > due_on else "open"
        for r in (total, rows.setdefault(channel, RatesOut(channel=channel))):
            r.due += 1
            r.completed += completed_at is not None
            setattr(r, state, getattr(r, state) + 1)
    for r in (total, *rows.values()):
        r.success_rate = _rate(r.passed + r.mis_selling, r.due)
        r.pass_rate = _rate(r.passed, r.completed)
    return StatsOut(
        from_date=from_date, to_date=to_date, definition=DEFINITION, total=total,
        by_channel=[rows[k] for k in sorted(rows)],
    )  # fmt: skip


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None
