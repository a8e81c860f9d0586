"""Unit of work, append-only audit log, outbox, money columns."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select, text
from sqlalchemy.exc import DBAPIError

from jiabao.db import audit, outbox
from jiabao.db.base import Fen
from jiabao.db.session import after_commit, unit_of_work
from jiabao.runtime import Runtime


def test_unit_of_work_rolls_back_everything_on_error(runtime: Runtime) -> None:
    delivered: list[str] = []
    with pytest.raises(RuntimeError), unit_of_work(runtime.sessions) as session:
        audit.record(session, at=runtime.clock.now(), actor_id=None, actor_role="system", action="x",
                     entity="e", entity_id=1)  # fmt: skip
        outbox.enqueue(session, topic="sms", payload={"to": "masked"}, at=runtime.clock.now())
        after_commit(session, lambda: delivered.append("sent"))
        session.flush()
        raise RuntimeError("boom")
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(audit.AuditEntry.id))) == 0
        assert session.scalar(select(func.count(outbox.OutboxMessage.id))) == 0
    assert delivered == []


def test_after_commit_callbacks_run_once_committed(runtime: Runtime) -> None:
    seen: list[int] = []
    with unit_of_work(runtime.sessions) as session:
        message = outbox.enqueue(session, topic="sms", payload={"n": 1}, at=runtime.clock.now())
        session.flush()
        after_commit(session, lambda: seen.append(message.id))
        assert seen == []
    assert seen == [message.id]


def test_outbox_delivery_marks_sent_and_keeps_failures_pending(runtime: Runtime) -> None:
    sent: list[dict[str, Any]] = []

    def failing(payload: dict[str, Any]) -> None:
        raise ConnectionError("gateway down")

    with unit_of_work(runtime.sessions) as session:
        outbox.enqueue(session, topic="sms", payload={"n": 1}, at=runtime.clock.now())
        outbox.enqueue(session, topic="email", payload={"n": 2}, at=runtime.clock.now())
    later = runtime.clock.now() + timedelta(seconds=5)
    with unit_of_work(runtime.sessions) as session:
        assert outbox.deliver_pending(session, {"sms": sent.append, "email": failing}, now=later) == 1
    with unit_of_work(runtime.sessions) as session:
        rows = {m.topic: m for m in session.scalars(select(outbox.OutboxMessage))}
    assert sent == [{"n": 1}]
    assert rows["sms"].delivered_at == later and rows["email"].delivered_at is None
    assert rows["email"].attempts == 1 and "gateway down" in (rows["email"].last_error or "")


def test_audit_log_refuses_update_and_delete(runtime: Runtime) -> None:
    with unit_of_work(runtime.sessions) as session:
        audit.record(session, at=runtime.clock.now(), actor_id=None, actor_role="system", action="x",
                     entity="e", entity_id=1)  # fmt: skip
    for statement in ("UPDATE audit_log SET action = 'changed'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), runtime.engine.begin() as conn:
            conn.execute(text(statement))
    with unit_of_work(runtime.sessions) as session:
        assert session.scalars(select(audit.AuditEntry.action)).all() == ["x"]


def test_money_is_stored_as_integer_fen(runtime: Runtime) -> None:
    """Money columns (``Fen``) hold integer fen; the decimal is rounded half-up to the fen on the way in."""
    scratch = MetaData()
    table = Table("fen_check", scratch, Column("id", Integer, primary_key=True), Column("amount", Fen))
    scratch.create_all(runtime.engine)
    try:
        with runtime.engine.begin() as conn:
            conn.execute(table.insert().values(id=1, amount=Decimal("123456.785")))
        with runtime.engine.connect() as conn:
            assert conn.execute(text("SELECT amount FROM fen_check WHERE id = 1")).scalar_one() == 12345679
            assert conn.execute(select(table.c.amount)).scalar_one() == Decimal("123456.79")
    finally:
        scratch.drop_all(runtime.engine)
