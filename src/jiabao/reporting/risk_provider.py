"""The risk figures (screenings, interceptions) from the risk domain's application scorings (核保风控,
``risk_assessments`` of kind ``application``: every application is scored before confirmation; a person or the
rules intercept it).

When no scoring was recorded in the period the provider answers "not available" with the reason (null, never a
made-up zero), so a platform without the risk data still reports everything else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiabao.risk.fraud.models import RiskAssessment


@dataclass(frozen=True, slots=True)
class RiskCounts:
    available: bool
    screenings: int | None = None
    interceptions: int | None = None
    reason: str | None = None


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC) - timedelta(hours=8)  # Beijing midnight


def risk_counts(session: Session, start: date, end: date) -> RiskCounts:
    """Applications screened in [start, end] and those intercepted, or not available (null with a reason)."""
    rows = session.execute(
        select(RiskAssessment.status, func.count(RiskAssessment.id))
        .where(
            RiskAssessment.kind == "application",
            RiskAssessment.created_at >= _utc(start),
            RiskAssessment.created_at < _utc(end + timedelta(days=1)),
        )
        .group_by(RiskAssessment.status)
    ).all()
    counts = {str(status): int(n) for status, n in rows}
    screenings = sum(counts.values())
    if screenings == 0:
        return RiskCounts(
            available=False,
            reason="risk screening data not available: no application was screened by the risk rules in the period",
        )
    return RiskCounts(available=True, screenings=screenings, interceptions=counts.get("intercepted", 0))
