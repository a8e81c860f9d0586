"""Application risk scoring (核保风控) in the flow: between underwriting and confirmation every application is
scored; pass goes on, review waits for a risk officer, intercept stops — the customer is told neither why nor
that a risk check happened (AML Law 2024 art. 35; anti-fraud measures, 金规〔2024〕10号)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.risk.aml.rules import customer_notice, tips_off
from jiabao.risk.fraud.models import RiskAssessment
from jiabao.runtime import Runtime
from tests.fraud_aml.flows import officer, set_income
from tests.policies.flow import application, confirm_body, healthy, issue


def _confirm(client: TestClient, app_id: int, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/applications/{app_id}/confirm", json=confirm_body(client, app_id, headers), headers=headers
    )


def test_a_plain_application_passes_and_is_counted(client: TestClient, runtime: Runtime) -> None:
    household_id, app_id, head, _wife, headers = application(client, runtime)
    set_income(client, household_id, headers, head, "200000")  # 300,000 cover = 1.5× income
    confirmed = _confirm(client, app_id, headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "awaiting_payment", confirmed.text
    risk = officer(client, runtime)
    figures = client.get("/api/v1/risk/figures", headers=risk).json()["fraud"]
    assert figures["applications_screened"] == 1 and figures["applications_intercepted"] == 0
    assert figures["interception_rate"] == 0.0
    passed = client.get("/api/v1/risk/applications", params={"status": "passed"}, headers=risk).json()
    assert [a["application_id"] for a in passed] == [app_id] and passed[0]["reasons"] == []


def test_review_holds_with_a_neutral_text_until_a_risk_officer_clears_it(client: TestClient, runtime: Runtime) -> None:
    household_id, app_id, head, _wife, headers = application(client, runtime)
    # 300,000 for each of two insureds on the head's 10,000 income: 30× each → 25 + 25 points → review
    set_income(client, household_id, headers, head, "10000")
    held = _confirm(client, app_id, headers)
    assert held.status_code == 409
    text = held.text
    zh, en = customer_notice("hold")
    assert zh in text or en in text
    assert not tips_off(json.dumps(held.json(), ensure_ascii=False)), "no reason, no mention of a risk check"
    assert "cover_above_income" not in text
    again = _confirm(client, app_id, headers)  # still held; scored once
    assert again.status_code == 409
    risk = officer(client, runtime)
    [case] = client.get("/api/v1/risk/applications", headers=risk).json()
    assert case["application_id"] == app_id and case["outcome"] == "review" and case["points"] == 50
    assert {r["code"] for r in case["reasons"]} == {"cover_above_income"}
    # the customer cannot see or decide the queue
    assert client.get("/api/v1/risk/applications", headers=headers).status_code == 403
    missing_note = client.post(
        f"/api/v1/risk/applications/{case['id']}/decision", json={"clear": True, "note": ""}, headers=risk
    )
    assert missing_note.status_code == 422
    cleared = client.post(
        f"/api/v1/risk/applications/{case['id']}/decision",
        json={"clear": True, "note": "已电话核实收入证明，家庭另有资产"},
        headers=risk,
    )
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    assert (
        client.post(
            f"/api/v1/risk/applications/{case['id']}/decision", json={"clear": False, "note": "再次"}, headers=risk
        ).status_code
        == 409
    )
    confirmed = _confirm(client, app_id, headers)
    assert confirmed.status_code == 200, confirmed.text
    with unit_of_work(runtime.sessions) as session:
        rows = session.scalars(select(RiskAssessment).where(RiskAssessment.application_id == app_id)).all()
        assert len(rows) == 1 and rows[0].decided_by is not None
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "application")))
        assert {"risk.application.score", "risk.application.decide"} <= actions


def test_intercept_refuses_with_a_neutral_text_and_counts(client: TestClient, runtime: Runtime) -> None:
    household_id, app_id, head, _wife, headers = application(client, runtime)
    set_income(client, household_id, headers, head, "5000")  # 60× income for each insured: 45 + 45 points
    refused = _confirm(client, app_id, headers)
    assert refused.status_code == 409
    zh, en = customer_notice("declined")
    assert zh in refused.text or en in refused.text
    assert not tips_off(json.dumps(refused.json(), ensure_ascii=False))
    risk = officer(client, runtime)
    figures = client.get("/api/v1/risk/figures", headers=risk).json()["fraud"]
    assert figures["applications_screened"] == 1 and figures["applications_intercepted"] == 1
    assert figures["interception_rate"] == 1.0
    [case] = client.get("/api/v1/risk/applications", params={"status": "intercepted"}, headers=risk).json()
    assert case["points"] == 90 and case["outcome"] == "intercept"
    # the application does not move on to payment
    paid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": "6222021234567890128"},
        headers=headers | {"Idempotency-Key": "intercepted-0001"},
    )
    assert paid.status_code == 409


def test_one_bank_account_paying_for_several_unrelated_households_is_reviewed(
    client: TestClient, runtime: Runtime
) -> None:
    """Four households paid their first premiums from the same card: the next application of one of them
    finds the account in three unrelated households (40 points) and waits for review."""
    issued = [issue(client, runtime, username=f"user{i}", seq=10 + i) for i in range(4)]  # all pay with ACCOUNT
    first = issued[0]
    body = {
        "product_code": "family_ci",
        "payment_term": 20,
        "coverage": 30,
        "insureds": [{"person_id": first.spouse, "sum_assured": "100000"}],
    }
    created = client.post(f"/api/v1/households/{first.household_id}/applications", json=body, headers=first.headers)
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    url = f"/api/v1/applications/{app_id}/insureds/{first.spouse}/questionnaire"
    questions = client.get(url, headers=first.headers).json()["questions"]
    assert client.post(url, json={"answers": healthy(questions)}, headers=first.headers).status_code == 200
    held = _confirm(client, app_id, first.headers)
    assert held.status_code == 409 and not tips_off(json.dumps(held.json(), ensure_ascii=False))
    risk = officer(client, runtime)
    [case] = client.get("/api/v1/risk/applications", headers=risk).json()
    assert case["application_id"] == app_id
    assert [(r["code"], r["points"]) for r in case["reasons"]] == [("shared_account", 40)]
    # the earlier applications of those households passed: each saw the card in fewer households
    passed = client.get("/api/v1/risk/applications", params={"status": "passed"}, headers=risk).json()
    assert len(passed) == 4
