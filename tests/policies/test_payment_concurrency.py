"""50 concurrent identical payment submissions over HTTP charge once and issue one policy."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Instalment, Payment, Policy
from jiabao.runtime import Runtime
from tests.policies.flow import ACCOUNT, application, confirm_body


def test_fifty_concurrent_identical_payments_charge_once(client: TestClient, runtime: Runtime, live_url: str) -> None:
    _, app_id, _, _, headers = application(client, runtime)
    confirmed = client.post(
        f"/api/v1/applications/{app_id}/confirm", json=confirm_body(client, app_id, headers), headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text
    request_headers = headers | {"Idempotency-Key": f"double-click-{app_id}"}

    def submit(_: int) -> httpx.Response:
        return httpx.post(
            f"{live_url}/api/v1/applications/{app_id}/payments",
            json={"account": ACCOUNT},
            headers=request_headers,
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(submit, range(50)))
    assert sorted({r.status_code for r in responses}) == [201], [r.text for r in responses if r.status_code != 201]
    assert len({r.json()["policy_no"] for r in responses}) == 1
    assert sum(1 for r in responses if not r.json()["replayed"]) == 1
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(Payment.id))) == 1
        assert session.scalar(select(func.count(Policy.id))) == 1
        assert session.scalar(select(func.count(Instalment.id)).where(Instalment.paid_on.is_not(None))) == 1
