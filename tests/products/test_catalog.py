"""Catalog: the shipped products load; a bad product file names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jiabao.products.catalog import DEFINITIONS_DIR, ProductFileError, load_catalog, parse_product
from jiabao.products.schema import Category, ProductLine


def test_shipped_catalog(tmp_path: Path) -> None:
    catalog = load_catalog()
    assert {p.category for p in catalog.products.values()} == set(Category) - {Category.CRITICAL_ILLNESS}
    assert len(catalog.codes()) == 13
    assert catalog.products["outpatient_medical"].medical is not None
    assert catalog.products["accident_rider"].rider_of == ["family_term_life", "whole_life"]
    family = catalog.products["family_ci"]
    assert family.family is not None and family.family.max_members == 7
    assert family.ci is not None and family.ci.severe_count == 28 and len(family.ci.mild) == 3
    assert catalog.products["accident"].occupation_classes == [1, 2, 3, 4, 5, 6]
    rating = catalog.products["pension_annuity"].pricing
    assert len(getattr(rating, "mortality_multipliers", {})) == 3
    assert ProductLine.LTC in catalog.products["long_term_care"].product_lines


def write_variant(tmp_path: Path, name: str, change: dict[str, object], base: str = "family_ci.yaml") -> Path:
    data = yaml.safe_load((DEFINITIONS_DIR / base).read_text(encoding="utf-8"))
    for dotted, value in change.items():
        target = data
        *parents, last = dotted.split(".")
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is None:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name_zh": None}, "name_zh", "Field required"),
        ({"benefits.0.multiple": "lots"}, "benefits.0.multiple", "valid number"),
        ({"ages.min_age": 70}, "ages", "min_age is above max_age"),
        ({"pricing.interest": 0.025}, "pricing.interest", "exceeds the traditional cap 2.00%"),
        ({"ci.mild.恶性肿瘤——轻度": 0.35}, "ci.mild.恶性肿瘤——轻度", "more than 30%"),
        ({"waiting_period_days": 200, "pricing.waiting_period_years": 0.5}, "waiting_period_days", "180-day"),
        ({"pricing.loadings": {10: [0.5]}}, "pricing.loadings", "no loadings for payment terms [20]"),
        ({"colour": "red"}, "colour", "Extra inputs"),
        ({"family": None}, "family", "needs 'family' terms"),
        ({"pricing.waiting_period_years": 0.0}, "pricing.waiting_period_years", "does not match"),
    ],
)
def test_bad_product_file_names_file_and_field(
    tmp_path: Path, change: dict[str, object], field: str, message: str
) -> None:
    path = write_variant(tmp_path, "broken_family_ci.yaml", change)
    with pytest.raises(ProductFileError) as info:
        parse_product(path)
    assert info.value.file == path and info.value.field == field
    assert message in info.value.message
    assert str(info.value).startswith(f"broken_family_ci.yaml: field '{field}'")


def test_medical_loading_above_short_term_cap(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "medical.yaml", {"pricing.expected_loss_ratio": 0.6}, "medical_million.yaml")
    with pytest.raises(ProductFileError, match="35%") as info:
        parse_product(path)
    assert info.value.field == "pricing.loadings"


def test_unreadable_and_non_mapping_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(ProductFileError, match=r"bad\.yaml: field '\(file\)': cannot read YAML"):
        parse_product(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ProductFileError, match="mapping"):
        parse_product(bad)


def test_duplicate_versions_rejected_and_latest_version_wins(tmp_path: Path) -> None:
    write_variant(tmp_path, "a.yaml", {})
    write_variant(tmp_path, "b.yaml", {"version": 2, "name_en": "v2"})
    assert load_catalog(tmp_path).products["family_ci"].name_en == "v2"
    write_variant(tmp_path, "c.yaml", {"version": 2})
    with pytest.raises(ProductFileError, match="duplicate product family_ci v2"):
        load_catalog(tmp_path)
