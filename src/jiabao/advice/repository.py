"""Every advice query."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.advice.models import FinancialFacts, ScoreSnapshot


def facts(session: Session, household_id: int) -> FinancialFacts | None:
    return session.scalars(select(FinancialFacts).where(FinancialFacts.household_id == household_id)).one_or_none()


def latest_snapshot(session: Session, household_id: int) -> ScoreSnapshot | None:
    stmt = (
        select(ScoreSnapshot)
        .where(ScoreSnapshot.household_id == household_id)
        .order_by(ScoreSnapshot.computed_at.desc(), ScoreSnapshot.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def snapshots(session: Session, household_id: int, limit: int) -> list[ScoreSnapshot]:
    stmt = (
        select(ScoreSnapshot)
        .where(ScoreSnapshot.household_id == household_id)
        .order_by(ScoreSnapshot.computed_at.desc(), ScoreSnapshot.id.desc())
        .limit(limit)
    )
    return list(reversed(list(session.scalars(stmt))))


def assessed_households(session: Session, after_id: int, limit: int) -> list[int]:
    """Households with at least one snapshot, by id (the dynamic-adjustment job walks them in pages)."""
    stmt = (
        select(ScoreSnapshot.household_id)
        .where(ScoreSnapshot.household_id > after_id)
        .group_by(ScoreSnapshot.household_id)
        .order_by(ScoreSnapshot.household_id)
        .limit(limit)
    )
    return list(session.scalars(stmt))
