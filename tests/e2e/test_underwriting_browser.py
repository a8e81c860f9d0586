"""In Chromium: a customer discloses controlled hypertension, the reflexive questions appear, and the conclusion
is shown with its explanation; an underwriter resolves a referred case."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.e2e.conftest import login
from tests.e2e.questionnaire import answer_steps, open_documents
from tests.factories import PASSWORD, add_member, make_family, make_user, resident_id

pytestmark = pytest.mark.e2e


HEALTHY = {
    "height_cm": "172",
    "weight_kg": "66",
    "cigarettes_per_day": "0",
    "alcohol": "none",
    "occupation_class": "c1",
}


def test_customer_discloses_controlled_hypertension(page: Page, live_url: str, runtime: Runtime) -> None:
    runtime.knowledge.get()  # load the knowledge base up front: seconds on a busy machine, beyond a click's timeout
    family = make_family(runtime)
    login(page, live_url, family.customer_username, PASSWORD)
    open_documents(page, live_url, family.household_id, "family_ci")
    page.goto(f"{live_url}/households/{family.household_id}")
    page.get_by_test_id("open-apply").click()
    page.select_option("select[name=product_code]", "family_ci")
    page.check(f"input[name=insured-{family.head_person_id}]")
    page.fill(f"input[name=sum-{family.head_person_id}]", "300000")
    page.fill("input[name=coverage]", "30")
    page.fill("input[name=payment_term]", "20")
    page.get_by_test_id("apply-submit").click()
    expect(page.get_by_test_id("application-status")).to_have_text("待健康告知")

    page.get_by_test_id(f"open-questionnaire-{family.head_person_id}").click()
    expect(page.locator("h1")).to_contain_text("健康告知")
    expect(page.get_by_test_id("uw-step-title")).to_have_text("身体指标")  # one body system per step
    expect(page.get_by_test_id("reflexive-HTN")).to_have_count(0)
    hypertension = ("HTN", {"bp_max": "lt140_90", "complications": "no"})
    answer_steps(page, HEALTHY, {"disclose_cardiovascular": hypertension})

    conclusion = page.get_by_test_id(f"conclusion-{family.head_person_id}")
    expect(conclusion).to_contain_text("承保结论")
    explanation = page.get_by_test_id(f"explanation-{family.head_person_id}")
    expect(explanation).to_contain_text("高血压")
    expect(conclusion).to_contain_text("加费承保")  # controlled hypertension: CI rated, death standard
    page.get_by_test_id(f"request-review-{family.head_person_id}").click()  # the right to a human review
    expect(page.get_by_test_id("application-status")).to_have_text("人工核保中")


def test_underwriter_resolves_a_referred_case(page: Page, live_url: str, runtime: Runtime) -> None:
    from fastapi.testclient import TestClient

    from jiabao.app import create_app
    from tests.api.conftest import token_for
    from tests.policies.test_applications_api import answers

    family = make_family(runtime)
    add_member(
        runtime,
        family.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", 2),
    )
    make_user(runtime, "uw1", Role.UNDERWRITER)
    with TestClient(create_app(runtime=runtime)) as client:
        headers = token_for(client, family.customer_username)
        wife = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()[1]["person_id"]
        app = client.post(
            f"/api/v1/households/{family.household_id}/applications",
            headers=headers,
            json={
                "product_code": "whole_life",
                "payment_term": 20,
                "insureds": [{"person_id": wife, "sum_assured": "200000"}],
            },
        ).json()
        url = f"/api/v1/applications/{app['id']}/insureds/{wife}/questionnaire"
        questions = client.get(url, headers=headers).json()["questions"]
        body = {
            "answers": answers(questions, disclose_cardiovascular=["HTN"]),
            "reflexive": {"HTN": {"bp_max": "unknown", "complications": "no"}},
        }
        assert client.post(url, json=body, headers=headers).json()["status"] == "referred"

    login(page, live_url, "uw1", PASSWORD)
    page.goto(f"{live_url}/underwriting/referrals")
    page.locator("[data-testid=referral-rows] a").first.click()
    expect(page.get_by_test_id("case-disclosure")).to_contain_text("HTN")
    expect(page.locator("body")).to_contain_text("李娜")
    page.select_option("[data-testid=human-conclusion]", "rated")
    page.fill("[data-testid=human-reason]", "调阅体检报告：一级高血压，服药控制良好，加费承保")
    page.get_by_test_id("human-decide").click()
    # Rated without a percentage is refused; the chosen conclusion and the reason are kept (issue 9, item 11).
    expect(page.get_by_test_id("human-problems")).to_contain_text("加费比例")
    expect(page.locator("[data-testid=human-conclusion]")).to_have_value("rated")
    expect(page.get_by_test_id("human-reason")).to_have_value("调阅体检报告：一级高血压，服药控制良好，加费承保")
    page.fill("[data-testid=human-extra-death]", "50")
    page.get_by_test_id("human-decide").click()
    expect(page.get_by_test_id("case-resolved")).to_be_visible()
    page.goto(f"{live_url}/underwriting/referrals")
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
