"""In Chromium (issue 17 items 1 and 3): at 390 px a customer opens the servicing menu, follows the ID-number
correction, files the corrected number with a photo of the ID card and sees it under review in the family home;
a service-staff member reviews the evidence and approves it; the customer then sees it completed. Each page passes
the 390 px, Chinese-only and axe checks."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.e2e.conftest import TIMEOUT_MS, login
from tests.e2e.ux import PHONE, page_problems
from tests.factories import PASSWORD, make_user, resident_id
from tests.policies.flow import issue

pytestmark = pytest.mark.e2e
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _page(browser: Browser) -> Page:
    """A page that may inject axe-core (the app's CSP allows no inline script)."""
    page = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def test_customer_files_an_id_correction_at_390_px_and_staff_approve(
    browser: Browser, live_url: str, runtime: Runtime, client: TestClient
) -> None:
    page = _page(browser)
    issued = issue(client, runtime)
    make_user(runtime, "reviewer", Role.SERVICE)
    number = resident_id(date(1987, 5, 20), "F", 4)

    page.set_viewport_size(PHONE)
    login(page, live_url, "zhang", PASSWORD)
    page.goto(f"{live_url}/policies/{issued.policy_id}/servicing/menu")
    page.get_by_test_id("svm-id-number-link").click()
    expect(page.get_by_test_id("idfix-form")).to_be_visible()
    assert page_problems(page, phone=True) == []
    page.get_by_test_id("idfix-person").select_option(str(issued.spouse))
    page.get_by_test_id("idfix-number").fill(number[:17] + ("1" if number[17] != "1" else "2"))
    page.get_by_test_id("idfix-evidence").set_input_files(
        files=[{"name": "id.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_test_id("idfix-submit").click()
    expect(page.locator('[data-field="id_number"][data-code="id_checksum"]')).to_be_visible()
    assert page_problems(page, phone=True) == []
    page.get_by_test_id("idfix-number").fill(number)
    page.get_by_test_id("idfix-evidence").set_input_files(
        files=[{"name": "id.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_test_id("idfix-submit").click()
    expect(page.get_by_test_id("idfix-done")).to_be_visible()
    page.goto(f"{live_url}/households/{issued.household_id}/service-requests")
    expect(page.locator('tr[data-kind="id_number_correction"]')).to_contain_text("审核中")

    staff = _page(browser)
    login(staff, live_url, "reviewer", PASSWORD)
    staff.goto(f"{live_url}/service/id-corrections")
    row = staff.locator('[data-testid^="idfix-row-"]')
    expect(row).to_contain_text(number[-4:])
    assert number not in staff.content()  # masked only
    request_id = (row.get_attribute("data-testid") or "").removeprefix("idfix-row-")
    staff.get_by_test_id(f"idfix-approve-{request_id}").check()
    staff.get_by_test_id(f"idfix-reason-{request_id}").fill("身份证照片清晰，号码一致")
    staff.get_by_test_id(f"idfix-submit-{request_id}").click()
    expect(staff.get_by_test_id("idfix-decided")).to_be_visible()
    expect(staff.get_by_test_id("idfix-none")).to_be_visible()
    problems = page_problems(staff, phone=False)
    assert [p for p in problems if not p.endswith("['reviewer']")] == []  # the test user's name is Latin

    page.goto(f"{live_url}/households/{issued.household_id}/service-requests")
    expect(page.locator('tr[data-kind="id_number_correction"]')).to_contain_text("已办结")
