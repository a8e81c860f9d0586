"""Every query of the valuation tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, aliased

from jiabao.valuation.models import AssumptionSetRecord, ValuationGroupResult, ValuationPolicyResult, ValuationRun

BATCH = 5000


def assumption_set(session: Session, version: str) -> AssumptionSetRecord | None:
    return session.scalars(select(AssumptionSetRecord).where(AssumptionSetRecord.version == version)).first()


def add_assumption_set(
    session: Session, version: str, parameters: dict[str, Any], now: datetime
) -> AssumptionSetRecord:
    record = AssumptionSetRecord(version=version, parameters=parameters, created_at=now)
    session.add(record)
    session.flush()
    return record


def latest_run(session: Session, before_id: int | None = None) -> ValuationRun | None:
    stmt = select(ValuationRun).order_by(ValuationRun.id.desc()).limit(1)
    if before_id is not None:
        stmt = stmt.where(ValuationRun.id < before_id)
    return session.scalars(stmt).first()


def run(session: Session, run_id: int) -> ValuationRun | None:
    return session.get(ValuationRun, run_id)


def runs(session: Session, limit: int = 20) -> Sequence[ValuationRun]:
    return session.scalars(select(ValuationRun).order_by(ValuationRun.id.desc()).limit(limit)).all()


def add_run(session: Session, run_row: ValuationRun) -> ValuationRun:
    session.add(run_row)
    session.flush()
    return run_row


def add_policy_results(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(ValuationPolicyResult), batch)
            batch = []
    if batch:
        session.execute(insert(ValuationPolicyResult), batch)


def add_groups(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(ValuationGroupResult), rows)


def groups(session: Session, run_id: int) -> Sequence[ValuationGroupResult]:
    return session.scalars(
        select(ValuationGroupResult)
        .where(ValuationGroupResult.run_id == run_id)
        .order_by(ValuationGroupResult.product_code, ValuationGroupResult.cohort, ValuationGroupResult.onerous)
    ).all()


def fcf0_by_policy(session: Session, run_id: int) -> dict[int, int]:
    """FCF₀ in fen of every policy of a run (locked at initial recognition)."""
    rows = session.execute(
        select(ValuationPolicyResult.policy_id, ValuationPolicyResult.fcf0_fen).where(
            ValuationPolicyResult.run_id == run_id
        )
    )
    return {int(policy_id): int(fcf0) for policy_id, fcf0 in rows}


MEASURES = ("statutory_fen", "bel_fen", "ra_fen")


def movement(session: Session, run_id: int, previous_id: int) -> dict[str, dict[str, int]]:
    """New business (policies only in this run), exits (only in the previous run) and the change on continuing
    policies, in fen, for the statutory reserve, the BEL and the RA, plus policy counts."""
    current, previous = aliased(ValuationPolicyResult), aliased(ValuationPolicyResult)
    out: dict[str, dict[str, int]] = {}
    new = (
        select(func.count(current.id), *[func.coalesce(func.sum(getattr(current, m)), 0) for m in MEASURES])
        .select_from(current)
        .outerjoin(previous, (previous.policy_id == current.policy_id) & (previous.run_id == previous_id))
        .where(current.run_id == run_id, previous.id.is_(None))
    )
    gone = (
        select(func.count(previous.id), *[func.coalesce(func.sum(-getattr(previous, m)), 0) for m in MEASURES])
        .select_from(previous)
        .outerjoin(current, (current.policy_id == previous.policy_id) & (current.run_id == run_id))
        .where(previous.run_id == previous_id, current.id.is_(None))
    )
    kept = (
        select(
            func.count(current.id),
            *[func.coalesce(func.sum(getattr(current, m) - getattr(previous, m)), 0) for m in MEASURES],
        )
        .select_from(current)
        .join(previous, (previous.policy_id == current.policy_id) & (previous.run_id == previous_id))
        .where(current.run_id == run_id)
    )
    for name, stmt in (("new_business", new), ("exits", gone), ("continuing", kept)):
        row = session.execute(stmt).one()
        out[name] = {
            "policies": int(row[0]),
            **{m.removesuffix("_fen"): int(v) for m, v in zip(MEASURES, row[1:], strict=True)},
        }
    return out
