"""Issue 11 acceptance, in Chromium: every customer page at 390 px (a phone) and 1280 px (a desktop) — no sideways
scrolling on the phone, no raw code or untranslated word in Chinese mode, and no serious or critical accessibility
violation found by axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page

from jiabao.app import create_app
from jiabao.runtime import Runtime
from tests.e2e.conftest import TIMEOUT_MS, login
from tests.e2e.ux import DESKTOP, PHONE, page_problems
from tests.factories import PASSWORD
from tests.policies.flow import issue

pytestmark = pytest.mark.e2e


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """A page that lets Playwright inject axe-core: the platform's CSP (script-src 'self') would refuse it."""
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def customer_paths(runtime: Runtime) -> dict[str, str]:
    """A family with an issued policy and a second application waiting for its health questionnaire."""
    runtime.knowledge.get()
    with TestClient(create_app(runtime=runtime)) as client:
        issued = issue(client, runtime)
        hh, headers = issued.household_id, issued.headers
        body = {"product_code": "whole_life", "payment_term": 20,
                "insureds": [{"person_id": issued.spouse, "sum_assured": "200000"}]}  # fmt: skip
        pending = client.post(f"/api/v1/households/{hh}/applications", json=body, headers=headers).json()["id"]
        members = client.get(f"/api/v1/households/{hh}/members", headers=headers).json()
    return {
        "household": f"/households/{hh}",
        "member": f"/members/{members[1]['member_id']}/edit",
        "products": "/products",
        "product": "/products/family_ci",
        "terms": f"/products/family_ci/terms?household={hh}",
        "notice": f"/products/family_ci/notice?household={hh}",
        "quote": f"/households/{hh}/quote",
        "apply": f"/households/{hh}/apply",
        "pending": f"/applications/{pending}",
        "questionnaire": f"/applications/{pending}/insureds/{issued.spouse}/questionnaire",
        "application": f"/applications/{issued.application_id}",
        "policy": f"/policies/{issued.policy_id}",
        "visit": f"/policies/{issued.policy_id}/return-visit",
        "servicing": f"/policies/{issued.policy_id}/servicing",
        "servicing_menu": f"/policies/{issued.policy_id}/servicing/menu",
        "id_number": f"/policies/{issued.policy_id}/servicing/id-number",
        "holder": f"/policies/{issued.policy_id}/servicing/holder",
        "family_change": f"/households/{hh}/servicing/family",
        "statement": f"/households/{hh}/statement",
        "claims": f"/households/{hh}/claims",
        "claim": f"/households/{hh}/claims/new",
        "complaints": f"/households/{hh}/complaints",
        "protection": f"/households/{hh}/protection",
        "error": "/policies/999999",
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_every_customer_page_fits_reads_chinese_and_passes_axe(
    axe_page: Page, live_url: str, runtime: Runtime, viewport: dict[str, int]
) -> None:
    page = axe_page
    paths = customer_paths(runtime)
    page.set_viewport_size(viewport)
    page.goto(f"{live_url}/login")
    problems = page_problems(page, phone=viewport == PHONE)
    login(page, live_url, "zhang", PASSWORD)
    page.wait_for_url(f"{live_url}/households/*")
    phone = viewport == PHONE
    for path in paths.values():
        page.goto(f"{live_url}{path}")
        page.wait_for_load_state("networkidle")
        problems += page_problems(page, phone=phone)
    # Pages reached by a form: the quote's result, each questionnaire step (a follow-up open) and the summary.
    page.goto(f"{live_url}{paths['quote']}")
    page.select_option("select[name=line-0-product_code]", "medical_million")
    page.fill("input[name=line-0-sum_assured]", "2000000")
    page.get_by_test_id("run-quote").click()
    page.get_by_test_id("quote-result").wait_for()
    problems += page_problems(page, phone=phone)
    page.goto(f"{live_url}{paths['questionnaire']}")
    while not page.get_by_test_id("uw-summary").count():
        for field in page.locator("#questionnaire input[type=text]").all():
            field.fill("60")
        for group in page.locator("#questionnaire fieldset.question").all():
            radios = group.locator("input[type=radio]")
            if radios.count():
                radios.first.check()
        heart = page.locator("input[type=checkbox][name=q-disclose_cardiovascular-HTN]")
        if heart.count():
            heart.check()
            page.get_by_test_id("reflexive-HTN").wait_for()
            page.get_by_test_id("reflexive-HTN").locator("input[type=radio][value=lt140_90]").check()
            page.get_by_test_id("reflexive-HTN").locator("input[type=radio][value=no]").check()
        else:
            for none in page.locator("[data-testid^=none-]").all():
                none.check()
        problems += page_problems(page, phone=phone)
        page.get_by_test_id("uw-next").click()
        page.wait_for_load_state("networkidle")
    problems += page_problems(page, phone=phone)
    assert not problems, "\n".join(problems)


def test_elderly_mode_keeps_large_type_and_fits_the_phone(axe_page: Page, live_url: str, runtime: Runtime) -> None:
    """大字版 on a phone: 22 px type or larger, still no sideways scrolling, still no axe violation."""
    page = axe_page
    paths = customer_paths(runtime)
    page.set_viewport_size(PHONE)
    login(page, live_url, "zhang", PASSWORD)
    page.wait_for_url(f"{live_url}/households/*")
    page.get_by_test_id("toggle-elderly").click()
    problems = []
    for name in ("household", "quote", "product", "pending", "questionnaire"):
        path = paths[name]
        page.goto(f"{live_url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22
        problems += page_problems(page, phone=True)
    assert not problems, "\n".join(problems)
