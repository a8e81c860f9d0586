"""Reading SMS codes the way a person does: from the message text in the outbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime


def sms_bodies(runtime: Runtime) -> list[str]:
    with unit_of_work(runtime.sessions) as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms").order_by(OutboxMessage.id))
        return [str(m.payload["body"]) for m in rows]


def last_code(runtime: Runtime) -> str:
    for body in reversed(sms_bodies(runtime)):
        match = re.search(r"验证码 (\d{6})", body)
        if match:
            return match.group(1)
    raise AssertionError("no code was sent")
