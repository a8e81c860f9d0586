"""Claims fraud scoring feeding the claims engine's straight-through gate (max_fast_pay_risk 0.5): rules alone
until enough labels exist, then the calibrated model with an explanation per claim. Customers are never told
that a risk score held their claim (no tipping off)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from jiabao.db.session import unit_of_work
from jiabao.risk.aml.rules import tips_off
from jiabao.risk.fraud import service as fraud
from jiabao.risk.fraud import synthetic
from jiabao.risk.fraud.claim_rules import FEATURES
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import child_with_outpatient_cover, issue_for, outpatient_claim, with_uploads
from tests.factories import add_member, ctx_for, make_family, resident_id
from tests.fraud_aml.flows import officer


def _scored(client: TestClient, risk: dict[str, str]) -> list[dict[str, Any]]:
    return [
        row
        for status in ("passed", "open")
        for row in client.get("/api/v1/risk/claims", params={"status": status}, headers=risk).json()
    ]


def test_small_claim_is_scored_by_the_rules_and_still_paid_straight_through(
    client: TestClient, runtime: Runtime
) -> None:
    covered = child_with_outpatient_cover(client, runtime)  # 45 days after cover start
    body = with_uploads(
        client, covered.household_id, covered.headers, outpatient_claim(covered.child, runtime.clock.today())
    )
    filed = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=body,
        headers=covered.headers | {"Idempotency-Key": "risk-claim-0001"},
    )
    assert filed.status_code == 201 and filed.json()["status"] == "paid", filed.text
    risk = officer(client, runtime)
    [scored] = client.get("/api/v1/risk/claims", params={"status": "passed"}, headers=risk).json()
    assert scored["claim_id"] == filed.json()["id"] and scored["method"] == "rules"
    assert scored["score"] == 0.25 and [r["code"] for r in scored["reasons"]] == ["early_claim"]
    assert client.get("/api/v1/risk/claims", headers=risk).json() == []  # nothing open


def _second_household(client: TestClient, runtime: Runtime) -> tuple[int, int, dict[str, str]]:
    family = make_family(runtime, name="王芳", seq=7, username="wang", phone="13900007777")
    add_member(
        runtime,
        family.household_id,
        name="王小明",
        relationship="child",
        id_number=resident_id(date(2015, 4, 4), "M", 8),
    )
    headers = token_for(client, "wang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    child = next(m["person_id"] for m in members if m["relationship"] == "child")
    issue_for(client, family.household_id, headers, "outpatient_medical", [(child, "20000")], payment_term=1)
    return family.household_id, child, headers


def test_invoice_claimed_by_another_household_is_referred_without_tipping_off(
    client: TestClient, runtime: Runtime
) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    other_household, other_child, other_headers = _second_household(client, runtime)
    runtime.clock.advance(timedelta(days=200))  # both past the waiting period, not early claims
    today = runtime.clock.today()
    first = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(
            client,
            covered.household_id,
            covered.headers,
            outpatient_claim(covered.child, today, invoice="INV-SHARED-1"),
        ),
        headers=covered.headers | {"Idempotency-Key": "risk-claim-a-001"},
    )
    assert first.json()["status"] == "paid", first.text
    second = client.post(
        f"/api/v1/households/{other_household}/claims",
        json=with_uploads(
            client, other_household, other_headers, outpatient_claim(other_child, today, invoice="INV-SHARED-1")
        ),
        headers=other_headers | {"Idempotency-Key": "risk-claim-b-001"},
    )
    assert second.status_code == 201 and second.json()["status"] == "referred", second.text
    assert not tips_off(second.json()["explanation_zh"]) and not tips_off(second.json()["explanation_en"])
    risk = officer(client, runtime)
    [alert] = client.get("/api/v1/risk/claims", headers=risk).json()
    assert alert["claim_id"] == second.json()["id"] and alert["score"] == 0.6
    assert [r["code"] for r in alert["reasons"]] == ["duplicate_invoice_other_household"]
    labelled = client.post(
        f"/api/v1/risk/claims/{alert['id']}/label", json={"fraud": True, "note": "发票为他户已报销发票"}, headers=risk
    )
    assert labelled.status_code == 200 and labelled.json()["fraud_label"] is True
    figures = client.get("/api/v1/risk/figures", headers=risk).json()["fraud"]
    assert figures["claims_scored"] == 2 and figures["claim_alerts_confirmed"] == 1
    assert figures["claim_alerts_open"] == 0
    # one label is far too few: the rules keep deciding
    status = client.get("/api/v1/risk/fraud-model", headers=risk).json()
    assert status["deciding"] == "rules" and status["labels"] == 1 and status["positives"] == 1
    refused = client.post("/api/v1/risk/fraud-model", headers=risk)
    assert refused.status_code == 409 and "too_few_labels" in refused.text


def test_with_a_trained_model_claims_get_its_calibrated_probability_and_an_explanation(
    client: TestClient, runtime: Runtime
) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    history = synthetic.generate(3000, seed=11)
    with unit_of_work(runtime.sessions) as session:
        row = fraud.train(ctx_for(runtime, session), x=history.x, y=history.y)
        assert row.active and row.auc > 0.7 and row.ece < 0.05
    risk = officer(client, runtime)
    status = client.get("/api/v1/risk/fraud-model", headers=risk).json()
    assert status["deciding"] == "model" and status["model"]["auc"] > 0.7 and len(status["model"]["bins"]) >= 5
    filed = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=with_uploads(
            client,
            covered.household_id,
            covered.headers,
            outpatient_claim(covered.child, runtime.clock.today(), invoice="INV-MODEL-1"),
        ),
        headers=covered.headers | {"Idempotency-Key": "risk-claim-m-001"},
    )
    assert filed.status_code == 201
    [scored] = _scored(client, risk)
    assert scored["method"] == "model" and scored["model_version"] == status["model"]["version"]
    assert 0.0 <= scored["score"] <= 1.0
    assert scored["explanation"] and {e["feature"] for e in scored["explanation"]} <= set(FEATURES)
    assert [r["code"] for r in scored["reasons"]] == ["early_claim"]  # the rules' reasons are kept beside it
