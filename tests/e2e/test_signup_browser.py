"""In a real Chromium at phone width (390 px): sign up with a mobile number, read the SMS code in the development
inbox (/dev/outbox), land on the family home; log out and sign in again with a new SMS code (issue 11, item 6).
The cx11a journey (build a family, compare products, quote, apply, pay) continues from the family home."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from jiabao.core.clock import FixedClock
from jiabao.runtime import Runtime
from tests.factories import resident_id

pytestmark = pytest.mark.e2e

MOBILE = "13612345678"
PHONE = {"width": 390, "height": 844}


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at {PHONE['width']}px"


def code_from_outbox(page: Page, base: str) -> str:
    page.goto(f"{base}/dev/outbox")
    no_horizontal_scroll(page)
    latest = page.get_by_test_id("outbox-body").first.inner_text()
    match = re.search(r"验证码 (\d{6})", latest)
    assert match, latest
    return match.group(1)


def test_sign_up_with_a_mobile_then_sign_in_by_sms(page: Page, live_url: str, runtime: Runtime) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_url}/login")
    no_horizontal_scroll(page)
    page.get_by_test_id("signup-link").click()
    expect(page).to_have_url(f"{live_url}/signup")
    page.fill("input[name=mobile]", MOBILE)
    page.get_by_test_id("get-code").click()
    expect(page.get_by_test_id("code-sent")).to_be_visible()
    no_horizontal_scroll(page)

    signup_page = page.url
    code = code_from_outbox(page, live_url)
    page.go_back()
    assert page.url == signup_page
    form = page.get_by_test_id("signup-form")
    form.locator("input[name=code]").fill(code)
    form.locator("input[name=name]").fill("周婷")
    form.locator("input[name=id_number]").fill(resident_id(date(1991, 9, 9), "F", 44, "310115"))
    page.get_by_test_id("signup-submit").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(live_url)}/households/\d+$"))
    expect(page.locator("h1")).to_have_text("全家保障一览")
    expect(page.locator("[data-testid=members]")).to_contain_text("周婷")
    # (The family home's own width at 390 px is the mobile-layout work of issue 11 item 1, tested there.)

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{live_url}/login")
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(seconds=61))  # one code per number per minute
    page.get_by_test_id("sms-login-link").click()
    no_horizontal_scroll(page)
    page.fill("input[name=mobile]", MOBILE)
    page.get_by_test_id("get-code").click()
    expect(page.get_by_test_id("code-sent")).to_be_visible()
    code = code_from_outbox(page, live_url)
    page.go_back()
    page.locator("form[action='/login/sms'] input[name=code]").fill(code)
    page.get_by_test_id("sms-login-submit").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(live_url)}/households/\d+$"))
    expect(page.locator("[data-testid=members]")).to_contain_text("周婷")
