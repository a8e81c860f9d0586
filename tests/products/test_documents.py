"""The product page's content is generated from the catalog file (issue 11 item 4): 人身保险产品信息披露管理办法
(银保监会令2022年第8号) arts. 12–14 ask for the cover, the exclusions, the waiting period and the cooling-off period
before the sale, in plain words."""

from __future__ import annotations

from jiabao.products import documents
from jiabao.products.catalog import Catalog
from jiabao.products.schema import ProductLine


def test_every_product_has_cover_exclusions_periods_terms_and_notice(catalog: Catalog) -> None:
    for code in catalog.codes():
        product = catalog.get(code)
        assert product is not None
        sheet = documents.sheet(product)
        assert sheet.cover, code
        assert sheet.waiting_period_days == product.waiting_period_days
        assert sheet.cooling_off_days == product.free_look_days
        titles = [s.title.zh for s in sheet.terms]
        assert any("责任免除" in t for t in titles) and any("犹豫期" in t for t in titles)
        assert any(f"{product.free_look_days}天" in n.zh for n in sheet.notice)
        if ProductLine.DEATH in product.product_lines:  # the standard death exclusions: suicide within 2 years
            assert any("2年内自杀" in x.zh for x in sheet.exclusions), code


def test_family_ci_states_its_own_figures(catalog: Catalog) -> None:
    """同心家庭重疾: 28 severe illnesses at 100%, mild at 30%, spouse bonus 20%, family waiver, 90-day waiting."""
    product = catalog.get("family_ci")
    assert product is not None
    sheet = documents.sheet(product)
    cover = " ".join(c.zh for c in sheet.cover)
    assert "28种重度疾病" in cover and "100%" in cover and "30%" in cover
    assert "夫妻同心金" in cover and "20%" in cover and "全家豁免" in cover
    assert any("等待期90天" in i.zh for s in sheet.terms for i in s.items)
    assert any("先天性" in x.zh for x in sheet.exclusions)  # the CI line's exclusions


def test_quote_inputs_a_product_needs(catalog: Catalog) -> None:
    """docs/products.md: medical needs social insurance, accident an occupation class, the annuity a health
    rating and a pension age; life and CI products need none of them."""
    needs = {code: documents.needs(p) for code in catalog.codes() if (p := catalog.get(code))}
    assert "social_insurance" in needs["medical_million"]
    assert "occupation_class" in needs["accident"]
    assert {"health_rating", "payout_age"} <= set(needs["pension_annuity"])
    assert needs["family_ci"] == () and needs["whole_life"] == ()
