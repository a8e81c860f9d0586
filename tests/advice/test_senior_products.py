"""The senior products (docs/products.md): rates derived as documented, age limits enforced by the quoting
engine, and an application through the existing flow for a grandparent."""

from __future__ import annotations

import csv
import os
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiabao.actuarial.tables import Sex, TableLibrary
from jiabao.config import default_tables_dir
from jiabao.products.catalog import Catalog
from jiabao.products.limits import MemberRequest, ProductSelection, QuoteRefused
from jiabao.products.quoting import quote_household
from jiabao.products.schema import RateTablePricing
from jiabao.runtime import Runtime
from tests.advice.test_api import five
from tests.api.conftest import token_for


def test_senior_cancer_rates_follow_the_ci_table(catalog: Catalog) -> None:
    """Band average of the unisex 2006-2010 CI incidence × 60% cancer share ÷ expected loss ratio 0.65."""
    env = os.environ.get("JIABAO_TABLES_DIR")
    folder = Path(env) if env else default_tables_dir()
    if folder is None or not folder.is_dir():
        pytest.skip("industry tables absent")
    ix = {}
    for sex in ("male", "female"):
        with Path(folder, f"china_ci_2006_2010_25diseases_{sex}.csv").open() as f:
            ix[sex] = {int(r["age"]): Decimal(r["ix"]) for r in csv.DictReader(f)}
    product = catalog.products["senior_cancer"]
    pricing = product.pricing
    assert isinstance(pricing, RateTablePricing) and pricing.expected_loss_ratio == 0.65
    for band in pricing.bands:
        ages = range(band.min_age, band.max_age + 1)
        mean = sum((ix["male"][a] + ix["female"][a]) / 2 for a in ages) / len(ages)
        expected = (1000 * mean * Decimal("0.6") / Decimal("0.65")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert band.rate == expected, (band.min_age, band.rate, expected)


@pytest.mark.parametrize(("code", "oldest"), [("senior_cancer", 80), ("senior_accident", 85)])
def test_age_limits(code: str, oldest: int, catalog: Catalog, library: TableLibrary) -> None:
    def quote(age: int) -> Decimal:
        sel = ProductSelection(product_code=code, sum_assured=Decimal(100000))
        member = MemberRequest(member_id="g", age=age, sex=Sex.FEMALE, relation="parent", selections=[sel])
        found = quote_household(members=[member], catalog=catalog, tables=library, as_of=date(2026, 12, 3))
        return found.annual_premium

    assert quote(oldest) > quote(oldest - 15) > 0
    with pytest.raises(QuoteRefused):
        quote(oldest + 1)
    with pytest.raises(QuoteRefused):
        quote(49)


def test_grandparent_applies_for_senior_cover(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)  # the grandmother is 74
    headers = token_for(client, "zhang")
    for code in ("senior_cancer", "senior_accident"):
        created = client.post(
            f"/api/v1/households/{ids['household']}/applications",
            headers=headers,
            json={"product_code": code, "insureds": [{"person_id": ids["granny"], "sum_assured": "100000"}]},
        )
        assert created.status_code == 201, created.text
        assert Decimal(created.json()["insureds"][0]["annual_premium"]) > 0
