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
from tests.e2e.conftest import login
from tests.e2e.ux import DESKTOP, PHONE, page_problems
from tests.factories import PASSWORD
from tests.policies.flow import issue

pytestmark = pytest.mark.e2e


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """A page that lets Playwright inject axe-core: the platform's CSP (script-src 'self') would refuse it."""
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def customer_paths(runtime: Runtime) -> list[str]:
    """A family with an issued policy and a second application waiting for its health questionnaire."""
    runtime.knowledge.get()
    with TestClient(create_app(runtime=runtime)) as client:
        issued = issue(client, runtime)
        hh, headers = issued.household_id, issued.headers
        body = {"product_code": "whole_life", "payment_term": 20,
                "insureds": [{"person_id": issued.spouse, "sum_assured": "200000"}]}  # fmt: skip
        pending = client.post(f"/api/v1/households/{hh}/applications", json=body, headers=headers).json()["id"]
        members = client.get(f"/api/v1/households/{hh}/members", headers=headers).json()
    return [
        f"/households/{hh}",
        f"/members/{members[1]['member_id']}/edit",
        "/products",
        "/products/family_ci",
        f"/households/{hh}/quote",
        f"/households/{hh}/apply",
        f"/applications/{pending}",
        f"/applications/{pending}/insureds/{issued.spouse}/questionnaire",
        f"/applications/{issued.application_id}",
        f"/policies/{issued.policy_id}",
        f"/policies/{issued.policy_id}/return-visit",
        f"/policies/{issued.policy_id}/servicing",
        f"/households/{hh}/claims",
        f"/households/{hh}/claims/new",
        f"/households/{hh}/complaints",
        f"/households/{hh}/protection",
        "/policies/999999",  # the error page
    ]


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
    for path in paths:
        page.goto(f"{live_url}{path}")
        page.wait_for_load_state("networkidle")
        problems += page_problems(page, phone=viewport == PHONE)
    assert not problems, "\n".join(problems)
