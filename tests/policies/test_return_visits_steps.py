"""Shared steps for the return-visit tests (no tests here): read the code back from the outbox, verify, answer."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_family
from tests.policies.flow import ACCOUNT, confirm_body, healthy


def url(policy_id: int, tail: str = "") -> str:
    return f"/api/v1/policies/{policy_id}/return-visit{tail}"


def last_code(runtime: Runtime) -> str:
    """The code in the latest return-visit SMS in the outbox (where the delivery worker would read it)."""
    with unit_of_work(runtime.sessions) as session:
        sms = session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == "sms").order_by(OutboxMessage.id.desc())
        ).all()
        body = next(m.payload["body"] for m in sms if m.payload["kind"] == "return_visit_code")
    match = re.search(r"验证码(\d{6})", body)
    assert match, body
    return match.group(1)


def verified(client: TestClient, runtime: Runtime, policy_id: int, headers: dict[str, str]) -> dict[str, Any]:
    sent = client.post(url(policy_id, "/code"), headers=headers)
    assert sent.status_code == 200, sent.text
    code = last_code(runtime)
    assert code not in sent.text
    response = client.post(url(policy_id, "/verify"), json={"code": code}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["verified"] is True and body["script"]
    return body


def all_yes(visit: dict[str, Any], **overrides: str) -> dict[str, str]:
    return {q["point"]: overrides.get(q["point"], "yes") for q in visit["script"]["questions"]}


def issue_for_head(
    client: TestClient, runtime: Runtime, *, birth: date, username: str = "wang", seq: int = 31
) -> tuple[int, int, dict[str, str]]:
    """A family CI policy for the head alone, the head born on ``birth``: (application id, policy id, headers)."""
    family = make_family(runtime, name="王建国", birth=birth, username=username, seq=seq, phone=f"139{seq:08d}")
    headers = token_for(client, username)
    body = {
        "product_code": "family_ci",
        "payment_term": 20,
        "coverage": 20,
        "frequency": "annual",
        "insureds": [{"person_id": family.head_person_id, "sum_assured": "200000"}],
    }
    app = client.post(f"/api/v1/households/{family.household_id}/applications", json=body, headers=headers)
    assert app.status_code == 201, app.text
    app_id = app.json()["id"]
    q_url = f"/api/v1/applications/{app_id}/insureds/{family.head_person_id}/questionnaire"
    questions = client.get(q_url, headers=headers).json()["questions"]
    assert client.post(q_url, json={"answers": healthy(questions)}, headers=headers).status_code == 200
    confirmed = client.post(
        f"/api/v1/applications/{app_id}/confirm", json=confirm_body(client, app_id, headers), headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text
    paid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": f"visit-premium-{app_id}"},
    )
    assert paid.status_code == 201, paid.text
    return app_id, int(paid.json()["policy_id"]), headers
