"""In Chromium: a customer complains about a claim from the family's page; the complaint is routed to the claims
team (recusing nobody here), decided within its 15-day limit with a decision letter that reaches the customer;
the family's complaint history shows it; the monthly complaint analysis and the management dashboard count it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from jiabao.runtime import Runtime
from jiabao.voice.service import classifier
from tests.e2e.conftest import login
from tests.factories import PASSWORD
from tests.voice.flow import family_with_claim, staff

pytestmark = pytest.mark.e2e


def test_complaint_about_a_claim_from_filing_to_letter_and_reports(
    page: Page, live_url: str, runtime: Runtime, client: TestClient
) -> None:
    classifier()  # trained once per process (the live server runs in this process): not inside the click's timeout
    team = staff(runtime)
    covered, claim_id = family_with_claim(client, runtime)
    login(page, live_url, "zhang", PASSWORD)
    page.goto(f"{live_url}/households/{covered.household_id}")
    page.get_by_test_id("open-complaints").click()
    expect(page.locator("h1")).to_have_text("家庭投诉记录")
    page.locator("#claim_id").select_option(str(claim_id))
    page.locator("#summary").fill("孩子门诊理赔的款项迟迟不到账，一直说在审核，请尽快处理")
    page.get_by_test_id("submit-complaint").click()
    expect(page.get_by_test_id("filed")).to_be_visible()
    expect(page.get_by_test_id("complaint-category")).to_contain_text("理赔纠纷")
    expect(page.get_by_test_id("complaint-status")).to_have_text("处理中")  # routed to a handler
    due = (runtime.clock.today() + timedelta(days=15)).isoformat()
    expect(page.get_by_test_id("complaint-due")).to_contain_text(due)
    url = page.url.split("?")[0]
    ref = page.get_by_test_id("complaint-ref").inner_text()

    handler_id = client.get(f"/api/v1/complaints/{url.rsplit('/', 1)[1]}", headers=covered.headers).json()["handler_id"]
    handler = "claims_a" if handler_id == team.claims_a.user_id else "claims_b"
    runtime.clock.advance(timedelta(days=7))  # day 7 of 15
    staff_page = page.context.browser.new_context(locale="zh-CN").new_page()  # type: ignore[union-attr]
    login(staff_page, live_url, handler, PASSWORD)
    staff_page.goto(f"{live_url}/complaints-queue")
    staff_page.get_by_role("link", name=ref).click()
    expect(staff_page.get_by_test_id("complaint-team")).to_contain_text("理赔投诉组")
    staff_page.locator("#outcome").select_option("upheld")
    staff_page.locator("#facts").fill("理赔资料齐全，付款指令延迟发出。")
    staff_page.locator("#basis").fill("保险合同第十二条。")
    staff_page.locator("#reasons").fill("付款时效未达到承诺标准。")
    staff_page.locator("#remedy").fill("已补发理赔款并支付利息。")
    staff_page.locator("#root_cause").fill("付款批处理故障")
    staff_page.get_by_test_id("submit-decision").click()
    expect(staff_page.get_by_test_id("decided")).to_be_visible()

    login(page, live_url, "zhang", PASSWORD)  # a week later the customer logs in again
    page.goto(url)
    expect(page.get_by_test_id("complaint-status")).to_have_text("已作出处理决定")
    expect(page.get_by_test_id("complaint-events")).to_contain_text("告知书已发送")
    page.set_viewport_size({"width": 390, "height": 800})  # the customer's phone
    expect(page.get_by_test_id("letter-link")).to_be_visible()
    letter = page.request.get(f"{live_url}{page.get_by_test_id('letter-link').get_attribute('href')}")
    assert letter.status == 200 and letter.headers["content-type"] == "application/pdf"
    page.reload()
    expect(page.get_by_test_id("complaint-events")).to_contain_text("客户已查阅告知书")  # proof of delivery
    page.goto(f"{live_url}/households/{covered.household_id}/complaints")
    expect(page.get_by_test_id("complaints")).to_contain_text(ref)
    expect(page.get_by_test_id("complaints")).to_contain_text("已作出处理决定")

    boss = page.context.browser.new_context(locale="zh-CN").new_page()  # type: ignore[union-attr]
    login(boss, live_url, "admin1", PASSWORD)
    boss.goto(f"{live_url}/reports/complaints-monthly?month={runtime.clock.today():%Y-%m}")
    expect(boss.get_by_test_id("monthly-total")).to_have_text("1")
    expect(boss.get_by_test_id("monthly-decided")).to_have_text("1")
    expect(boss.get_by_test_id("chart-category").locator("svg")).to_be_visible()
    boss.goto(f"{live_url}/dashboard?year={runtime.clock.today().year}")
    expect(boss.locator("[data-kpi=complaints_total]")).to_have_attribute("data-value", "1")
    expect(boss.get_by_test_id("dash-chart-region").locator("svg")).to_contain_text("华北")
    assert re.search(r"100(\.0+)?%", boss.get_by_test_id("dash-chart-category").inner_text())
