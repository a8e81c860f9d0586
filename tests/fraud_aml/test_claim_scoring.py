"""Claims fraud scoring feeding the claims engine's straight-through gate (max_fast_pay_risk 0.5): rules alone
until enough labels exist, then the calibrated model with an explanation per claim. Customers are never told
that a risk score held their claim (no tipping off)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from jiabao.db.session import unit_of_work
from jiabao.risk.aml.rules import tips_off
from jiabao.risk.fraud import service as fraud
from jiabao.risk.fraud import synthetic
from jiabao.risk.fraud.claim_rules import FEATURES
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import child_with_outpatient_cover, issue_for, outpatient_claim
from tests.factories import add_member, ctx_for, make_family, resident_id
from tests.fraud_aml.flows import officer


def test_small_claim_is_scored_by_the_rules_and_still_paid_straight_through(
    client: TestClient, runtime: Runtime
) -> None:
    covered = child_with_outpatient_cover(client, runtime)  # 45 days after cover start
    body = outpatient_claim(covered.child, runtime.clock.today())
    filed = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=body,
        headers=covered.headers | {"Idempotency-Key": "risk-claim-0001"},
    )
    assert filed.status_code == 201 and filed.json()["status"] == "paid", filed.text
    risk = officer(client, runtime)
    scored_rows = [
        row
        for status_name in ("passed", "open")
        for row in client.get("/api/v1/risk/claims", params={"status": status_name}, headers=risk).json()
    ]
    [scored] = scored_rows
    assert scored["method"] == "model" and scored["model_version"] == status["model"]["version"]
    assert 0.0 <= scored["score"] <= 1.0
    assert scored["explanation"] and {e["feature"] for e in scored["explanation"]} <= set(FEATURES)
    assert [r["code"] for r in scored["reasons"]] == ["early_claim"]  # the rules' reasons are kept beside it
