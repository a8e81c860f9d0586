"""Shared steps for claims tests: a household with an outpatient medical policy for a child, past its waiting
period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, make_family, resident_id
from tests.policies.flow import ACCOUNT, confirm_body, healthy

CHILD_ACCOUNT = "6222021234567890128"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
"""The start of a PNG file: enough for the magic-byte check (the content is not parsed)."""


def upload(client: TestClient, household_id: int, headers: dict[str, str], kinds: list[str]) -> list[int]:
    """Upload one small PNG per document kind; returns the document ids."""
    ids = []
    for kind in kinds:
        response = client.post(
            f"/api/v1/households/{household_id}/claim-documents",
            data={"kind": kind},
            files={"file": (f"{kind}.png", PNG, "image/png")},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        ids.append(int(response.json()["id"]))
    return ids


def with_uploads(
    client: TestClient, household_id: int, headers: dict[str, str], body: dict[str, Any]
) -> dict[str, Any]:
    """The claim body with its checklist ``documents`` uploaded as files and named in ``document_ids``."""
    kinds = list(body.get("documents", []))
    rest = {k: v for k, v in body.items() if k != "documents"}
    auth = {k: v for k, v in headers.items() if k.lower() == "authorization"}
    return rest | {"document_ids": upload(client, household_id, auth, kinds)}


@dataclass
class Covered:
    household_id: int
    head: int
    child: int
    policy_id: int
    headers: dict[str, str]


def issue_for(
    client: TestClient,
    household_id: int,
    headers: dict[str, str],
    product: str,
    insureds: list[tuple[int, str]],
    **options: Any,
) -> int:
    body = {"product_code": product, "insureds": [{"person_id": p, "sum_assured": sa} for p, sa in insureds], **options}
    app = client.post(f"/api/v1/households/{household_id}/applications", json=body, headers=headers)
    assert app.status_code == 201, app.text
    app_id = app.json()["id"]
    for person, _ in insureds:
        url = f"/api/v1/applications/{app_id}/insureds/{person}/questionnaire"
        questions = client.get(url, headers=headers).json()["questions"]
        assert client.post(url, json={"answers": healthy(questions)}, headers=headers).status_code == 200
    client.post(f"/api/v1/applications/{app_id}/confirm", json=confirm_body(client, app_id, headers), headers=headers)
    paid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": f"issue-{product}-{app_id}"},
    )
    assert paid.status_code == 201, paid.text
    return int(paid.json()["policy_id"])


def child_with_outpatient_cover(client: TestClient, runtime: Runtime) -> Covered:
    family = make_family(runtime)
    child = add_member(
        runtime,
        family.household_id,
        name="张小宝",
        relationship="child",
        id_number=resident_id(date(2016, 9, 9), "M", 3),
    )
    assert child
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    child_id = next(m["person_id"] for m in members if m["relationship"] == "child")
    policy = issue_for(
        client, family.household_id, headers, "outpatient_medical", [(child_id, "20000")], payment_term=1
    )
    runtime.clock.advance(timedelta(days=45))  # past the 30-day waiting period
    return Covered(family.household_id, family.head_person_id, child_id, policy, headers)


def outpatient_claim(person: int, today: date, *, amount: str = "800", invoice: str = "INV-0001") -> dict[str, Any]:
    return {
        "insured_person_id": person,
        "claim_type": "outpatient",
        "event_date": (today - timedelta(days=2)).isoformat(),
        "hospital": "北京儿童医院",
        "diagnoses": [{"icd10": "J06.9", "description": "急性上呼吸道感染"}],
        "bill_items": [
            {
                "code": "outpatient",
                "description": "门诊费用",
                "amount": amount,
                "social_insurance_paid": "0",
                "invoice_number": invoice,
            }
        ],
        "social_insurance_settled": True,
        "documents": [
            "claim_form",
            "insured_id",
            "bank_account",
            "invoice",
            "expense_list",
            "outpatient_record",
            "proxy_authorisation",
            "guardian_proof",
        ],
        "account": CHILD_ACCOUNT,
    }
