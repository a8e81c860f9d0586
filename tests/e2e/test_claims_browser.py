"""In Chromium: a parent files an ¥800 outpatient claim for their child and sees it paid at once (小额快赔); a
critical-illness diagnosis triggers the advance payment (重疾先赔) and the whole-family premium waiver
(一人出险全家豁免), which the household view and the policy pages show."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from jiabao.config import Settings
from jiabao.core.clock import FixedClock
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.claims.flow import CHILD_ACCOUNT, PNG, child_with_outpatient_cover, issue_for
from tests.e2e.conftest import login
from tests.factories import PASSWORD, add_member, make_family, resident_id
from tests.policies.flow import ACCOUNT

pytestmark = pytest.mark.e2e


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The CI advance here (¥360,000) is followed as paid at once: the adjuster threshold is raised above it
    (the default ¥50,000 hold is tested in tests/claims/test_claims_evidence.py)."""
    return settings.model_copy(update={"claims_advance_adjuster_above": Decimal("1000000")})


def tick_every_document(page: Page) -> None:
    """Upload a (small) PNG for every document of the checklist: evidence, not ticks."""
    for box in page.locator("[data-testid^=claim-doc-]").all():
        box.set_input_files(files=[{"name": "document.png", "mimeType": "image/png", "buffer": PNG}])


def test_parent_files_a_small_outpatient_claim_for_the_child_and_sees_it_paid(
    page: Page, live_url: str, runtime: Runtime, client: TestClient
) -> None:
    covered = child_with_outpatient_cover(client, runtime)  # issued through the API, 45 days ago
    login(page, live_url, "zhang", PASSWORD)
    page.goto(f"{live_url}/households/{covered.household_id}/claims")
    page.get_by_test_id("open-claim").click()
    page.get_by_test_id("claim-insured").select_option(str(covered.child))
    expect(page.get_by_test_id("claim-doc-guardian_proof")).to_be_visible()  # the checklist follows the insured
    expect(page.get_by_test_id("claim-doc-proxy_authorisation")).to_be_visible()
    page.get_by_test_id("claim-type").select_option("outpatient")
    page.get_by_test_id("claim-event-date").fill((runtime.clock.today() - timedelta(days=2)).isoformat())
    page.get_by_test_id("claim-hospital").fill("北京儿童医院")
    page.get_by_test_id("claim-diagnosis").fill("急性上呼吸道感染")  # a plain name: no ICD code asked (issue 11)
    page.get_by_test_id("claim-description-0").fill("门诊费用")
    page.get_by_test_id("claim-amount-0").fill("800")
    page.get_by_test_id("claim-invoice-0").fill("INV-0001")
    page.get_by_test_id("claim-social-settled").check()
    tick_every_document(page)
    page.get_by_test_id("claim-account").fill(CHILD_ACCOUNT)
    page.get_by_test_id("claim-submit").click()

    expect(page.get_by_test_id("claim-status")).to_have_text("已赔付")
    expect(page.get_by_test_id("claim-paid")).to_have_text("¥720.00")  # (800 − 0) × 90%, settled via social ins.
    expect(page.get_by_test_id("claim-lines")).to_contain_text("医疗费用补偿")
    page.get_by_test_id("claims-list-link").click()
    expect(page.get_by_test_id("claims")).to_contain_text("已赔付")


def test_ci_claim_gets_the_advance_and_the_family_premiums_are_waived(
    page: Page, live_url: str, runtime: Runtime, client: TestClient
) -> None:
    """The father's cancer: family_ci (father and mother) pays the severe benefit in advance and waives its own
    premiums (family waiver); the child's children_ci, where the father is the policyholder, is waived too
    (投保人豁免, rules.yaml ``policyholder_waiver_products``)."""
    family = make_family(runtime)
    add_member(
        runtime,
        family.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", 2),
    )
    add_member(
        runtime,
        family.household_id,
        name="张小宝",
        relationship="child",
        id_number=resident_id(date(2016, 9, 9), "M", 3),
    )
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    person = {m["relationship"]: m["person_id"] for m in members}
    family_ci = issue_for(
        client,
        family.household_id,
        headers,
        "family_ci",
        [(person["self"], "300000"), (person["spouse"], "300000")],
        coverage=30,
        payment_term=20,
    )
    children_ci = issue_for(
        client, family.household_id, headers, "children_ci", [(person["child"], "200000")], coverage=30, payment_term=20
    )
    assert isinstance(runtime.clock, FixedClock)
    runtime.clock.advance(timedelta(days=120))  # past the 90-day waiting periods
    diagnosed = runtime.clock.today() - timedelta(days=3)

    login(page, live_url, "zhang", PASSWORD)
    page.goto(f"{live_url}/households/{family.household_id}/claims/new")
    expect(page.get_by_test_id("claim-insured")).to_have_value(str(person["self"]))  # filing for himself
    page.get_by_test_id("claim-type").select_option("ci_diagnosis")
    expect(page.get_by_test_id("claim-ci-disease")).to_have_value("cancer")
    expect(page.get_by_test_id("claim-doc-pathology_report")).to_be_visible()
    page.get_by_test_id("claim-event-date").fill(diagnosed.isoformat())
    page.get_by_test_id("claim-hospital").fill("中国医学科学院肿瘤医院")
    expect(page.get_by_test_id("claim-icd10")).to_have_count(0)  # customers are never asked for a code
    page.get_by_test_id("claim-diagnosis").fill("肺癌")
    page.get_by_test_id("claim-icd-o3").select_option("3")  # 病理检查结果：恶性
    page.get_by_test_id("claim-ci-diagnosed-on").fill(diagnosed.isoformat())
    tick_every_document(page)
    page.get_by_test_id("claim-account").fill(ACCOUNT)
    page.get_by_test_id("claim-submit").click()

    expect(page.get_by_test_id("claim-status")).to_have_text("已先行赔付，审核中")
    expect(page.get_by_test_id("claim-advance").first).to_be_visible()
    # severe CI 1.0 × ¥300,000 and the joint spouse benefit (夫妻同心金) 0.2 × ¥300,000, both advanced
    expect(page.get_by_test_id("claim-paid")).to_have_text("¥360,000.00")
    expect(page.get_by_test_id("claim-lines")).to_contain_text("夫妻同心金")
    waivers = page.get_by_test_id("claim-waivers")
    expect(waivers.locator(f"[data-policy-id='{family_ci}']")).to_be_visible()
    expect(waivers.locator(f"[data-policy-id='{children_ci}']")).to_be_visible()

    page.goto(f"{live_url}/households/{family.household_id}")
    rows = page.get_by_test_id("household-policies").locator("tbody tr")
    expect(rows).to_have_count(2)
    for i in range(2):
        expect(rows.nth(i)).to_contain_text("已豁免保费")
    expect(page.get_by_test_id(f"cover-{person['child']}")).to_contain_text("已豁免保费")
    expect(page.get_by_test_id(f"cover-{person['spouse']}")).to_contain_text("已豁免保费")
    page.goto(f"{live_url}/policies/{children_ci}")
    expect(page.locator("p.notice")).to_contain_text(re.compile(r"已豁免保费：\d{4}-\d{2}-\d{2}"))
