"""Servicing (保全) through the API: contact, beneficiary, payment account, frequency; channels and the online share."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jiabao.core.auth import Role
from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.family.models import Person
from jiabao.policies.common.models import BeneficiaryDesignation, Instalment, Policy, ServiceRequest
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_user
from tests.policies.flow import issue

NEW_CARD = "6225880137026283"  # Luhn-valid


def _submit(client: TestClient, policy_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"/api/v1/policies/{policy_id}/service-requests", json=body, headers=headers)


def _count(runtime: Runtime, model: Any) -> int:
    with unit_of_work(runtime.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_contact_change_goes_through_the_family_service(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    bad = _submit(client, issued.policy_id, {"kind": "contact_details", "phone": "12345"}, issued.headers)
    assert bad.status_code == 422 and _count(runtime, ServiceRequest) == 0
    done = _submit(client, issued.policy_id, {"kind": "contact_details", "phone": "13987654321"}, issued.headers)
    assert done.status_code == 201, done.text
    out = done.json()
    assert out["channel"] == "online" and out["status"] == "completed" and out["sla_status"] == "on_time"
    assert out["result"]["phone_masked"] == "139****4321" and "13987654321" not in json.dumps(out)
    members = client.get(f"/api/v1/households/{issued.household_id}/members", headers=issued.headers).json()
    assert members[0]["phone_masked"] == "139****4321"
    with unit_of_work(runtime.sessions) as session:
        person = session.get(Person, issued.head)
        assert person is not None and person.phone_enc and b"13987654321" not in person.phone_enc
        assert runtime.cipher.decrypt("persons.phone", person.phone_enc).endswith("13987654321")
        sms = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "sms")).all()
        assert any(m.payload["kind"] == "servicing_completed" for m in sms)


def test_beneficiary_change_needs_consent_and_shares_of_100_and_keeps_history(
    client: TestClient, runtime: Runtime
) -> None:
    issued = issue(client, runtime)
    url = f"/api/v1/policies/{issued.policy_id}"
    named = [{"name": "张小明", "relationship": "child", "share": "50"}, {"name": "李娜", "share": "50"}]
    body: dict[str, Any] = {"kind": "beneficiary", "insured_person_id": issued.head, "beneficiaries": named}
    no_consent = _submit(client, issued.policy_id, body, issued.headers)
    assert no_consent.status_code == 422
    assert [f["code"] for f in no_consent.json()["error"]["fields"]] == ["consent_missing"]
    short = body | {
        "insured_consent": True,
        "beneficiaries": [{"name": "李娜", "share": "60"}, {"name": "王", "share": "30"}],
    }
    refused = _submit(client, issued.policy_id, short, issued.headers)
    assert refused.status_code == 422
    assert {(f["field"], f["code"]) for f in refused.json()["error"]["fields"]} == {
        ("beneficiaries.order_1", "shares_not_100")
    }
    assert _count(runtime, ServiceRequest) == 0 and _count(runtime, BeneficiaryDesignation) == 2  # nothing changed
    changed = _submit(client, issued.policy_id, body | {"insured_consent": True}, issued.headers)
    assert changed.status_code == 201 and changed.json()["result"] == {
        "version": 2,
        "previous_version": 1,
        "legal_heirs": False,
    }
    heirs = {"kind": "beneficiary", "insured_person_id": issued.head, "legal_heirs": True, "insured_consent": True}
    assert _submit(client, issued.policy_id, heirs, issued.headers).json()["result"]["version"] == 3
    head = next(i for i in client.get(url, headers=issued.headers).json()["insureds"] if i["person_id"] == issued.head)
    assert head["beneficiaries"]["legal_heirs"] is True and head["beneficiaries"]["version"] == 3
    with unit_of_work(runtime.sessions) as session:
        versions = session.scalars(
            select(BeneficiaryDesignation)
            .where(BeneficiaryDesignation.insured_person_id == issued.head)
            .order_by(BeneficiaryDesignation.version)
        ).all()
        assert [v.version for v in versions] == [1, 2, 3]
        assert versions[0].beneficiaries[0]["name"] == "李娜" and versions[0].service_request_id is None
        assert [b["share"] for b in versions[1].beneficiaries] == ["50", "50"]
        assert versions[1].beneficiaries[0]["relationship"] == "child" and versions[1].insured_consent
    spouse_only = body | {"insured_consent": True, "insured_person_id": 999999}
    assert _submit(client, issued.policy_id, spouse_only, issued.headers).json()["error"]["fields"][0]["code"] == (
        "not_insured"
    )


def test_payment_account_is_validated_and_kept_encrypted(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    body = {"kind": "payment_account", "account": "6225 8801 3700 628X", "debit_authorised": False}
    refused = _submit(client, issued.policy_id, body, issued.headers)
    assert {f["code"] for f in refused.json()["error"]["fields"]} == {"bank_card_invalid", "consent_missing"}
    done = _submit(client, issued.policy_id, body | {"account": NEW_CARD, "debit_authorised": True}, issued.headers)
    assert done.status_code == 201, done.text
    assert done.json()["result"] == {"account_masked": "6225 **** **** 6283", "previous_masked": "6222 **** **** 0128"}
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, issued.policy_id)
        request = session.scalars(select(ServiceRequest)).one()
        assert policy is not None
        stored = policy.details["payment_account"]
        assert NEW_CARD not in json.dumps(policy.details) + json.dumps(request.payload) + json.dumps(request.result)
        sealed = base64.b64decode(stored["account_enc_b64"])
        assert runtime.cipher.decrypt(stored["column"], sealed) == NEW_CARD
        assert stored["masked"] == "6225 **** **** 6283" and stored["service_request_id"] == request.id


def test_frequency_change_replans_from_the_next_instalment(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)  # annual, 20 years, issued 2026-11-26; instalment 1 paid
    body = {"kind": "payment_frequency", "frequency": "monthly"}
    done = _submit(client, issued.policy_id, body, issued.headers)
    assert done.status_code == 201, done.text
    assert done.json()["result"]["effective_on"] == "2027-11-26"
    with unit_of_work(runtime.sessions) as session:
        policy = session.get(Policy, issued.policy_id)
        assert policy is not None and policy.frequency == "monthly"
        rows = session.scalars(select(Instalment).order_by(Instalment.seq)).all()
        premiums = [m["annual_premium"] for m in policy.details["quote"]["members"]]
        # monthly part = annual × 0.088 per insured, half-up to the fen, then summed
        monthly = sum((Decimal(p) * Decimal("0.088")).quantize(Decimal("0.01")) for p in premiums)
        assert rows[0].paid_on is not None and rows[0].amount == policy.annual_premium
        assert len(rows) == 1 + 19 * 12 and [r.seq for r in rows] == list(range(1, 230))
        assert rows[1].due_date == date(2027, 11, 26) and rows[2].due_date == date(2027, 12, 26)
        assert rows[-1].due_date == date(2046, 10, 26)
        assert {r.amount for r in rows[1:]} == {monthly} and policy.instalment == monthly
    again = _submit(client, issued.policy_id, body, issued.headers)
    assert again.json()["error"]["fields"][0]["code"] == "unchanged"


def test_frequency_change_must_start_on_a_due_date_of_the_new_frequency(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime, frequency="monthly")  # next unpaid: 2026-12-26, not an anniversary
    response = _submit(client, issued.policy_id, {"kind": "payment_frequency", "frequency": "annual"}, issued.headers)
    assert response.status_code == 422
    problem = response.json()["error"]["fields"][0]
    assert problem["code"] == "not_aligned" and "2027-11-26" in problem["message_en"]
    assert _count(runtime, ServiceRequest) == 0


def test_sla_dates_across_national_day_and_their_status(client: TestClient, runtime: Runtime) -> None:
    clock = runtime.clock
    clock.set(datetime(2026, 9, 30, 2, 0, tzinfo=UTC))  # type: ignore[attr-defined]  # Wed 30 Sep 2026, 10:00
    issued = issue(client, runtime)
    body = {"kind": "contact_details", "phone": "13987654321"}
    out = _submit(client, issued.policy_id, body, issued.headers).json()
    # Received Wed 30 Sep (day 0, not counted). 1–7 Oct National Day off. Accept within 2 working days:
    # Thu 8 Oct (1), Fri 9 Oct (2) → 9 Oct. Finish within 5: 8 Oct (1), 9 Oct (2), Sat 10 Oct make-up
    # working day 调休 (3), Sun 11 off, Mon 12 Oct (4), Tue 13 Oct (5) → 13 Oct.
    assert out["accept_due"] == "2026-10-09" and out["complete_due"] == "2026-10-13"
    with unit_of_work(runtime.sessions) as session:  # a request still open (e.g. waiting for an underwriter)
        row = session.get(ServiceRequest, out["id"])
        assert row is not None
        row.status, row.completed_at = "accepted", None
    listing = f"/api/v1/policies/{issued.policy_id}/service-requests"
    statuses = []
    for day in (9, 12, 14):  # 12 Oct is the working day before the due date → due soon
        clock.set(datetime(2026, 10, day, 2, 0, tzinfo=UTC))  # type: ignore[attr-defined]
        statuses.append(client.get(listing, headers=issued.headers).json()[0]["sla_status"])
    assert statuses == ["on_time", "due_soon", "overdue"]


def test_online_share_counts_every_request_by_its_recorded_channel(client: TestClient, runtime: Runtime) -> None:
    issued = issue(client, runtime)
    make_user(runtime, "counter", Role.SERVICE)
    make_user(runtime, "auditor", Role.AUDITOR)
    staff = token_for(client, "counter")
    contact = {"kind": "contact_details", "phone": "13987654321"}
    beneficiary = {"kind": "beneficiary", "insured_person_id": issued.spouse, "legal_heirs": True}
    assert _submit(client, issued.policy_id, contact, issued.headers).json()["channel"] == "online"
    assert _submit(client, issued.policy_id, beneficiary | {"insured_consent": True}, issued.headers).status_code == 201
    # the client cannot claim a channel: the field does not exist
    claimed = _submit(client, issued.policy_id, contact | {"channel": "online"}, staff)
    assert claimed.status_code == 422
    assert _submit(client, issued.policy_id, contact, staff).json()["channel"] == "counter"
    account = {"kind": "payment_account", "account": NEW_CARD, "debit_authorised": True}
    assert _submit(client, issued.policy_id, account, staff).json()["channel"] == "counter"
    with unit_of_work(runtime.sessions) as session:  # a kind recorded by another service (e.g. billing)
        session.add(
            ServiceRequest(
                policy_id=issued.policy_id,
                kind="cancellation",
                channel="online",
                status="completed",
                requested_at=runtime.clock.now(),
                accept_due=date(2026, 11, 30),
                complete_due=date(2026, 12, 3),
            )
        )
    params = {"from": "2026-11-01", "to": "2026-11-30"}
    assert client.get("/api/v1/servicing/online-share", params=params, headers=issued.headers).status_code == 403
    share = client.get("/api/v1/servicing/online-share", params=params, headers=token_for(client, "auditor")).json()
    assert (share["online"], share["total"], share["share"]) == (3, 5, "0.6000")
    assert share["by_kind"]["contact_details"] == {"online": 1, "total": 2, "share": "0.5000"}
    assert share["by_kind"]["payment_account"]["share"] == "0.0000"
    assert share["by_kind"]["cancellation"] == {"online": 1, "total": 1, "share": "1.0000"}
    backwards = client.get(
        "/api/v1/servicing/online-share", params={"from": "2026-12-01"}, headers=token_for(client, "auditor")
    )  # "to" defaults to today, 2026-11-26
    assert backwards.status_code == 422 and backwards.json()["error"]["fields"][0]["code"] == "before_from"
