"""In Chromium (issue 17 item 2): the adjuster asks for two further documents at once (一次性告知); the parent
uploads them from the claim page at 390 px; the adjuster is told, sees them and approves (720 paid). On a second
claim the adjuster declines, the parent appeals, the same adjuster may not decide the appeal (four-eyes) and a
second adjuster overturns it; the parent reads the decision letter."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.claims.flow import PNG, Covered, child_with_outpatient_cover, outpatient_claim, upload
from tests.e2e.conftest import TIMEOUT_MS, login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def _file_without_two_documents(client: TestClient, covered: Covered, runtime: Runtime, key: str, invoice: str) -> Any:
    body = outpatient_claim(covered.child, runtime.clock.today(), invoice=invoice)
    kinds = [d for d in body.pop("documents") if d not in ("invoice", "outpatient_record")]
    auth = {k: v for k, v in covered.headers.items() if k.lower() == "authorization"}
    body["document_ids"] = upload(client, covered.household_id, auth, kinds)
    response = client.post(
        f"/api/v1/households/{covered.household_id}/claims",
        json=body,
        headers=covered.headers | {"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "referred"
    return response.json()


def _staff_page(browser: Browser, live_url: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(TIMEOUT_MS)
    login(page, live_url, username, PASSWORD)
    return page


def test_documents_requested_uploaded_and_approved_then_a_decline_appealed_to_a_second_adjuster(
    page: Page, browser: Browser, live_url: str, runtime: Runtime, client: TestClient
) -> None:
    covered = child_with_outpatient_cover(client, runtime)
    make_user(runtime, "adjuster", Role.CLAIMS)
    make_user(runtime, "reviewer", Role.CLAIMS)
    first = _file_without_two_documents(client, covered, runtime, "e2e-workflow-0001", "INV-E2E-1")

    adjuster = _staff_page(browser, live_url, "adjuster")
    adjuster.goto(f"{live_url}/claims/{first['id']}/handle")
    adjuster.get_by_test_id("handle-kind-invoice").check()
    adjuster.get_by_test_id("handle-kind-outpatient_record").check()
    adjuster.get_by_test_id("handle-request-submit").click()
    expect(adjuster.get_by_test_id("handle-status")).to_have_attribute("data-status", "documents_requested")

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_url, "zhang", PASSWORD)
    page.goto(f"{live_url}/claims/{first['id']}")
    notice = page.get_by_test_id("claim-request-notice")
    expect(notice).to_contain_text("《医疗费用发票》、《门（急）诊病历》")
    expect(notice).to_contain_text("一次性告知")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the claim page scrolls sideways at 390 px ({width})"
    for code in ("invoice", "outpatient_record"):
        page.get_by_test_id(f"request-doc-{code}").set_input_files(
            files=[{"name": f"{code}.png", "mimeType": "image/png", "buffer": PNG}]
        )
    page.get_by_test_id("request-submit").click()
    expect(page.get_by_test_id("claim-documents-sent")).to_be_visible()
    expect(page.get_by_test_id("claim-status")).to_have_attribute("data-status", "referred")
    expect(page.get_by_test_id("claim-requests")).to_contain_text("收齐日期")

    adjuster.goto(f"{live_url}/claims-queue")
    expect(adjuster.get_by_test_id(f"queue-docs-received-{first['id']}")).to_be_visible()
    adjuster.get_by_test_id(f"queue-handle-{first['id']}").click()
    documents = adjuster.get_by_test_id("handle-documents")
    expect(documents.locator("[data-kind=invoice]")).to_have_count(1)
    expect(documents.locator("[data-kind=outpatient_record]")).to_have_count(1)
    adjuster.get_by_test_id("handle-approve").check()
    adjuster.get_by_test_id("handle-reason").fill("补充资料齐全，同意赔付")
    adjuster.get_by_test_id("handle-decide").click()
    expect(adjuster.get_by_test_id("handle-status")).to_have_attribute("data-status", "paid")
    expect(adjuster.get_by_test_id("handle-paid")).to_have_text("¥720.00")  # (800 − 0) × 90%

    second = _file_without_two_documents(client, covered, runtime, "e2e-workflow-0002", "INV-E2E-2")
    adjuster.goto(f"{live_url}/claims/{second['id']}/handle")
    adjuster.get_by_test_id("handle-decline").check()
    adjuster.get_by_test_id("handle-reason").fill("缺少门诊病历，无法确认保险事故")
    adjuster.get_by_test_id("handle-decide").click()
    expect(adjuster.get_by_test_id("handle-status")).to_have_attribute("data-status", "declined")

    page.goto(f"{live_url}/claims/{second['id']}")
    expect(page.get_by_test_id("claim-rejection")).to_be_visible()
    page.get_by_test_id("appeal-grounds").fill("门诊病历已在医院补开，申请复核")
    page.get_by_test_id("appeal-submit").click()
    expect(page.get_by_test_id("appeal-status")).to_have_attribute("data-status", "open")

    adjuster.goto(f"{live_url}/claims/{second['id']}/handle")
    adjuster.get_by_test_id("appeal-overturn").check()
    adjuster.get_by_test_id("appeal-reason").fill("自己复核自己的决定")
    adjuster.get_by_test_id("appeal-decide").click()
    expect(adjuster.get_by_test_id("handle-problems")).to_contain_text("原拒赔人以外")

    reviewer = _staff_page(browser, live_url, "reviewer")
    reviewer.goto(f"{live_url}/claims/{second['id']}/handle")
    reviewer.get_by_test_id("appeal-overturn").check()
    reviewer.get_by_test_id("appeal-reason").fill("病历证明属于保险责任，撤销拒赔")
    reviewer.get_by_test_id("appeal-decide").click()
    expect(reviewer.get_by_test_id("handle-status")).to_have_attribute("data-status", "paid")

    page.goto(f"{live_url}/claims/{second['id']}")
    expect(page.get_by_test_id("appeal-status")).to_have_attribute("data-status", "overturned")
    expect(page.get_by_test_id("appeal-letter")).to_contain_text("撤销原拒赔决定")
    expect(page.get_by_test_id("claim-paid")).to_have_text("¥720.00")
