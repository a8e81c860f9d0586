"""Helpers for the billing tests (no tests here; named test_billing_* to stay inside the billing paths): move the
injected clock, run the billing job, read the outbox and the rows."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import select

from jiabao.core.clock import FixedClock
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.policies.billing import service as billing_service
from jiabao.policies.billing.service import RefreshSummary
from jiabao.policies.common.models import Payment, Policy, ServiceRequest
from jiabao.runtime import Runtime
from tests.factories import ctx_for


def on(runtime: Runtime, day: date) -> None:
    """Set the clock to 10:00 Beijing time on ``day``."""
    assert isinstance(runtime.clock, FixedClock)
    runtime.clock.set(datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC))


def run_job(runtime: Runtime) -> RefreshSummary:
    with unit_of_work(runtime.sessions) as session:
        return billing_service.refresh_all(ctx_for(runtime, session), runtime.clock.today())


def sms_kinds(runtime: Runtime) -> Counter[str]:
    with unit_of_work(runtime.sessions) as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms"))
        return Counter(str(m.payload["kind"]) for m in rows)


def policy_row(runtime: Runtime, policy_id: int) -> Policy:
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, policy_id)
        assert policy is not None
        return policy


def payments(runtime: Runtime, policy_id: int) -> list[Payment]:
    with unit_of_work(runtime.sessions) as session:
        return list(session.scalars(select(Payment).where(Payment.policy_id == policy_id).order_by(Payment.id)))


def requests(runtime: Runtime, policy_id: int) -> list[ServiceRequest]:
    with unit_of_work(runtime.sessions) as session:
        stmt = select(ServiceRequest).where(ServiceRequest.policy_id == policy_id).order_by(ServiceRequest.id)
        return list(session.scalars(stmt))
