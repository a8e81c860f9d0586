"""Idempotency keys are scoped to the household (issue 10, item 4): another household's key is neither an existence
oracle nor a denial of service — the same key from two households makes two independent payments and claims."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.policies.flow import ACCOUNT, application, confirm_body


def _confirmed(client: TestClient, runtime: Runtime, username: str, seq: int) -> tuple[int, dict[str, str]]:
    _, app_id, head, _, headers = application(client, runtime, username=username, seq=seq)
    body = confirm_body(client, app_id, headers)
    body["beneficiaries"] = {str(head): {"legal_heirs": True, "beneficiaries": []}}
    assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 200
    return app_id, headers


def test_the_same_key_in_two_households_is_two_keys(client: TestClient, runtime: Runtime) -> None:
    first_app, first = _confirmed(client, runtime, "zhang", 1)
    second_app, second = _confirmed(client, runtime, "wang", 7)
    key = {"Idempotency-Key": "shared-key-0001"}
    paid = client.post(f"/api/v1/applications/{first_app}/payments", json={"account": ACCOUNT}, headers=first | key)
    assert paid.status_code == 201 and paid.json()["replayed"] is False
    # the other household uses the very same key: no "key reused" conflict (oracle), no refusal (DoS)
    other = client.post(f"/api/v1/applications/{second_app}/payments", json={"account": ACCOUNT}, headers=second | key)
    assert other.status_code == 201, other.text
    assert other.json()["replayed"] is False and other.json()["policy_id"] != paid.json()["policy_id"]
    # within one household the key still replays the first result
    again = client.post(f"/api/v1/applications/{first_app}/payments", json={"account": ACCOUNT}, headers=first | key)
    assert again.status_code == 201 and again.json()["replayed"] is True
    assert again.json()["payment_id"] == paid.json()["payment_id"]
