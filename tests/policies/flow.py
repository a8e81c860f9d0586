"""Shared steps for policy tests: a household, an application through underwriting, confirmation and payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, make_family, resident_id

ACCOUNT = "6222021234567890128"  # Luhn-valid


def healthy(questions: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    base = {"height_cm": 172, "weight_kg": 66, "cigarettes_per_day": 0, "alcohol": "none", "occupation_class": "c1"}
    return {
        q["id"]: overrides.get(q["id"], [] if q["type"] in ("impairments", "multi_choice") else base.get(q["id"]))
        for q in questions
    }


@dataclass
class Issued:
    household_id: int
    application_id: int
    policy_id: int
    policy_no: str
    head: int
    spouse: int
    headers: dict[str, str]


def application(
    client: TestClient,
    runtime: Runtime,
    *,
    product: str = "family_ci",
    username: str = "zhang",
    seq: int = 1,
    frequency: str = "annual",
) -> tuple[int, int, int, int, dict[str, str]]:
    family = make_family(runtime, username=username, seq=seq, phone=f"138{seq:08d}")
    spouse = add_member(
        runtime,
        family.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", seq + 100),
    )
    assert spouse
    headers = token_for(client, username)
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    head, wife = members[0]["person_id"], members[1]["person_id"]
    body: dict[str, Any] = {
        "product_code": product,
        "payment_term": 20,
        "frequency": frequency,
        "insureds": [{"person_id": head, "sum_assured": "300000"}, {"person_id": wife, "sum_assured": "300000"}],
    }
    if product == "family_ci":
        body["coverage"] = 30
    app = client.post(f"/api/v1/households/{family.household_id}/applications", json=body, headers=headers)
    assert app.status_code == 201, app.text
    app_id = app.json()["id"]
    for person in (head, wife):
        url = f"/api/v1/applications/{app_id}/insureds/{person}/questionnaire"
        questions = client.get(url, headers=headers).json()["questions"]
        answered = client.post(url, json={"answers": healthy(questions)}, headers=headers)
        assert answered.status_code == 200, answered.text
    return family.household_id, app_id, head, wife, headers


def confirm_body(client: TestClient, app_id: int, headers: dict[str, str]) -> dict[str, Any]:
    needed = client.get(f"/api/v1/applications/{app_id}/requirements", headers=headers).json()
    return {
        "consents": [{"person_id": c["person_id"], "kind": c["kind"]} for c in needed["consents"]],
        "disclosures_acknowledged": True,
        "confirm_advice": [f["code"] for f in needed["findings"]],
    }


def issue(client: TestClient, runtime: Runtime, **kwargs: Any) -> Issued:
    household_id, app_id, head, wife, headers = application(client, runtime, **kwargs)
    body = confirm_body(client, app_id, headers)
    body["beneficiaries"] = {str(head): {"legal_heirs": False, "beneficiaries": [{"name": "李娜", "share": "100"}]}}
    confirmed = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "awaiting_payment", confirmed.text
    paid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": f"first-premium-{app_id}"},
    )
    assert paid.status_code == 201, paid.text
    out = paid.json()
    return Issued(household_id, app_id, out["policy_id"], out["policy_no"], head, wife, headers)
