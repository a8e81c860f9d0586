"""Return-visit success rates by channel; a visit done by staff for the customer on an agent-channel sale."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.core.clock import FixedClock
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import ServiceCase
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_family, make_user
from tests.policies.flow import ACCOUNT, confirm_body, healthy, issue
from tests.policies.test_return_visits_steps import all_yes, last_code, url, verified

STATS = "/api/v1/return-visits/stats"


def agent_sale(client: TestClient, runtime: Runtime, staff: dict[str, str]) -> int:
    """A family CI policy sold at the counter by service staff (channel "agent") to a new household."""
    family = make_family(runtime, name="赵磊", username="zhao", seq=41, phone="13900000041")
    body = {
        "product_code": "family_ci",
        "payment_term": 20,
        "coverage": 20,
        "insureds": [{"person_id": family.head_person_id, "sum_assured": "200000"}],
    }
    app = client.post(f"/api/v1/households/{family.household_id}/applications", json=body, headers=staff).json()
    assert app["channel"] == "agent", app
    q_url = f"/api/v1/applications/{app['id']}/insureds/{family.head_person_id}/questionnaire"
    questions = client.get(q_url, headers=staff).json()["questions"]
    assert client.post(q_url, json={"answers": healthy(questions)}, headers=staff).status_code == 200
    client.post(f"/api/v1/applications/{app['id']}/confirm", json=confirm_body(client, app["id"], staff), headers=staff)
    paid = client.post(
        f"/api/v1/applications/{app['id']}/payments",
        json={"account": ACCOUNT},
        headers=staff | {"Idempotency-Key": f"agent-sale-{app['id']}"},
    )
    assert paid.status_code == 201, paid.text
    return int(paid.json()["policy_id"])


def answer(client: TestClient, policy_id: int, headers: dict[str, str], visit: dict[str, Any], **kw: str) -> str:
    done = client.post(url(policy_id, "/answers"), json={"answers": all_yes(visit, **kw)}, headers=headers)
    assert done.status_code == 200, done.text
    return str(done.json()["status"])


def test_success_rates_by_channel(client: TestClient, runtime: Runtime, clock: FixedClock) -> None:
    staff_user = make_user(runtime, "kefu", Role.SERVICE)
    make_user(runtime, "shenji", Role.AUDITOR)
    staff = token_for(client, "kefu")
    passed = issue(client, runtime, username="zhang", seq=1)
    issue(client, runtime, username="qian", seq=2)  # its visit is never started
    locked = issue(client, runtime, username="sun", seq=3)
    agent_policy = agent_sale(client, runtime, staff)
    passed_visit = verified(client, runtime, passed.policy_id, passed.headers)
    assert answer(client, passed.policy_id, passed.headers, passed_visit) == "passed"
    client.post(url(locked.policy_id, "/code"), headers=locked.headers)
    wrong = "000000" if last_code(runtime) != "000000" else "111111"
    for _ in range(5):
        client.post(url(locked.policy_id, "/verify"), json={"code": wrong}, headers=locked.headers)
    # Staff on the phone with the customer: the code goes to the customer's mobile and is read back to staff.
    staff_visit = verified(client, runtime, agent_policy, staff)
    assert answer(client, agent_policy, staff, staff_visit, purchase_and_signatures="no") == "mis_selling"
    with unit_of_work(runtime.sessions) as session:
        case = session.scalars(select(ServiceCase)).one()
        assert case.details["excluded_handler_ids"] == [staff_user.user_id]  # the seller never handles it

    december = {"from": "2026-12-01", "to": "2026-12-31"}
    stats = client.get(STATS, params=december, headers=staff).json()
    total = stats["total"]
    assert (total["due"], total["completed"], total["passed"], total["mis_selling"]) == (4, 2, 1, 1)
    assert (total["needs_human"], total["open"]) == (1, 1)
    assert Decimal(total["success_rate"]) == Decimal("0.5") and Decimal(total["pass_rate"]) == Decimal("0.5")
    by_channel = {r["channel"]: r for r in stats["by_channel"]}
    assert by_channel["agent"]["mis_selling"] == 1 and Decimal(by_channel["agent"]["success_rate"]) == 1
    assert by_channel["online"]["due"] == 3 and Decimal(by_channel["online"]["success_rate"]) == Decimal("0.3333")
    assert "success_rate" in stats["definition"]

    clock.advance(timedelta(days=16))  # the open visit's deadline has passed: a person must take it
    later = client.get(STATS, params=december, headers=token_for(client, "shenji")).json()["total"]
    assert (later["needs_human"], later["open"]) == (2, 0)

    none = client.get(STATS, params={"from": "2026-01-01", "to": "2026-01-31"}, headers=staff).json()["total"]
    assert none["due"] == 0 and none["success_rate"] is None
    backwards = client.get(STATS, params={"from": "2026-12-31", "to": "2026-12-01"}, headers=staff)
    assert backwards.status_code == 422
    assert client.get(STATS, params=december, headers=passed.headers).status_code == 403
