"""Household quotes through the API: priced on the industry tables, refused outside product limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import add_member, make_family, resident_id


def test_family_bundle_is_priced_per_member_with_totals_and_basis(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    spouse = add_member(
        runtime,
        family.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", 2),
    )
    assert spouse
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    head, wife = members[0]["person_id"], members[1]["person_id"]
    body = {
        "lines": [
            {
                "person_id": head,
                "product_code": "family_term_life",
                "sum_assured": "500000",
                "coverage": 20,
                "payment_term": 20,
            },
            {
                "person_id": head,
                "product_code": "family_ci",
                "sum_assured": "300000",
                "coverage": 30,
                "payment_term": 20,
                "frequency": "monthly",
            },
            {
                "person_id": wife,
                "product_code": "family_ci",
                "sum_assured": "300000",
                "coverage": 30,
                "payment_term": 20,
                "frequency": "monthly",
            },
        ]
    }
    response = client.post(f"/api/v1/households/{family.household_id}/quote", json=body, headers=headers)
    assert response.status_code == 200, response.text
    quote = response.json()
    assert [m["person_id"] for m in quote["members"]] == [head, wife]
    lines = quote["members"][0]["lines"]
    assert [line["product_code"] for line in lines] == ["family_term_life", "family_ci"]
    premiums = [Decimal(m["annual_premium"]) for m in quote["members"]]
    assert all(p > 0 for p in premiums) and Decimal(quote["annual_premium"]) == sum(premiums)
    assert quote["bases"] and all(quote["bases"])  # the basis that priced each line is always named
    if runtime.settings.tables_dir is not None:
        assert "CL2010" in quote["bases"][0]
    assert lines[0]["cash_values"] and lines[0]["cash_values"][0]["policy_year"] == 1
    # the monthly instalment is the annual premium times the modal factor (月交 0.088)
    ci = lines[1]
    assert Decimal(ci["instalment"]) == (Decimal(ci["annual_premium"]) * Decimal("0.088")).quantize(Decimal("0.01"))


def test_quote_outside_limits_is_refused_with_the_reason(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime, birth=date(1960, 1, 1))
    headers = token_for(client, "zhang")
    person = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()[0]["person_id"]
    body = {
        "lines": [
            {
                "person_id": person,
                "product_code": "family_term_life",
                "sum_assured": "500000",
                "coverage": 20,
                "payment_term": 20,
            }
        ]
    }
    response = client.post(f"/api/v1/households/{family.household_id}/quote", json=body, headers=headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "quote_refused" and error["fields"][0]["field"]
    assert error["fields"][0]["message_zh"] and error["fields"][0]["message_en"]


def test_quote_for_a_non_member_is_refused(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    other = make_family(runtime, name="刘洋", seq=9, username="liu", phone="13900001234")
    body = {
        "lines": [
            {
                "person_id": other.head_person_id,
                "product_code": "family_term_life",
                "sum_assured": "500000",
                "coverage": 20,
                "payment_term": 20,
            }
        ]
    }
    response = client.post(
        f"/api/v1/households/{family.household_id}/quote", json=body, headers=token_for(client, "zhang")
    )
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["code"] == "not_a_member"


def test_catalog_lists_the_products(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    codes = {p["code"] for p in client.get("/api/v1/products", headers=token_for(client, "zhang")).json()}
    assert {"family_term_life", "whole_life", "family_ci", "medical_million"} <= codes
    assert "ltc_ci_wholelife" not in codes  # 3.5% is above today's 2.0% cap: closed to new business (issue 9)
