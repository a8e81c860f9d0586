"""Surrender (退保): the cash value at the position both elapsed and paid for (interpolated between anniversaries),
summed over the insureds; paid within 30 days; the entry is shown in every status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.policies.flow import issue
from tests.policies.test_billing_helpers import on, payments, policy_row, requests, run_job


def _cash_value(quote: dict[str, Any], year: int) -> Decimal:
    rows = (r for m in quote["members"] for ln in m["lines"] for r in ln["cash_values"] if r["policy_year"] == year)
    return sum((Decimal(r["cash_value"]) for r in rows), Decimal(0))


def test_first_year_surrender_pays_the_interpolated_cash_value(client: TestClient, runtime: Runtime) -> None:
    """7号 item 9: between anniversaries the cash value is interpolated — not ¥0 in the first policy year."""
    issued = issue(client, runtime)
    on(runtime, date(2027, 6, 1))  # after cooling-off: 187 days into the first policy year (365 days)
    cv1 = _cash_value(policy_row(runtime, issued.policy_id).details["quote"], 1)
    expected = (cv1 * 187 / 365).quantize(Decimal("0.01"))
    done = client.post(f"/api/v1/policies/{issued.policy_id}/surrender", headers=issued.headers)
    assert done.status_code == 201, done.text
    body = done.json()
    assert expected > 0 and Decimal(body["quote"]["amount"]) == expected
    assert Decimal(body["quote"]["position_years"]) == Decimal("0.5123") and body["payment_id"] is not None
    premium = Decimal(body["quote"]["premium_paid"])
    assert Decimal(body["quote"]["deduction"]) == premium - expected  # the surrender loss
    assert [p.direction for p in payments(runtime, issued.policy_id)] == ["in", "out"]
    assert requests(runtime, issued.policy_id)[-1].result["cash_value"] == str(expected)
    assert policy_row(runtime, issued.policy_id).status == "surrendered"


def test_suspended_policy_surrenders_at_the_last_paid_year(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    on(runtime, date(2029, 3, 1))  # 2 years elapsed, only year 1 paid (instalment 2 unpaid: suspended 26 Jan 2028)
    run_job(runtime)
    assert policy_row(runtime, issued.policy_id).status == "suspended"
    url = f"/api/v1/policies/{issued.policy_id}"
    offer = client.get(f"{url}/surrender-quote", headers=issued.headers).json()
    assert (offer["completed_years"], offer["paid_years"], offer["policy_year"]) == (2, 1, 1)
    expected = _cash_value(policy_row(runtime, issued.policy_id).details["quote"], 1)
    assert Decimal(offer["amount"]) == expected and sum(Decimal(m["cash_value"]) for m in offer["members"]) == expected
    done = client.post(f"{url}/surrender", headers=issued.headers)
    assert done.status_code == 201, done.text
    out = payments(runtime, issued.policy_id)[-1]
    assert (out.kind, out.amount, out.details["pay_by"]) == ("surrender", expected, "2029-03-31")
    assert client.get(f"{url}/surrender-quote", headers=issued.headers).json()["kind"] == "ended"
    again = client.post(f"{url}/surrender", headers=issued.headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "policy_surrendered"
