"""In Chromium: a customer applies for a family CI policy for three members, answers the questionnaires (the head is
rated for controlled hypertension, the child declined), pays, sees one premium figure on the confirm page, the policy
page, the PDF and the next bill (issue 9), sees the policy in the household view, completes the electronic return
visit and changes a beneficiary online."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from jiabao.db.outbox import OutboxMessage
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime
from tests.e2e.conftest import login
from tests.e2e.questionnaire import answer_steps, open_documents
from tests.factories import PASSWORD, add_member, make_family, resident_id
from tests.policies.flow import ACCOUNT

pytestmark = pytest.mark.e2e


def answer_questionnaire(
    page: Page, height: str, weight: str, disclose: tuple[str, str, dict[str, str]] | None = None
) -> None:
    values = {"height_cm": height, "weight_kg": weight, "cigarettes_per_day": "0", "alcohol": "none",
              "occupation_class": "c1"}  # fmt: skip
    answer_steps(page, values, {disclose[0]: (disclose[1], disclose[2])} if disclose else None)


def expected_premium(runtime: Runtime, household_id: int) -> tuple[Decimal, dict[str, int]]:
    """The correct annual premium: the two adults quoted without the declined child, the head +25% (Table 1)."""
    from fastapi.testclient import TestClient

    from jiabao.app import create_app
    from tests.api.conftest import token_for

    with TestClient(create_app(runtime=runtime)) as client:
        headers = token_for(client, "zhang")
        members = client.get(f"/api/v1/households/{household_id}/members", headers=headers).json()
        ids = {m["relationship"]: int(m["person_id"]) for m in members}
        head, spouse = ids["self"], ids["spouse"]
        lines = [{"person_id": p, "product_code": "family_ci", "sum_assured": "300000", "coverage": 30,
                  "payment_term": 20} for p in (head, spouse)]  # fmt: skip
        quote = client.post(f"/api/v1/households/{household_id}/quote", json={"lines": lines}, headers=headers).json()
    standard = {m["person_id"]: Decimal(m["annual_premium"]) for m in quote["members"]}
    rated = (standard[head] * Decimal("1.25")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return rated + standard[spouse], ids


def sms_code(runtime: Runtime) -> str:
    with unit_of_work(runtime.sessions) as session:
        bodies = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.topic == "sms")).all()
    codes = [code for body in bodies for code in re.findall(r"验证码(\d{6})", body["body"])]
    assert codes, bodies
    return codes[-1]


def test_family_ci_from_application_to_beneficiary_change(page: Page, live_url: str, runtime: Runtime) -> None:
    runtime.knowledge.get()  # load the knowledge base up front: seconds on a busy machine, beyond a click's timeout
    family = make_family(runtime)
    spouse = add_member(
        runtime,
        family.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", 2),
    )
    child = add_member(
        runtime,
        family.household_id,
        name="张小宝",
        relationship="child",
        id_number=resident_id(date(2016, 9, 9), "M", 3),
    )
    assert spouse and child
    login(page, live_url, family.customer_username, PASSWORD)
    open_documents(page, live_url, family.household_id, "family_ci")
    page.goto(f"{live_url}/households/{family.household_id}")
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

    rated = ("disclose_cardiovascular", "HTN", {"bp_max": "lt140_90", "complications": "no"})
    declined = ("disclose_congenital", "TOF", {"severity": "severe"})
    for height, weight, disclose in (("172", "66", rated), ("163", "52", None), ("140", "33", declined)):
        page.locator("[data-testid^=open-questionnaire-]").first.click()
        answer_questionnaire(page, height, weight, disclose)
    # Never 核保通过 while a member is declined: the child is removed and the family re-priced.
    expect(page.get_by_test_id("application-status")).to_have_text("核保完成，部分成员未获承保")
    correct, ids = expected_premium(runtime, family.household_id)
    premium, child = f"¥{correct:,.2f}", ids["child"]
    expect(page.get_by_test_id(f"removed-{child}")).to_be_visible()
    expect(page.get_by_test_id(f"conclusion-{family.head_person_id}")).to_contain_text("加费承保")

    page.get_by_test_id("open-confirm").click()
    expect(page.get_by_test_id("confirm-charge")).to_have_text(premium)
    expect(page.get_by_test_id("total-instalment")).to_contain_text(premium)
    expect(page.get_by_test_id(f"member-extra-{family.head_person_id}")).to_contain_text("25%")
    expect(page.get_by_test_id(f"premium-line-{child}")).to_have_count(0)  # not listed, not charged
    expect(page.get_by_test_id(f"beneficiary-{child}")).to_have_count(0)
    for box in page.locator("input[type=checkbox][name^=consent-], input[type=checkbox][name^=advice-]").all():
        box.check()
    page.get_by_test_id("confirm-disclosures").check()
    page.get_by_test_id("confirm-submit").click()
    page.get_by_test_id("pay-account").fill(ACCOUNT)
    page.get_by_test_id("pay-submit").click()
    expect(page.get_by_test_id("policy-status")).to_have_text("有效")
    policy_no = page.get_by_test_id("policy-no").inner_text()
    expect(page.get_by_test_id("total-instalment")).to_contain_text(premium)
    expect(page.get_by_test_id("next-due-amount")).to_have_text(premium)  # the next bill
    expect(page.get_by_test_id(f"premium-line-{child}")).to_have_count(0)
    pdf_url = page.get_by_test_id("policy-pdf").get_attribute("href")
    pdf = page.request.get(f"{live_url}{pdf_url}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert premium.removeprefix("¥") in text and "张小宝" not in text and "25%" in text

    page.goto(f"{live_url}/households/{family.household_id}")
    expect(page.get_by_test_id("household-policies")).to_contain_text(policy_no)
    for person in (family.head_person_id,):
        expect(page.get_by_test_id(f"cover-{person}")).to_contain_text("300,000")

    # The electronic return visit, from the policy page's pending action.
    page.locator(f"[data-testid=household-policies] a:has-text('{policy_no}')").click()
    page.get_by_test_id("pending-return-visit").click()
    page.get_by_test_id("visit-send-code").click()
    page.get_by_test_id("visit-code").fill(sms_code(runtime))
    page.get_by_test_id("visit-verify").click()
    for yes in page.locator("[data-testid^=visit-answer-][data-testid$=-yes]").all():
        yes.check()
    page.get_by_test_id("visit-submit").click()
    expect(page.get_by_test_id("visit-result")).to_have_attribute("data-status", "passed")

    # Change a beneficiary online (保全).
    page.goto(f"{live_url}/households/{family.household_id}")
    page.locator(f"[data-testid=household-policies] a:has-text('{policy_no}')").click()
    page.get_by_test_id("policy-servicing").click()
    page.select_option("[data-testid=svc-beneficiary-insured]", str(family.head_person_id))
    page.get_by_test_id("svc-beneficiary-name-0").fill("李娜")
    page.get_by_test_id("svc-beneficiary-share-0").fill("100")
    page.get_by_test_id("svc-beneficiary-consent").check()
    page.get_by_test_id("svc-beneficiary-submit").click()
    expect(page.get_by_test_id("svc-requests")).to_contain_text("受益人变更")
    expect(page.get_by_test_id("svc-requests")).to_contain_text("线上")  # the channel is recorded
    page.goto(f"{live_url}/households/{family.household_id}")
    page.locator(f"[data-testid=household-policies] a:has-text('{policy_no}')").click()
    expect(page.get_by_test_id(f"beneficiaries-{family.head_person_id}")).to_contain_text("李娜 100")
