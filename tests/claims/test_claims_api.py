"""Claims through the API: a small outpatient claim for a child is paid straight through, once."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Payment
from jiabao.runtime import Runtime
from tests.claims.flow import child_with_outpatient_cover, outpatient_claim, with_uploads


def test_small_outpatient_claim_is_paid_straight_through_once(client: TestClient, runtime: Runtime) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    body = with_uploads(
        client, covered.household_id, covered.headers, outpatient_claim(covered.child, runtime.clock.today())
    )
    headers = covered.headers | {"Idempotency-Key": "claim-child-0001"}
    first = client.post(f"/api/v1/households/{covered.household_id}/claims", json=body, headers=headers)
    assert first.status_code == 201, first.text
    claim = first.json()
    assert claim["status"] == "paid", (claim["explanation_zh"], claim["missing_documents"])
    # settled through social insurance: (800 − deductible 0) × 90% = 720
    assert Decimal(claim["paid_amount"]) == Decimal("720.00")
    assert claim["channel"] == "online" and claim["proxy"] is True  # the parent filed for the child
    again = client.post(f"/api/v1/households/{covered.household_id}/claims", json=body, headers=headers).json()
    assert again["id"] == claim["id"] and again["replayed"] is True
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(Payment.id)).where(Payment.kind == "claim")) == 1
    duplicate = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(
            client, covered.household_id, covered.headers, outpatient_claim(covered.child, runtime.clock.today())
        ),
        headers=covered.headers | {"Idempotency-Key": "claim-child-0002"},
    ).json()
    assert duplicate["status"] != "paid"  # the same invoice presented again is not paid again
