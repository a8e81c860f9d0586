"""Acceptance: the whole-life LTC/CI product, defined only in the catalog format, reproduces its published rates.

Oracle files (actuarial.md §2.3; shared/data README §3): 274 annual premiums per 10,000 SA rounded to the yuan,
and the same cells' gross premiums on the cash-value basis (5.5%) at full precision.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from jiabao.actuarial.tables import TableLibrary
from jiabao.products.catalog import Catalog
from jiabao.products.pricer import Points, cash_values, price_batch
from jiabao.products.schema import MultiStatePricing


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def oracle(tables_dir: Path, catalog: Catalog, library: TableLibrary) -> dict[str, np.ndarray]:
    rows = read(tables_dir / "cn_oracle_ltc_ci_wholelife_premium.csv")
    cv = {
        (r["age_buy"], r["sex"], r["ppp"]): float(r["prem_cv"])
        for r in read(tables_dir / "cn_oracle_ltc_ci_wholelife_cv_basis_premium.csv")
    }
    product = catalog.products["ltc_ci_wholelife"]
    age = np.array([int(r["age_buy"]) for r in rows])
    points = Points(
        issue_age=age,
        sex=np.array([r["sex"] for r in rows]),
        payment_term=np.array([int(r["ppp"]) for r in rows]),
        cover_years=product.coverage.end_age - age + 1,
        payout_age=np.zeros_like(age),
        mortality_multiplier=np.ones(len(age)),
    )
    assert isinstance(product.pricing, MultiStatePricing)
    table_set = library.by_basis(product.pricing.table_set or "")
    priced = price_batch(product, table_set, points)
    return {
        "published": np.array([float(r["premium"]) for r in rows]),
        "published_cv": np.array([cv[(r["age_buy"], r["sex"], r["ppp"])] for r in rows]),
        "rate": priced.rate,
        "rate_exact": priced.rate_exact,
        "cv_rate": priced.cv_rate,
        "mcv": cash_values(product, priced, points).minimum_cash_value,
        "basis": np.array(priced.basis),
    }


def test_all_274_premiums_exact_to_the_yuan(oracle: dict[str, np.ndarray]) -> None:
    assert len(oracle["published"]) == 274
    mismatches = np.flatnonzero(oracle["rate"] != oracle["published"])
    assert mismatches.size == 0, f"{mismatches.size} premiums differ, first at row {mismatches[:5]}"
    assert np.all(np.abs(oracle["rate_exact"] - oracle["published"]) <= 0.5)
    assert str(oracle["basis"]) == "CL2010-2013+CI2006-2010"


def test_cash_value_basis_premiums_to_1e_9(oracle: dict[str, np.ndarray]) -> None:
    rel = np.abs(oracle["cv_rate"] / oracle["published_cv"] - 1.0)
    assert rel.max() < 1e-9
    assert oracle["cv_rate"][0] == pytest.approx(252.434698881904, rel=1e-9)  # (18, M, 10) in actuarial.md


def test_catalog_loadings_equal_the_published_loading_file(tables_dir: Path, catalog: Catalog) -> None:
    pricing = catalog.products["ltc_ci_wholelife"].pricing
    assert isinstance(pricing, MultiStatePricing)
    for row in read(tables_dir / "cn_oracle_ltc_ci_wholelife_expense_loading.csv"):
        term = int(row["ppp"])
        if term in pricing.loadings:
            expected = [float(row[k]) for k in ("y1", "y2", "y3", "y4", "y5", "y6plus")]
            assert pricing.loadings[term] == expected


def test_minimum_cash_values_are_sane(oracle: dict[str, np.ndarray]) -> None:
    """Non-negative, zero before any reserve builds up, and (for 18-year-old male, 10-pay) rising while paying."""
    mcv = oracle["mcv"]
    assert np.all(mcv >= 0)
    assert np.all(np.diff(mcv[0, :10]) > 0)
