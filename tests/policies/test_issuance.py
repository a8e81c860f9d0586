"""Confirmation, idempotent first payment, issuance, the policy document."""

from __future__ import annotations

import io
from decimal import Decimal

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select

from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.policies.common.models import Instalment, Payment
from jiabao.runtime import Runtime
from tests.policies.flow import ACCOUNT, application, confirm_body, issue


def test_confirmation_lists_every_missing_item_and_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    _, app_id, head, wife, headers = application(client, runtime)
    needed = client.get(f"/api/v1/applications/{app_id}/requirements", headers=headers).json()
    kinds = {(c["person_id"], c["kind"]) for c in needed["consents"]}
    assert (wife, "insured_consent_death_cover") in kinds and (head, "health_data_separate") in kinds
    assert needed["findings"] and needed["findings"][0]["code"] == "premium_unaffordable"  # no income declared
    assert needed["recording"]["type"] == "internet_trace"
    bad = {"beneficiaries": {str(head): {"legal_heirs": False, "beneficiaries": [{"name": "李娜", "share": "60"}]}}}
    response = client.post(f"/api/v1/applications/{app_id}/confirm", json=bad, headers=headers)
    assert response.status_code == 422
    codes = {f["code"] for f in response.json()["error"]["fields"]}
    assert {"consent_missing", "required", "premium_unaffordable"} <= codes
    assert any(f["field"].startswith(f"beneficiaries.{head}") for f in response.json()["error"]["fields"])
    assert client.get(f"/api/v1/applications/{app_id}", headers=headers).json()["status"] == "accepted"
    unpaid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": "too-early-key"},
    )
    assert unpaid.status_code == 409 and unpaid.json()["error"]["code"] == "not_confirmed"


def test_payment_is_idempotent_and_issues_one_policy(client: TestClient, runtime: Runtime) -> None:
    _, app_id, _, _, headers = application(client, runtime)
    client.post(f"/api/v1/applications/{app_id}/confirm", json=confirm_body(client, app_id, headers), headers=headers)
    key = headers | {"Idempotency-Key": "pay-once-0001"}
    first = client.post(f"/api/v1/applications/{app_id}/payments", json={"account": ACCOUNT}, headers=key)
    again = client.post(f"/api/v1/applications/{app_id}/payments", json={"account": ACCOUNT}, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["policy_no"] == again.json()["policy_no"] and again.json()["replayed"] is True
    other_key = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": "pay-twice-0002"},
    )
    assert other_key.status_code == 409 and other_key.json()["error"]["code"] == "already_issued"
    with unit_of_work(runtime.sessions) as session:
        assert session.scalar(select(func.count(Payment.id))) == 1
        payment = session.scalars(select(Payment)).one()
        assert payment.account_masked == "6222 **** **** 0128" and ACCOUNT.encode() not in payment.account_enc
        instalments = session.scalars(select(Instalment).order_by(Instalment.seq)).all()
        assert len(instalments) == 20 and instalments[0].paid_on is not None and instalments[1].paid_on is None
        assert sum((i.amount for i in instalments), Decimal(0)) == payment.amount * 20
        assert session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.topic == "sms")) == 1


def test_issued_policy_shows_in_the_household_with_a_chinese_pdf(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    policies = client.get(f"/api/v1/households/{issued.household_id}/policies", headers=issued.headers).json()
    assert [p["policy_no"] for p in policies] == [issued.policy_no]
    policy = policies[0]
    assert policy["status"] == "in_force" and policy["return_visit"] == "pending"
    assert policy["pending_actions"] == ["return_visit"] and policy["next_due_date"]
    head_cover = next(i for i in policy["insureds"] if i["person_id"] == issued.head)
    assert head_cover["beneficiaries"]["beneficiaries"][0]["name"] == "李娜"
    pdf = client.get(f"/api/v1/policies/{issued.policy_id}/document.pdf", headers=issued.headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert issued.policy_no in text and "同心家庭重大疾病保险" in text and "张伟" in text and "李娜" in text
    assert "犹豫期" in text and "现金价值" in text
