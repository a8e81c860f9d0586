"""Races (issue 10, item 3): concurrent requests over HTTP on SQLite (no row locks) and PostgreSQL. The loser of a
race gets 409 with a reason, never a 500, and money moves exactly once: a cooling-off cancellation refunds once
(保险法 art. 47 / 人身保险犹豫期 rules: one refund), a surrender pays once, a member leaves once."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.factories import add_member, resident_id
from tests.policies.flow import issue

N = 12


def _race(call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=N) as pool:
        return list(pool.map(call, range(N)))


def _one_winner(responses: list[httpx.Response], ok: int) -> None:
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(ok) == 1 and set(statuses) <= {ok, 409}, [r.text for r in responses if r.status_code != ok]
    for loser in (r for r in responses if r.status_code == 409):
        error = loser.json()["error"]
        assert error["code"] and error["message_zh"] and error["message_en"]


def test_concurrent_cancellations_refund_once(client: TestClient, runtime: Runtime, live_url: str) -> None:
    issued = issue(client, runtime)
    responses = _race(
        lambda _: httpx.post(
            f"{live_url}/api/v1/policies/{issued.policy_id}/cancellation", headers=issued.headers, timeout=60
        )
    )
    _one_winner(responses, 201)
    with runtime.sessions() as session:
        outgoing = session.scalar(select(func.count(Payment.id)).where(Payment.direction == "out")) or 0
    assert outgoing == 1, outgoing


def test_concurrent_leaves_of_one_member(client: TestClient, runtime: Runtime, live_url: str) -> None:
    issued = issue(client, runtime)
    member_id = add_member(
        runtime, issued.household_id, name="张小", id_number=resident_id(date(2005, 1, 1), "M", 9), relationship="child"
    )
    body = {"left_on": runtime.clock.today().isoformat(), "reason": "child_leaves_home"}
    responses = _race(
        lambda _: httpx.post(
            f"{live_url}/api/v1/members/{member_id}/leave", json=body, headers=issued.headers, timeout=60
        )
    )
    _one_winner(responses, 200)
