"""Issue 9, item 12: the catalog obeys today's rules.

- A product whose pricing rate is above the cap in force on the sale date (金发〔2024〕18号; 2.0% for traditional
  business from 2025-09-01, actuarial.md §4.2) is closed to new business; its policies stay serviceable.
- Age/term cells the death-cover-to-premium ratio (银保监办发〔2020〕7号 item 1: 160% / 140% / 120%) refuses for
  every amount are not offered, and the ratio counts premiums as actually paid: a monthly payer pays
  12 × 0.088 = 105.6% of the annual premium, so some cells pass annually and fail monthly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jiabao.actuarial.tables import Sex, load_table_library
from jiabao.products.catalog import load_catalog
from jiabao.products.limits import MemberRequest, ProductSelection, QuoteRefused
from jiabao.products.offer import on_sale, refused_cells
from jiabao.products.quoting import paid_a_year, quote_household
from jiabao.products.schema import Frequency
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_family

TODAY = date(2026, 11, 26)


def test_a_product_above_todays_rate_cap_is_closed_to_new_business_but_serviceable() -> None:
    catalog, tables = load_catalog(), load_table_library(None)
    legacy = catalog.products["ltc_ci_wholelife"]  # filed 2018-06-01 at 3.5%
    assert on_sale(legacy, date(2020, 1, 1)) and not on_sale(legacy, TODAY)
    member = MemberRequest(
        member_id="m", age=40, sex=Sex.MALE,
        selections=[ProductSelection(product_code="ltc_ci_wholelife", sum_assured=Decimal(100000), payment_term=20)],
    )  # fmt: skip
    with pytest.raises(QuoteRefused) as info:
        quote_household(members=[member], catalog=catalog, tables=tables, as_of=TODAY)
    assert (
        info.value.field == "product_code"
        and "3.50%" in info.value.reason_en
        and "停止新单销售" in info.value.reason_zh
    )
    served = quote_household(members=[member], catalog=catalog, tables=tables, as_of=TODAY, new_business=False)
    assert served.annual_premium > 0


def test_premiums_counted_as_paid() -> None:
    assert paid_a_year(Decimal("1000.00"), Frequency.MONTHLY) == Decimal("1056.00")  # 12 × 88.00
    assert paid_a_year(Decimal("1000.00"), Frequency.ANNUAL) == Decimal("1000.00")


def _products(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/products", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {p["code"]: p for p in response.json()}


def test_the_catalog_api_offers_only_what_todays_rules_allow(client: TestClient, runtime: Runtime) -> None:
    expected = refused_cells(load_catalog().products["whole_life"], runtime.products.tables)
    by_cell = {(c.payment_term, c.frequency.value, c.sex.value): set(c.ages) for c in expected}
    annual, monthly = by_cell.get((5, "annual", "M"), set()), by_cell.get((5, "monthly", "M"), set())
    assert monthly > annual  # paying monthly costs more, so more cells fail
    age = min(monthly - annual)  # refused when paid monthly, offered when paid annually
    family = make_family(runtime, birth=date(TODAY.year - age, 1, 1))
    headers = token_for(client, "zhang")
    listed = _products(client, headers)
    assert "ltc_ci_wholelife" not in listed
    closed = _products(client, headers, include_closed="true")["ltc_ci_wholelife"]
    assert closed["on_sale"] is False
    cells = {(c["payment_term"], c["frequency"], c["sex"]): set(c["ages"]) for c in listed["whole_life"]["not_offered"]}
    assert cells == by_cell

    line = {"person_id": family.head_person_id, "product_code": "whole_life", "sum_assured": "100000",
            "payment_term": 5}  # fmt: skip
    url = f"/api/v1/households/{family.household_id}/quote"
    offered = client.post(url, json={"lines": [line | {"frequency": "annual"}]}, headers=headers)
    assert offered.status_code == 200, offered.text
    refused = client.post(url, json={"lines": [line | {"frequency": "monthly"}]}, headers=headers)
    assert refused.status_code == 422
    assert "身故或护理保险金为已交保费" in refused.json()["error"]["fields"][0]["message_zh"]
