"""In Chromium: a risk officer lands on the risk home, opens the application queue, decides a held application
(the note is required, then it is cleared), and the home's figures move."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from jiabao.app import create_app
from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.e2e.conftest import login
from tests.factories import PASSWORD, make_user
from tests.fraud_aml.flows import set_income
from tests.policies.flow import application, confirm_body

pytestmark = pytest.mark.e2e


def test_risk_officer_clears_a_held_application(page: Page, live_url: str, runtime: Runtime) -> None:
    with TestClient(create_app(runtime=runtime)) as client:
        household_id, app_id, head, _wife, headers = application(client, runtime)
        set_income(client, household_id, headers, head, "10000")  # 30× income for both insureds: review
        body = confirm_body(client, app_id, headers)
        assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 409
    make_user(runtime, "fengkong", Role.RISK)

    login(page, live_url, "fengkong", PASSWORD)
    expect(page.locator("h1")).to_have_text("风控工作台")
    expect(page.get_by_test_id("fig-in-review")).to_have_text("1")
    page.get_by_test_id("risk-link-applications").click()
    case = page.locator("[data-testid^=risk-app-form-]").first
    expect(page.locator("[data-testid=risk-reasons]")).to_contain_text("年收入的30倍")
    case.locator("input[value=clear]").check()
    case.locator("button[type=submit]").click()
    expect(page.get_by_test_id("risk-problems")).to_be_visible()  # the note is required
    page.locator("[data-testid^=risk-app-form-] input[value=clear]").first.check()
    page.locator("[data-testid^=risk-app-form-] input[name=note]").first.fill("已电话核实家庭收入与资产")
    page.locator("[data-testid^=risk-app-form-] button[type=submit]").first.click()
    expect(page.locator("[role=status]")).to_have_text("已记录处理结果")
    page.goto(f"{live_url}/risk")
    expect(page.get_by_test_id("fig-in-review")).to_have_text("0")
    expect(page.get_by_test_id("fig-screened")).to_have_text("1")
