"""Cooling-off cancellation (犹豫期撤销): premium back less at most ¥10, to the account that paid; day 15 is last."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.policies.rules.calendar import add_working_days
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_user
from tests.policies.flow import issue
from tests.policies.test_billing_helpers import on, payments, policy_row, requests


def test_cancellation_on_the_last_day_refunds_premium_less_ten_yuan(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)  # received Thu 26 Nov 2026 (day 0); day 15 is Fri 11 Dec 2026
    url, headers = f"/api/v1/policies/{issued.policy_id}", issued.headers
    premium = Decimal(client.get(url, headers=headers).json()["instalment"])
    on(runtime, date(2026, 12, 11))
    offer = client.get(f"{url}/surrender-quote", headers=headers).json()
    assert offer["kind"] == "cooling_off" and Decimal(offer["amount"]) == premium - 10
    surrender = client.post(f"{url}/surrender", headers=headers)
    assert surrender.status_code == 409 and surrender.json()["error"]["code"] == "in_cooling_off"
    done = client.post(f"{url}/cancellation", headers=headers)
    assert done.status_code == 201, done.text
    body = done.json()
    assert Decimal(body["refund"]) == premium - 10 and Decimal(body["fee"]) == 10 and body["status"] == "cancelled"
    assert body["account_masked"] == "6222 **** **** 0128"
    assert body["pay_by"] == add_working_days(date(2026, 12, 11), 5).isoformat()
    refund = payments(runtime, issued.policy_id)[-1]
    assert (refund.kind, refund.direction, refund.status, refund.amount) == ("refund", "out", "pending", premium - 10)
    request = requests(runtime, issued.policy_id)[-1]
    assert (request.kind, request.channel, request.payload["type"]) == ("surrender", "online", "cooling_off")
    row = policy_row(runtime, issued.policy_id)
    assert (row.status, row.ended_on, row.end_reason) == ("cancelled", date(2026, 12, 11), "cooling_off_cancellation")
    twice = client.post(f"{url}/cancellation", headers=headers)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "policy_cancelled"
    assert len(payments(runtime, issued.policy_id)) == 2  # first premium in, one refund out


def test_day_sixteen_is_a_surrender_and_the_counter_records_its_channel(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    make_user(runtime, "counter", Role.SERVICE)
    staff = token_for(client, "counter")
    url = f"/api/v1/policies/{issued.policy_id}"
    on(runtime, date(2026, 12, 12))
    late = client.post(f"{url}/cancellation", headers=staff)
    assert late.status_code == 409 and late.json()["error"]["code"] == "cooling_off_over"
    offer = client.get(f"{url}/surrender-quote", headers=issued.headers).json()
    # day 16 of the first policy year: each insured's cash value 16/365 of the way to CV_1 (7号 item 9)
    members = policy_row(runtime, issued.policy_id).details["quote"]["members"]
    each = [
        sum(Decimal(str(r["cash_value"])) for ln in m["lines"] for r in ln["cash_values"] if r["policy_year"] == 1)
        for m in members
    ]
    assert offer["kind"] == "surrender" and offer["policy_year"] == 0
    assert Decimal(offer["amount"]) == sum((cv * 16 / 365).quantize(Decimal("0.01")) for cv in each)
    assert policy_row(runtime, issued.policy_id).status == "in_force"


def test_cancellation_at_the_counter(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    make_user(runtime, "counter", Role.SERVICE)
    done = client.post(f"/api/v1/policies/{issued.policy_id}/cancellation", headers=token_for(client, "counter"))
    assert done.status_code == 201, done.text
    assert [r.channel for r in requests(runtime, issued.policy_id)] == ["counter"]
    other = client.post(f"/api/v1/policies/{issued.policy_id}/cancellation", headers=issued.headers)
    assert other.status_code == 409
