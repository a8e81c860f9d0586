"""A bank card that fails its Luhn check digit (ISO/IEC 7812-1) is refused with 422 wherever money moves: the first
premium, renewal premiums, claim payouts and a servicing change of the payment account (issue 10, item 7)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.claims.flow import child_with_outpatient_cover, outpatient_claim, with_uploads
from tests.policies.flow import ACCOUNT, application, confirm_body, issue

BAD = ACCOUNT[:-1] + str((int(ACCOUNT[-1]) + 1) % 10)  # one digit mistyped: the check digit no longer fits


def _refused(response: object) -> None:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    fields = response.json()["error"]["fields"]  # type: ignore[attr-defined]
    assert [(f["field"], f["code"]) for f in fields] == [("account", "bank_card_luhn")]


def test_first_premium_refuses_a_card_failing_luhn(client: TestClient, runtime: Runtime) -> None:
    _, app_id, head, _, headers = application(client, runtime)
    body = confirm_body(client, app_id, headers)
    body["beneficiaries"] = {str(head): {"legal_heirs": True, "beneficiaries": []}}
    assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 200
    paid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": BAD},
        headers=headers | {"Idempotency-Key": "k-1234567"},
    )
    _refused(paid)


def test_renewal_premium_and_account_change_refuse_it(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    headers = issued.headers
    runtime.clock.advance(timedelta(days=330))  # type: ignore[attr-defined]  # the renewal window
    renewal = client.post(
        f"/api/v1/policies/{issued.policy_id}/premiums",
        json={"account": BAD},
        headers=headers | {"Idempotency-Key": "renewal-12345"},
    )
    _refused(renewal)
    change = client.post(
        f"/api/v1/policies/{issued.policy_id}/service-requests",
        json={"kind": "payment_account", "account": BAD, "debit_authorised": True},
        headers=headers,
    )
    _refused(change)


def test_claim_payout_refuses_it(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    body = with_uploads(
        client, covered.household_id, covered.headers, outpatient_claim(covered.child, runtime.clock.today())
    ) | {"account": BAD}
    response = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=body,
        headers=covered.headers | {"Idempotency-Key": "claim-luhn-1"},
    )
    _refused(response)
