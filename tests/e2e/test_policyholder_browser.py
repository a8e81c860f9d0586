"""In a real Chromium at 390 px (and on a desktop): the husband asks to make his wife the policyholder of the
family critical-illness policy (变更投保人); she sees the request on the family home, consents from her own log-in
with her card, and the policy is hers. The family-wide change page shows what it will change and skip. Every page
passes the customer-page checks (no sideways scrolling, no English in Chinese mode, no serious axe violation)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from jiabao.runtime import Runtime
from tests.e2e.conftest import TIMEOUT_MS, login
from tests.e2e.ux import DESKTOP, PHONE, page_problems
from tests.factories import PASSWORD
from tests.policies.test_policyholder_change import NEW_CARD, _holder, _home

pytestmark = pytest.mark.e2e


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """A page that lets Playwright inject axe-core (the platform's CSP, script-src 'self', would refuse it)."""
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def test_both_parties_consent_to_the_change_of_policyholder(
    axe_page: Page, client: TestClient, live_url: str, runtime: Runtime
) -> None:
    page = axe_page
    home = _home(client, runtime)
    page.set_viewport_size(PHONE)
    login(page, live_url, "zhang", PASSWORD)
    expect(page).to_have_url(f"{live_url}/households/{home.id}")
    page.get_by_test_id("open-family-change").click()
    expect(page.get_by_test_id("fch-preview")).to_be_visible()
    problems = page_problems(page, phone=True)
    page.set_viewport_size(DESKTOP)
    problems += page_problems(page, phone=False)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_url}/policies/{home.policy}/servicing")
    page.get_by_test_id("svc-holder-link").click()
    expect(page.get_by_test_id("hch-current")).to_have_text("张伟")
    problems += page_problems(page, phone=True)
    page.get_by_test_id("hch-new-holder").select_option(str(home.spouse))
    page.get_by_test_id("hch-submit").click()
    expect(page.get_by_test_id("hch-done")).to_contain_text("等待新投保人确认")
    expect(page.get_by_test_id("hch-waiting")).to_be_visible()
    problems += page_problems(page, phone=True)

    page.context.clear_cookies()
    login(page, live_url, "lina", PASSWORD)
    expect(page).to_have_url(f"{live_url}/households/{home.id}")
    page.get_by_test_id("holder-pending-open").click()
    expect(page.get_by_test_id("hch-consent-form")).to_be_visible()
    problems += page_problems(page, phone=True)
    page.get_by_test_id("hch-consent").click()  # nothing ticked: told in place, nothing changes
    expect(page.get_by_test_id("hch-problems")).to_contain_text("完全民事行为能力")
    problems += page_problems(page, phone=True)
    page.get_by_test_id("hch-capacity").check()
    page.get_by_test_id("hch-account").fill(NEW_CARD)
    page.get_by_test_id("hch-debit").check()
    page.get_by_test_id("hch-consent").click()
    expect(page.get_by_test_id("hch-done")).to_contain_text("已办理完成")
    expect(page.get_by_test_id("hch-current")).to_have_text("李娜")
    problems += page_problems(page, phone=True)
    page.set_viewport_size(DESKTOP)
    problems += page_problems(page, phone=False)
    assert problems == [], problems
    assert _holder(runtime, home.policy) == home.spouse
