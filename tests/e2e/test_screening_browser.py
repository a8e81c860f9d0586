"""In Chromium: an application stops for a possible watch-list match; the risk reviewer sees the customer and the
listed entry side by side on /risk/screening, clears it with a note, and the customer can then confirm."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.risk.lists.formats import ParsedEntry
from jiabao.runtime import Runtime
from tests.e2e.conftest import login
from tests.factories import PASSWORD, make_user
from tests.policies.flow import application, confirm_body
from tests.risk.test_screening_flow import load

pytestmark = pytest.mark.e2e


def test_risk_reviewer_clears_a_possible_match(page: Page, live_url: str, runtime: Runtime, client: TestClient) -> None:
    _household, app_id, _head, _wife, headers = application(client, runtime)
    load(runtime, ParsedEntry("F-9", "individual", "李娜", aliases=["LI, Na"], remarks="测试记录"))
    body = confirm_body(client, app_id, headers)
    assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 409
    make_user(runtime, "risker", Role.RISK)

    login(page, live_url, "risker", PASSWORD)
    page.goto(f"{live_url}/risk/screening")
    case = page.locator("[data-testid^=screening-case-]").first
    expect(case).to_contain_text("投保")
    evidence = case.get_by_test_id("screening-evidence")
    expect(evidence.get_by_test_id("subject-name")).to_have_text("李娜")
    expect(evidence).to_contain_text("F-9")
    expect(evidence).to_contain_text("姓名完全一致")
    case_id = (case.get_attribute("data-testid") or "").rsplit("-", 1)[-1]
    page.get_by_test_id(f"review-submit-{case_id}").click()  # no decision, no note: refused with reasons
    expect(page.get_by_test_id("review-problems")).to_contain_text("请选择结论")
    page.get_by_test_id(f"review-clear-{case_id}").check()
    page.get_by_test_id(f"review-note-{case_id}").fill("出生日期与证件号码均与名单记录不符")
    page.get_by_test_id(f"review-submit-{case_id}").click()
    expect(page.get_by_test_id("screening-decided")).to_be_visible()
    expect(page.get_by_test_id("screening-empty")).to_be_visible()

    confirmed = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "awaiting_payment"
    with unit_of_work(runtime.sessions) as session:
        review = session.scalars(select(AuditEntry).where(AuditEntry.action == "screening.review")).one()
        assert review.detail == {"decision": "clear"} and review.actor_role == "risk"
