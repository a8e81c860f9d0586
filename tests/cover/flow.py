"""Shared steps for the "right cover, right money" tests (issue 9): a family with a child, answers that rate, exclude
or decline a member, and the premium figures as each surface shows them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader

from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, make_family, resident_id
from tests.policies.flow import ACCOUNT, healthy


def disclosure_question(questions: list[dict[str, Any]], code: str) -> str:
    """The id of the base question whose options include impairment ``code``."""
    return next(q["id"] for q in questions if any(o["code"] == code for o in q.get("options", [])))


# Controlled hypertension: CI +25 debits (Table 1, +25%), death standard (kb 2026.1 cardiovascular.yaml).
RATED = ("HTN", {"bp_max": "lt140_90", "complications": "no"})
# A TI-RADS 4a thyroid nodule without biopsy: CI exclusion EX_THYROID, death standard.
EXCLUDED = ("THYROID_NODULE", {"tirads": "tr4a", "biopsy": "not_done"})
# Tetralogy of Fallot, severe: declined on every line.
DECLINED = ("TOF", {"severity": "severe"})


def answer(
    client: TestClient,
    app_id: int,
    person: int,
    headers: dict[str, str],
    disclosure: tuple[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    url = f"/api/v1/applications/{app_id}/insureds/{person}/questionnaire"
    questions = client.get(url, headers=headers).json()["questions"]
    body: dict[str, Any] = {"answers": healthy(questions)}
    if disclosure is not None:
        code, reflexive = disclosure
        body["answers"][disclosure_question(questions, code)] = [code]
        body["reflexive"] = {code: reflexive}
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 200, response.text
    out: dict[str, Any] = response.json()
    return out


def family_with_child(
    runtime: Runtime, client: TestClient, *, seq: int = 1, child_birth: date = date(2016, 9, 9)
) -> tuple[int, int, int, int, dict[str, str]]:
    username = f"cover{seq}"
    family = make_family(runtime, username=username, seq=seq, phone=f"139{seq:08d}")
    add_member(
        runtime, family.household_id, name="李娜", relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", seq + 100),
    )  # fmt: skip
    add_member(
        runtime, family.household_id, name="张小宝", relationship="child",
        id_number=resident_id(child_birth, "M", seq + 200),
    )  # fmt: skip
    headers = token_for(client, username)
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    ids = {m["relationship"]: m["person_id"] for m in members}
    return family.household_id, ids["self"], ids["spouse"], ids["child"], headers


def confirm_and_pay(client: TestClient, app_id: int, headers: dict[str, str]) -> dict[str, Any]:
    needed = client.get(f"/api/v1/applications/{app_id}/requirements", headers=headers).json()
    body = {
        "consents": [{"person_id": c["person_id"], "kind": c["kind"]} for c in needed["consents"]],
        "disclosures_acknowledged": True,
        "confirm_advice": [f["code"] for f in needed["findings"]],
    }
    confirmed = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    paid = client.post(
        f"/api/v1/applications/{app_id}/payments",
        json={"account": ACCOUNT},
        headers=headers | {"Idempotency-Key": f"cover-first-{app_id}"},
    )
    assert paid.status_code == 201, paid.text
    out: dict[str, Any] = paid.json()
    return out


def pdf_text(client: TestClient, policy_id: int, headers: dict[str, str]) -> str:
    pdf = client.get(f"/api/v1/policies/{policy_id}/document.pdf", headers=headers)
    assert pdf.status_code == 200
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)


def yuan(value: Decimal | str) -> str:
    return f"{Decimal(value):,.2f}"
