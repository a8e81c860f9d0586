"""Bad input is a 4xx naming the field, never a 500 (issue 10, item 2), and the OpenAPI document says so (item 9)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from jiabao.app import create_app
from jiabao.claims.engine import BillItem
from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, make_family, make_user, resident_id


@pytest.fixture
def staff(client: TestClient, runtime: Runtime) -> dict[str, str]:
    make_user(runtime, "svc", Role.SERVICE)
    return token_for(client, "svc")


@pytest.fixture
def family(client: TestClient, runtime: Runtime) -> tuple[int, dict[str, str]]:
    fam = make_family(runtime)
    return fam.household_id, token_for(client, fam.customer_username)


def _field(response: Any) -> str:
    return str(response.json()["error"]["fields"][0]["field"])


@pytest.mark.parametrize("value", [str(2**63), str(2**64 + 5), "9" * 40, "0", "-1"])
def test_path_ids_beyond_64_bits_zero_or_negative_are_422(
    client: TestClient, staff: dict[str, str], value: str
) -> None:
    response = client.get(f"/api/v1/households/{value}", headers=staff)
    assert response.status_code == 422, response.text
    assert _field(response) == "household_id"


def test_query_offsets_negative_or_huge_are_422(client: TestClient, staff: dict[str, str]) -> None:
    for value in ("-1", str(2**63)):
        response = client.get("/api/v1/households", params={"offset": value}, headers=staff)
        assert response.status_code == 422 and _field(response) == "offset", response.text


def test_control_characters_refused_in_query_and_body(
    client: TestClient, staff: dict[str, str], family: tuple[int, dict[str, str]]
) -> None:
    assert client.get("/api/v1/households/search", params={"q": "张\x00"}, headers=staff).status_code == 422
    household_id, headers = family
    body = {"kind": "marriage", "occurred_on": "2020-05-01", "note": "婚礼\x00"}
    response = client.post(f"/api/v1/households/{household_id}/events", json=body, headers=headers)
    assert response.status_code == 422 and _field(response) == "note", response.text
    body["note"] = "第一行\n第二行"  # newlines are fine in multi-line text
    assert client.post(f"/api/v1/households/{household_id}/events", json=body, headers=headers).status_code == 201


def test_implausible_dates_refused(client: TestClient, family: tuple[int, dict[str, str]]) -> None:
    household_id, headers = family
    for day in ("0001-01-01", "9999-12-31", "1899-12-31"):
        body = {"kind": "marriage", "occurred_on": day}
        response = client.post(f"/api/v1/households/{household_id}/events", json=body, headers=headers)
        assert response.status_code == 422 and _field(response) == "occurred_on", response.text


def test_money_bounded_with_two_decimals(client: TestClient, family: tuple[int, dict[str, str]]) -> None:
    household_id, headers = family
    members = client.get(f"/api/v1/households/{household_id}/members", headers=headers).json()
    head = members[0]["person_id"]
    for amount in ("100000.001", "1e20", "-5", "NaN"):
        body = {"lines": [{"product_code": "term_life", "person_id": head, "sum_assured": amount}]}
        response = client.post(f"/api/v1/households/{household_id}/quote", json=body, headers=headers)
        assert response.status_code == 422 and _field(response) == "lines.0.sum_assured", (amount, response.text)
    for raw in (b"NaN", b"1e400", str(2**64).encode()):
        body = b'{"lines": [{"product_code": "term_life", "person_id": 1, "sum_assured": ' + raw + b"}]}"
        response = client.post(
            f"/api/v1/households/{household_id}/quote",
            content=body,
            headers=headers | {"content-type": "application/json"},
        )
        assert response.status_code == 422, response.text


def test_a_member_cannot_leave_by_being_born(
    client: TestClient, family: tuple[int, dict[str, str]], runtime: Runtime
) -> None:
    household_id, headers = family
    member_id = add_member(
        runtime, household_id, name="张小", id_number=resident_id(date(2010, 1, 1), "M", 5), relationship="child"
    )
    response = client.post(
        f"/api/v1/members/{member_id}/leave", json={"left_on": "2026-01-01", "reason": "birth"}, headers=headers
    )
    assert response.status_code == 422 and _field(response) == "reason", response.text


def test_social_insurance_share_cannot_exceed_the_bill() -> None:
    with pytest.raises(ValidationError):
        BillItem(code="drug", amount="100", social_insurance_paid="100.01", invoice_number="A1")
    assert BillItem(code="drug", amount="100", social_insurance_paid="100", invoice_number="A1").amount == 100


def test_body_over_the_limit_is_413(client: TestClient, family: tuple[int, dict[str, str]]) -> None:
    household_id, headers = family
    big = json.dumps({"kind": "marriage", "occurred_on": "2020-01-01", "note": "x" * (1024 * 1024 + 10)})
    response = client.post(
        f"/api/v1/households/{household_id}/events", content=big, headers=headers | {"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_upload_limit_is_larger_and_configurable(runtime: Runtime) -> None:
    small = runtime.settings.model_copy(update={"max_body_bytes": 2048, "max_upload_bytes": 8192})
    runtime.settings = small
    with TestClient(create_app(runtime=runtime)) as c:
        form = {"file": ("a.pdf", b"%PDF" + b"0" * 4000, "application/pdf")}
        # a 4 KB multipart body passes the guard (then 404: no such route), a 4 KB JSON body does not
        assert c.post("/api/v1/no-such-upload", files=form).status_code == 404
        body = json.dumps({"note": "x" * 4000})
        assert c.post("/api/v1/no-such", content=body, headers={"content-type": "application/json"}).status_code == 413


def test_deeply_nested_json_is_422_with_a_field(client: TestClient, family: tuple[int, dict[str, str]]) -> None:
    household_id, headers = family
    for depth in (40, 100_000):
        body = "[" * depth + "]" * depth
        response = client.post(
            f"/api/v1/households/{household_id}/events",
            content=body,
            headers=headers | {"content-type": "application/json"},
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"]["fields"][0]["code"] == "too_deep"


def test_unknown_codes_are_404(client: TestClient, family: tuple[int, dict[str, str]]) -> None:
    _, headers = family
    response = client.get("/api/v1/underwriting/impairments/no-such-condition/questions", headers=headers)
    assert response.status_code == 404


def test_openapi_documents_errors_bounds_and_the_token(app: FastAPI) -> None:
    doc = app.openapi()
    assert "Error" in doc["components"]["schemas"]
    bearer = next(iter(doc["components"]["securitySchemes"].values()))
    assert "/api/v1/auth/token" in bearer["description"]
    operation = doc["paths"]["/api/v1/households/{household_id}/members"]["post"]
    for status in ("401", "403", "404", "409", "413", "422"):
        assert operation["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "429" in doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    param = next(p for p in operation["parameters"] if p["name"] == "household_id")
    assert param["schema"]["minimum"] == 1 and param["schema"]["maximum"] == 2**63 - 1
