"""Issue 11 acceptance, in Chromium at 390 px with the platform's CSP enforced (no inline script anywhere): a
customer builds the family, compares products on the product pages, opens the terms and the 投保须知, quotes the
family, goes from the quote straight to a prefilled application, answers the health questionnaire step by step
(with a follow-up question under the condition it concerns, and going back keeps the answers), pays and sees the
policy; the return visit then names what was shown. Every page fits the phone and reads in Chinese."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from jiabao.core.auth import Principal, Role
from jiabao.db.session import unit_of_work
from jiabao.family import membership
from jiabao.family.schemas import MembershipDecisionIn
from jiabao.runtime import Runtime
from tests.e2e.conftest import login
from tests.e2e.questionnaire import answer_steps
from tests.e2e.test_policy_browser import sms_code
from tests.e2e.ux import PHONE, raw_latin, scroll_width
from tests.factories import PASSWORD, ctx_for, make_family, make_user, resident_id
from tests.policies.flow import ACCOUNT

pytestmark = pytest.mark.e2e
HEALTHY = {
    "height_cm": "170",
    "weight_kg": "62",
    "cigarettes_per_day": "0",
    "alcohol": "none",
    "occupation_class": "c1",
}


def fits(page: Page) -> None:
    """No sideways scrolling at 390 px and no raw code or English word on the page."""
    page.wait_for_load_state("networkidle")
    assert scroll_width(page) <= PHONE["width"], f"{page.url} scrolls sideways ({scroll_width(page)} px)"
    assert not raw_latin(page), f"{page.url}: {raw_latin(page)}"


def add_member(page: Page, runtime: Runtime, officer: Principal, name: str, relationship: str, id_number: str) -> None:
    page.get_by_test_id("open-add-member").click()
    page.fill("#member-form input[name=name]", name)
    page.select_option("#member-form select[name=relationship]", relationship)
    page.fill("#member-form input[name=id_number]", id_number)
    page.get_by_test_id("save-member").click()
    # a customer's addition waits for the back office (docs/security.md, "Adding a member"): the officer approves
    expect(page.get_by_test_id("member-requested")).to_contain_text("已收到添加家庭成员的申请")
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, officer)
        [item] = membership.pending(ctx)
        membership.decide(ctx, item.request.id, MembershipDecisionIn(approve=True))
    page.goto(page.url.split("?")[0])  # the household page again, without the "request received" notice


def test_family_from_products_to_policy_on_a_phone(page: Page, live_url: str, runtime: Runtime) -> None:
    runtime.knowledge.get()  # load the knowledge base up front: seconds on a busy machine
    family = make_family(runtime)
    page.set_viewport_size(PHONE)
    login(page, live_url, family.customer_username, PASSWORD)
    expect(page.locator("h1")).to_have_text("全家保障一览")
    fits(page)

    # The family: a spouse and a 14-year-old child.
    officer = make_user(runtime, "svc", Role.SERVICE)
    add_member(page, runtime, officer, "李娜", "spouse", resident_id(date(1987, 6, 1), "F", 2))
    add_member(page, runtime, officer, "张小雨", "child", resident_id(date(2012, 4, 18), "F", 3))
    expect(page.locator("[data-testid=members] tbody tr")).to_have_count(3)
    fits(page)

    # Compare products: the catalog's cards, then two product pages with the family's own premiums.
    page.get_by_test_id("open-products").click()
    expect(page.get_by_test_id("product-card-family_ci")).to_be_visible()
    fits(page)
    page.get_by_test_id("open-product-whole_life").click()
    expect(page.get_by_test_id("product-exclusions")).to_contain_text("责任免除")
    expect(page.get_by_test_id(f"product-premium-{family.head_person_id}")).to_contain_text("¥")
    fits(page)
    page.go_back()
    page.get_by_test_id("open-product-family_ci").click()
    expect(page.get_by_test_id("product-waiting")).to_have_text("90天")
    expect(page.get_by_test_id("product-cooling-off")).to_have_text("15天")
    expect(page.locator("[data-testid^=product-premium-]")).to_have_count(3)
    fits(page)
    for document in ("terms", "notice"):
        page.get_by_test_id(f"open-{document}").click()
        fits(page)
        page.get_by_test_id("document-done").click()
        expect(page.get_by_test_id(f"seen-{document}")).to_be_visible()  # the opening is recorded

    # Quote the family for this product, then straight to the prefilled application.
    page.get_by_test_id("quote-product").click()
    for line in range(3):
        page.fill(f"input[name=line-{line}-sum_assured]", "300000")
        page.fill(f"input[name=line-{line}-coverage]", "30")
        page.fill(f"input[name=line-{line}-payment_term]", "20")
    fits(page)
    page.get_by_test_id("run-quote").click()
    expect(page.get_by_test_id("quote-result")).to_be_visible()
    total = page.get_by_test_id("quote-total").inner_text()
    fits(page)
    page.get_by_test_id("apply-from-quote-family_ci").click()
    expect(page.get_by_test_id("apply-product")).to_have_value("family_ci")
    expect(page.locator("input[type=checkbox][name^=insured-]:checked")).to_have_count(3)
    expect(page.locator("input[name=coverage]")).to_have_value("30")
    fits(page)
    page.get_by_test_id("apply-submit").click()
    expect(page.get_by_test_id("application-status")).to_have_text("待健康告知")
    fits(page)

    # The questionnaire, one body system per step; going back keeps what was typed.
    page.locator("[data-testid^=open-questionnaire-]").first.click()
    expect(page.get_by_test_id("uw-progress")).to_contain_text("第1步")
    page.fill("input[name=q-height_cm]", "172")
    page.fill("input[name=q-weight_kg]", "66")
    page.get_by_test_id("uw-next").click()
    expect(page.get_by_test_id("uw-progress")).to_contain_text("第2步")
    fits(page)
    page.get_by_test_id("uw-back").click()
    expect(page.locator("input[name=q-height_cm]")).to_have_value("172")
    hypertension = ("HTN", {"bp_max": "lt140_90", "complications": "no"})
    answer_steps(page, HEALTHY | {"height_cm": "172", "weight_kg": "66"}, {"disclose_cardiovascular": hypertension})
    for _ in range(2):
        page.locator("[data-testid^=open-questionnaire-]").first.click()
        answer_steps(page, HEALTHY)
    expect(page.get_by_test_id(f"conclusion-{family.head_person_id}")).to_contain_text("加费承保")
    fits(page)

    # Confirm, pay and see the policy.
    page.get_by_test_id("open-confirm").click()
    fits(page)
    for box in page.locator("input[type=checkbox][name^=consent-], input[type=checkbox][name^=advice-]").all():
        box.check()
    page.get_by_test_id("confirm-disclosures").check()
    page.get_by_test_id("confirm-submit").click()
    fits(page)
    page.get_by_test_id("pay-account").fill(ACCOUNT)
    page.get_by_test_id("pay-submit").click()
    expect(page.get_by_test_id("policy-status")).to_have_text("有效")
    fits(page)
    assert re.search(r"¥[\d,]+\.\d\d", total)

    # The household page now charts the cover; the return visit names the documents opened before applying.
    page.goto(f"{live_url}/households/{family.household_id}")
    expect(page.get_by_test_id("chart-cover")).to_be_visible()
    expect(page.locator("canvas[data-chart]").first).to_have_attribute("data-drawn", "1")  # Chart.js drew it
    fits(page)
    page.locator("[data-testid=household-policies] a").first.click()
    page.get_by_test_id("pending-return-visit").click()
    fits(page)
    page.get_by_test_id("visit-send-code").click()
    page.get_by_test_id("visit-code").fill(sms_code(runtime))
    page.get_by_test_id("visit-verify").click()
    expect(page.get_by_test_id("visit-shown")).to_contain_text("保险条款")
    expect(page.get_by_test_id("visit-shown")).to_contain_text("投保须知")
    expect(page.get_by_test_id("visit-cover-shown")).to_contain_text("90天")
    fits(page)
