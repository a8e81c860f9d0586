"""In a real Chromium at 390 px: two working parents, two children and a grandparent declare a mortgage; the
protection page shows each member's cover against the gap, the score and a plan within budget (the grandparent
gets the senior products); one click turns the plan into one family application."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jiabao.runtime import Runtime
from tests.advice.test_api import five
from tests.e2e.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _yuan(text: str) -> float:
    found = re.search(r"¥([\d,]+\.?\d*)", text)
    assert found, text
    return float(found.group(1).replace(",", ""))


def test_family_of_five_declares_a_mortgage_and_gets_a_plan(page: Page, live_url: str, runtime: Runtime) -> None:
    ids = five(runtime)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_url, "zhang", PASSWORD)
    expect(page).to_have_url(f"{live_url}/households/{ids['household']}")
    summary = page.get_by_test_id("protection-summary")  # loaded into the family home by htmx
    expect(summary.get_by_test_id("protection-score")).to_have_text(re.compile(r"^\d{1,3}$"))
    summary.get_by_test_id("open-protection").click()
    expect(page.locator("h1")).to_have_text("家庭保障规划")

    form = page.get_by_test_id("facts-form")
    form.locator(f"input[name=income-{ids['head']}]").fill("300000")
    form.locator(f"input[name=income-{ids['spouse']}]").fill("200000")
    form.locator(f"input[name=income-{ids['granny']}]").fill("60000")
    form.locator(f"input[name=education-{ids['son']}]").fill("300000")
    form.locator(f"input[name=education-{ids['daughter']}]").fill("300000")
    page.get_by_test_id("debt-mortgage").fill("1500000")
    form.locator("input[name=liquid_assets]").fill("200000")
    form.locator("select[name=budget_share]").select_option("0.20")
    page.get_by_test_id("save-facts").click()
    expect(page.locator("p.notice")).to_contain_text("已保存")

    for pid in (ids["head"], ids["spouse"], ids["son"], ids["daughter"], ids["granny"]):
        chart = page.get_by_test_id(f"gap-chart-{pid}")
        expect(chart).to_be_visible()
        expect(chart.locator("svg g").first).to_be_attached()
    expect(page.get_by_test_id("reasons")).to_contain_text("身故/全残保障缺口")
    expect(page.get_by_test_id("reasons")).to_contain_text("房贷")

    lines = page.get_by_test_id("plan-line")
    expect(lines.first).to_be_visible()
    budget = _yuan(page.get_by_test_id("plan-budget").inner_text())
    assert budget == pytest.approx((300000 + 200000 + 60000) * 0.20)
    premiums = [_yuan(x) for x in page.get_by_test_id("line-premium").all_inner_texts()]
    assert 0 < sum(premiums) <= budget
    assert _yuan(page.get_by_test_id("plan-total").inner_text()) == pytest.approx(sum(premiums))
    granny = page.locator(f"[data-testid=plan-line][data-person-id='{ids['granny']}']")
    expect(granny.filter(has_text="长者综合意外保险")).to_have_count(1)
    expect(granny.filter(has_text="长者防癌保险")).to_have_count(1)
    expect(page.locator(f"[data-testid=plan-line][data-person-id='{ids['head']}']").first).to_contain_text("补张伟")
    expect(page.get_by_test_id("score-history")).to_contain_text("新增房贷")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width})"

    page.get_by_test_id("apply-plan").click()  # the whole plan becomes one family application (issue 12 item 3)
    expect(page).to_have_url(re.compile(rf"{live_url}/family-applications/\d+$"))
