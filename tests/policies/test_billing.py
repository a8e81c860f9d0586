"""Renewal premiums, the billing job, termination after 2 years, and reinstatement referral and replay."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.policies.rules.schedule import add_years
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_user
from tests.policies.flow import ACCOUNT, issue
from tests.policies.test_billing_helpers import on, payments, policy_row, requests, run_job, sms_kinds

ISSUED = date(2026, 11, 26)
SECOND_DUE = date(2027, 11, 26)
SUSPENDED = date(2028, 1, 26)  # second instalment unpaid: grace 27 Nov 2027 – 25 Jan 2028, suspended the next day


def test_premium_refusals_leave_nothing(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    url, headers = f"/api/v1/policies/{issued.policy_id}/premiums", issued.headers
    early = client.post(url, json={"account": ACCOUNT}, headers=headers | {"Idempotency-Key": "too-early-001"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_yet_due"
    on(runtime, date(2027, 10, 1))
    no_key = client.post(url, json={"account": ACCOUNT}, headers=headers)
    assert no_key.status_code == 422 and no_key.json()["error"]["fields"][0]["field"] == "Idempotency-Key"
    bad_card = client.post(
        url, json={"account": "6222 0212 ABCD 7890"}, headers=headers | {"Idempotency-Key": "k-bad-card"}
    )
    assert bad_card.status_code == 422 and bad_card.json()["error"]["fields"][0]["field"] == "account"
    first = client.post(url, json={"account": ACCOUNT}, headers=headers | {"Idempotency-Key": "k-renewal-1"})
    assert first.status_code == 201 and first.json()["instalment"] == 2 and first.json()["due_date"] == "2027-11-26"
    reused = client.post(
        f"/api/v1/applications/{issued.application_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": "k-renewal-1"},
    )
    assert reused.status_code == 409  # the first premium was already paid under another key
    assert [p.kind for p in payments(runtime, issued.policy_id)] == ["first_premium", "renewal_premium"]


def test_concurrent_identical_premium_submissions_charge_once(
    client: TestClient, runtime: Runtime, live_url: str
) -> None:
    issued = issue(client, runtime)
    on(runtime, SECOND_DUE)
    request_headers = issued.headers | {"Idempotency-Key": f"renewal-double-click-{issued.policy_id}"}

    def submit(_: int) -> httpx.Response:
        url = f"{live_url}/api/v1/policies/{issued.policy_id}/premiums"
        return httpx.post(url, json={"account": ACCOUNT}, headers=request_headers, timeout=60)

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(submit, range(20)))
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses if r.status_code != 201]
    assert len({r.json()["payment_id"] for r in responses}) == 1
    assert sum(1 for r in responses if not r.json()["replayed"]) == 1
    assert [p.kind for p in payments(runtime, issued.policy_id)] == ["first_premium", "renewal_premium"]


def test_suspended_two_years_terminates(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    deadline = add_years(SUSPENDED, 2)  # 26 Jan 2030 is the last day to reinstate
    on(runtime, deadline)
    assert run_job(runtime).changed == {"in_force->suspended": 1}  # the job had not run since issue
    assert policy_row(runtime, issued.policy_id).suspended_on == SUSPENDED
    on(runtime, date(2030, 1, 27))
    assert run_job(runtime).changed == {"suspended->terminated": 1}
    row = policy_row(runtime, issued.policy_id)
    assert (row.status, row.ended_on, row.end_reason) == ("terminated", date(2030, 1, 27), "not_reinstated")
    url = f"/api/v1/policies/{issued.policy_id}/reinstatement"
    refused = client.post(
        url,
        json={"account": ACCOUNT, "risk_increased": False},
        headers=issued.headers | {"Idempotency-Key": "late-reinst"},
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "policy_terminated"
    assert client.get(url, headers=issued.headers).status_code == 409
    assert sms_kinds(runtime)["suspension_notice"] == 1
    assert run_job(runtime).policies == 0  # ended policies are not looked at again


def test_risk_increase_refers_to_an_underwriter_and_blocks_online_reinstatement(
    client: TestClient, runtime: Runtime
) -> None:
    issued = issue(client, runtime)
    on(runtime, date(2028, 2, 1))
    url = f"/api/v1/policies/{issued.policy_id}/reinstatement"
    referred = client.post(
        url,
        json={"account": ACCOUNT, "risk_increased": True},
        headers=issued.headers | {"Idempotency-Key": "reinst-yes-1"},
    )
    assert referred.status_code == 202 and referred.json()["status"] == "referred", referred.text
    assert referred.json()["payment_id"] is None and referred.json()["policy_status"] == "suspended"
    request = requests(runtime, issued.policy_id)[-1]
    assert (request.kind, request.status, request.channel) == ("reinstatement", "referred", "online")
    assert request.payload["consent_by_silence_on"] == "2028-03-02" and request.complete_due == date(2028, 3, 2)
    retry = client.post(
        url,
        json={"account": ACCOUNT, "risk_increased": False},
        headers=issued.headers | {"Idempotency-Key": "reinst-no-2"},
    )
    assert retry.status_code == 409 and retry.json()["error"]["code"] == "reinstatement_under_review"
    assert [p.kind for p in payments(runtime, issued.policy_id)] == ["first_premium"]


def test_reinstatement_at_the_counter_is_idempotent(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    make_user(runtime, "counter", Role.SERVICE)
    staff = token_for(client, "counter") | {"Idempotency-Key": "counter-reinst-1"}
    on(runtime, date(2028, 2, 1))
    url = f"/api/v1/policies/{issued.policy_id}/reinstatement"
    not_yet = client.post(f"/api/v1/policies/{issued.policy_id}/premiums", json={"account": ACCOUNT}, headers=staff)
    assert not_yet.status_code == 409 and not_yet.json()["error"]["code"] == "policy_suspended"
    first = client.post(url, json={"account": ACCOUNT, "risk_increased": False}, headers=staff)
    again = client.post(url, json={"account": ACCOUNT, "risk_increased": False}, headers=staff)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json()["replayed"] is True and again.json()["payment_id"] == first.json()["payment_id"]
    assert [r.channel for r in requests(runtime, issued.policy_id)] == ["counter"]
    billing = client.get(f"/api/v1/policies/{issued.policy_id}/instalments", headers=issued.headers).json()
    assert billing["status"] == "in_force" and billing["next_due_date"] == "2028-11-26"
    assert [i["state"] for i in billing["instalments"][:3]] == ["paid", "paid", "upcoming"]
    not_suspended = client.post(
        url, json={"account": ACCOUNT, "risk_increased": False}, headers=staff | {"Idempotency-Key": "counter-reinst-2"}
    )
    assert not_suspended.status_code == 409 and not_suspended.json()["error"]["code"] == "not_suspended"
