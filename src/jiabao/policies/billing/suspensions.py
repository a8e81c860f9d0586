"""Recording the suspension history (see :mod:`jiabao.policies.billing.models`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from jiabao.db.context import ServiceContext
from jiabao.policies.billing.models import PolicySuspension


def history(ctx: ServiceContext, policy_id: int) -> list[PolicySuspension]:
    stmt = select(PolicySuspension).where(PolicySuspension.policy_id == policy_id).order_by(PolicySuspension.id)
    return list(ctx.session.scalars(stmt))


def open_period(ctx: ServiceContext, policy_id: int) -> PolicySuspension | None:
    stmt = select(PolicySuspension).where(PolicySuspension.policy_id == policy_id, PolicySuspension.ended_on.is_(None))
    return ctx.session.scalars(stmt.order_by(PolicySuspension.id.desc()).limit(1)).first()


def start(ctx: ServiceContext, policy_id: int, suspended_on: date, notice_due: date) -> PolicySuspension:
    """Open a period (once per suspension date: a second run of the job finds the first row)."""
    stmt = select(PolicySuspension).where(
        PolicySuspension.policy_id == policy_id, PolicySuspension.suspended_on == suspended_on
    )
    found = ctx.session.scalars(stmt).first()
    if found is not None:
        return found
    row = PolicySuspension(policy_id=policy_id, suspended_on=suspended_on, notice_due=notice_due)
    ctx.session.add(row)
    ctx.session.flush()
    return row


def close(ctx: ServiceContext, policy_id: int, on: date, reason: str) -> PolicySuspension | None:
    """End the open period on ``on`` (reinstatement: cover again from that day)."""
    row = open_period(ctx, policy_id)
    if row is not None:
        row.ended_on, row.end_reason = on, reason
        ctx.session.flush()
    return row
