"""Complaint statistics (投诉统计分析): the annual figures by category and region, the monthly analysis with the
regulator's measures (complaints per ¥100 million of premium, per 10,000 policies, per 10,000 insured), time to
resolution, overdue cases, root causes and actions. Queries over the operating tables; nothing stored."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiabao.family.enums import Region
from jiabao.policies.common.models import Payment, Policy, PolicyInsured
from jiabao.voice.models import Complaint
from jiabao.voice.taxonomy import OPEN_STATUSES, Category

PREMIUM_KINDS = ("first_premium", "renewal_premium", "reinstatement")
LIVE = ("in_force", "in_grace", "suspended")


def pct(part: int, whole: int) -> float:
    """A share in percent, rounded half-up to 2 decimals (as the reports print them)."""
    if whole == 0:
        return 0.0
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _breakdown(counts: dict[str, int], keys: list[str], total: int) -> dict[str, dict[str, Any]]:
    return {k: {"count": counts.get(k, 0), "share": pct(counts.get(k, 0), total)} for k in keys}


def _counts(session: Session, column: Any, start: date, end: date, channel: str | None) -> dict[str, int]:
    stmt = select(column, func.count(Complaint.id)).where(Complaint.received_on >= start, Complaint.received_on <= end)
    if channel:
        stmt = stmt.where(Complaint.channel == channel)
    return {str(k): int(n) for k, n in session.execute(stmt.group_by(column)).all()}


def period_summary(session: Session, start: date, end: date, channel: str | None = None) -> dict[str, Any]:
    """Complaints received in [start, end]: total, by category and by region (count and share in percent)."""
    by_category = _counts(session, Complaint.category, start, end, channel)
    by_region = _counts(session, Complaint.region, start, end, channel)
    total = sum(by_category.values())
    return {
        "total": total,
        "by_category": _breakdown(by_category, [c.value for c in Category], total),
        "by_region": _breakdown(by_region, [r.value for r in Region], total),
    }


def annual(session: Session, year: int, channel: str | None = None) -> dict[str, Any]:
    """``jiabao report complaints --year``: the year's complaints by category and region."""
    return {"year": year, **period_summary(session, date(year, 1, 1), date(year, 12, 31), channel)}


def month_bounds(month: str) -> tuple[date, date]:
    year, mon = (int(x) for x in month.split("-"))
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def premium_received(session: Session, start: date, end: date) -> Decimal:
    """Premium received in [start, end] (first, renewal and reinstatement premiums that succeeded)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.direction == "in",
            Payment.status == "succeeded",
            Payment.kind.in_(PREMIUM_KINDS),
            Payment.created_at >= _utc(start),
            Payment.created_at < _utc(end + timedelta(days=1)),
        )
    )
    return Decimal(total or 0)


def in_force_on(session: Session, day: date) -> tuple[int, int]:
    """(policies in force on ``day``, distinct persons insured by them)."""
    live = (
        select(Policy.id)
        .where(Policy.effective_date <= day)
        .where((Policy.ended_on.is_(None)) | (Policy.ended_on > day))
        .where(Policy.status.in_([*LIVE, "terminated", "cancelled", "surrendered"]))
    )
    policies = int(session.scalar(select(func.count()).select_from(live.subquery())) or 0)
    insured = session.scalar(
        select(func.count(func.distinct(PolicyInsured.person_id))).where(
            PolicyInsured.policy_id.in_(live), PolicyInsured.start_date <= day
        )
    )
    return policies, int(insured or 0)


@dataclass
class MonthlyReport:
    month: str
    total: int
    by_category: dict[str, dict[str, Any]]
    by_region: dict[str, dict[str, Any]]
    by_channel: dict[str, int]
    premium: Decimal
    policies: int
    insured: int
    per_100m_premium: float | None
    per_10k_policies: float | None
    per_10k_insured: float | None
    decided: int
    median_days_to_decision: float | None
    decided_late: int
    overdue_open: int
    major: int
    elderly: int
    actions: list[dict[str, Any]] = field(default_factory=list)
    previous_total: int = 0


def _rate(count: int, base: Decimal | int, unit: int) -> float | None:
    if not base:
        return None
    return float((Decimal(count) * unit / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def monthly(session: Session, month: str) -> MonthlyReport:
    start, end = month_bounds(month)
    summary = period_summary(session, start, end)
    rows = list(session.scalars(select(Complaint).where(Complaint.received_on >= start, Complaint.received_on <= end)))
    channels: dict[str, int] = {}
    for c in rows:
        channels[c.channel] = channels.get(c.channel, 0) + 1
    decided = list(session.scalars(select(Complaint).where(Complaint.decided_on >= start, Complaint.decided_on <= end)))
    waits = [(c.decided_on - c.received_on).days for c in decided if c.decided_on]
    late = sum(1 for c in decided if c.due_on and c.decided_on and c.decided_on > c.due_on)
    overdue = int(
        session.scalar(
            select(func.count(Complaint.id)).where(
                Complaint.status.in_([s.value for s in OPEN_STATUSES]),
                Complaint.due_on < min(end, date.max),
                Complaint.received_on <= end,
            )
        )
        or 0
    )
    premium = premium_received(session, start, end)
    policies, insured = in_force_on(session, end)
    total = int(summary["total"])
    prev_start = (start - timedelta(days=1)).replace(day=1)
    previous = period_summary(session, prev_start, start - timedelta(days=1))["total"]
    actions = [
        {
            "ref": c.ref,
            "category": c.category,
            "root_cause": c.root_cause,
            "action": c.action,
            "status": c.action_status,
        }
        for c in session.scalars(
            select(Complaint)
            .where(Complaint.root_cause.is_not(None), Complaint.received_on <= end)
            .order_by(Complaint.received_on.desc())
            .limit(50)
        )
    ]
    return MonthlyReport(
        month=month,
        total=total,
        by_category=summary["by_category"],
        by_region=summary["by_region"],
        by_channel=channels,
        premium=premium,
        policies=policies,
        insured=insured,
        per_100m_premium=_rate(total, premium, 100_000_000),
        per_10k_policies=_rate(total, policies, 10_000),
        per_10k_insured=_rate(total, insured, 10_000),
        decided=len(decided),
        median_days_to_decision=float(median(waits)) if waits else None,
        decided_late=late,
        overdue_open=overdue,
        major=sum(1 for c in rows if c.major),
        elderly=sum(1 for c in rows if c.elderly),
        actions=actions,
        previous_total=int(previous),
    )
