"""In Chromium at 390 px (issue 15): a team partner adds an individual partner from the portal; the individual sells
a family plan (family_ci for a couple); the month's run accrues the individual's first-year commission and the
team's override; a cooling-off cancellation claws both back next month; both partners' statements show it. Every
partner page passes the customer pages' checks (``ux.page_problems``): no sideways scroll at 390 px, no English
word or raw code in Chinese, no serious axe-core violation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.partners.models import Partner
from jiabao.runtime import Runtime
from tests.e2e.conftest import login
from tests.e2e.questionnaire import open_documents
from tests.e2e.test_policy_browser import answer_questionnaire
from tests.e2e.ux import page_problems
from tests.factories import PASSWORD, add_member, make_family, make_user, resident_id
from tests.partners.network import approve_plan, network
from tests.policies.flow import ACCOUNT
from tests.policies.test_billing_helpers import on

pytestmark = pytest.mark.e2e
MOBILE = {"width": 390, "height": 844}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page that lets Playwright inject axe-core (the platform's CSP, script-src 'self', would refuse it)."""
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def checked(page: Page) -> None:
    """A partner page at 390 px in Chinese: the customer pages' checks."""
    assert page_problems(page, phone=True) == []


def logout(page: Page, base: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login")


def run_month(page: Page, base: str, month: str) -> None:
    login(page, base, "finance", PASSWORD)
    page.goto(f"{base}/commissions")
    page.fill("input[name=month]", month)
    page.get_by_test_id("run-month").click()
    expect(page.get_by_test_id("cm-runs")).to_contain_text(month)
    page.get_by_test_id("approve-month").click()
    expect(page.get_by_test_id("cm-runs")).to_contain_text("已审批")
    logout(page, base)


def statement_kinds(page: Page, base: str, username: str, month: str) -> str:
    login(page, base, username, PASSWORD)
    page.goto(f"{base}/partner")
    checked(page)
    page.get_by_test_id(f"statement-{month}").click()
    checked(page)
    text = page.get_by_test_id("statement-lines").inner_text()
    logout(page, base)
    return text


def test_team_adds_individual_who_sells_commission_accrues_and_is_clawed_back(
    page: Page, live_url: str, runtime: Runtime
) -> None:
    runtime.knowledge.get()  # load the knowledge base up front (seconds on a busy machine)
    network(runtime)
    approve_plan(runtime)
    make_user(runtime, "finance", Role.ADMIN)
    page.set_viewport_size(MOBILE)

    # 1. The team partner adds an individual partner with a practice registration.
    login(page, live_url, "team_wang", PASSWORD)
    page.goto(f"{live_url}/partner")
    checked(page)
    page.locator("#team summary").click()
    page.fill("input[name=name]", "陈晨")
    page.fill("input[name=username]", "agent_chen")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=registration_number]", "REG-I-2026-0042")
    page.fill("input[name=registration_valid_to]", "2028-06-30")
    page.get_by_test_id("add-partner").click()
    expect(page.get_by_test_id("partner-added")).to_be_visible()
    expect(page.get_by_test_id("partner-team")).to_contain_text("陈晨")
    checked(page)
    logout(page, live_url)
    with unit_of_work(runtime.sessions) as session:
        chen = session.scalars(select(Partner).where(Partner.name == "陈晨")).one()
        chen_user = chen.user_id

    # 2. The individual sells a family plan to a household it serves, on a 390 px screen.
    family = make_family(runtime, partner_id=chen_user)
    assert add_member(runtime, family.household_id, name="李娜", relationship="spouse",
                      id_number=resident_id(date(1987, 6, 1), "F", 2))  # fmt: skip
    login(page, live_url, "agent_chen", PASSWORD)
    open_documents(page, live_url, family.household_id, "family_ci")  # terms and 投保须知 shown first (issue 11)
    page.goto(f"{live_url}/households/{family.household_id}")
    checked(page)
    page.get_by_test_id("open-apply").click()
    page.select_option("select[name=product_code]", "family_ci")
    for box in page.locator("input[type=checkbox][name^=insured-]").all():
        box.check()
        person = (box.get_attribute("name") or "").removeprefix("insured-")
        page.fill(f"input[name=sum-{person}]", "300000")
    page.fill("input[name=coverage]", "30")
    page.fill("input[name=payment_term]", "20")
    page.get_by_test_id("apply-submit").click()
    expect(page.get_by_test_id("application-status")).to_have_text("待健康告知")
    checked(page)
    application_url = page.url
    page.goto(f"{live_url}/partner")
    expect(page.get_by_test_id("partner-pipeline")).to_contain_text("等待客户填写健康告知")
    logout(page, live_url)

    # The customer answers, confirms and pays on the phone.
    login(page, live_url, family.customer_username, PASSWORD)
    page.goto(application_url)
    for height, weight in (("172", "66"), ("163", "52")):
        page.locator("[data-testid^=open-questionnaire-]").first.click()
        answer_questionnaire(page, height, weight)
    page.get_by_test_id("open-confirm").click()
    for box in page.locator("input[type=checkbox][name^=consent-], input[type=checkbox][name^=advice-]").all():
        box.check()
    page.get_by_test_id("confirm-disclosures").check()
    page.get_by_test_id("confirm-submit").click()
    page.get_by_test_id("pay-account").fill(ACCOUNT)
    page.get_by_test_id("pay-submit").click()
    expect(page.get_by_test_id("policy-status")).to_have_text("有效")
    checked(page)
    policy_url = page.url
    logout(page, live_url)

    # 3. November's run: the individual's first-year commission and the team's override.
    run_month(page, live_url, "2026-11")
    mine = statement_kinds(page, live_url, "agent_chen", "2026-11")
    team = statement_kinds(page, live_url, "team_wang", "2026-11")
    assert "首年佣金" in mine and "管理津贴" in team
    login(page, live_url, "team_wang", PASSWORD)  # 我的团队: the team's sale, by 陈晨, and the override earned on it
    page.goto(f"{live_url}/partner?month=2026-11")
    expect(page.get_by_test_id("team-sold")).to_have_text("1件保单")
    expect(page.get_by_test_id("partner-team")).to_contain_text("陈晨")
    assert page.get_by_test_id("team-overrides").inner_text() != "¥0.00"
    checked(page)
    logout(page, live_url)

    # 4. A cooling-off cancellation on 3 December claws back both in December's run.
    on(runtime, date(2026, 12, 3))
    token = page.request.post(f"{live_url}/api/v1/auth/token",
                              data={"username": family.customer_username, "password": PASSWORD}).json()  # fmt: skip
    policy_id = policy_url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    cancelled = page.request.post(f"{live_url}/api/v1/policies/{policy_id}/cancellation",
                                  headers={"Authorization": f"Bearer {token['access_token']}"})  # fmt: skip
    assert cancelled.status == 201, cancelled.text()
    run_month(page, live_url, "2026-12")
    assert "佣金追回" in statement_kinds(page, live_url, "agent_chen", "2026-12")
    assert "佣金追回" in statement_kinds(page, live_url, "team_wang", "2026-12")
