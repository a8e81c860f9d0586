"""The risk role's pages: its home with the figures and the link to screening review, the application queue
decided through the form, and the ring explorer on real households (a phone shared across two households is a
ring; a phone shared by a couple is not)."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.factories import add_member, make_family, make_user, resident_id
from tests.fraud_aml.flows import set_income
from tests.policies.flow import application, confirm_body
from tests.web.test_pages import csrf, log_in


def test_risk_home_shows_the_figures_and_links_to_every_queue(client: TestClient, runtime: Runtime) -> None:
    make_user(runtime, "fengkong", Role.RISK)
    log_in(client, "fengkong")
    landing = client.get("/", follow_redirects=False)
    assert landing.status_code == 303 and landing.headers["location"] == "/risk"
    home = client.get("/risk")
    assert home.status_code == 200
    for link in ("/risk/screening", "/risk/applications", "/risk/claims", "/risk/aml", "/risk/rings"):
        assert f'href="{link}"' in home.text
    assert 'data-testid="fig-rate">0.0%' in home.text and "拦截率" in home.text
    for page in ("/risk/applications", "/risk/claims", "/risk/aml", "/risk/rings"):
        assert client.get(page).status_code == 200, page


def test_customers_cannot_open_risk_pages(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    log_in(client, "zhang")
    assert client.get("/risk").status_code == 403
    assert client.get("/risk/aml").status_code == 403


def test_risk_officer_clears_a_held_application_through_the_page(client: TestClient, runtime: Runtime) -> None:
    household_id, app_id, head, _wife, headers = application(client, runtime)
    set_income(client, household_id, headers, head, "10000")
    body = confirm_body(client, app_id, headers)
    assert client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers).status_code == 409
    make_user(runtime, "fengkong", Role.RISK)
    log_in(client, "fengkong")
    page = client.get("/risk/applications")
    assert "保额合计为年收入的30倍" in page.text
    case_id = int(re.search(r'data-testid="risk-app-(\d+)"', page.text).group(1))  # type: ignore[union-attr]
    token = csrf(client, "/risk/applications")
    missing = client.post(f"/risk/applications/{case_id}/decision", data={"csrf_token": token, "decision": "clear"})
    assert missing.status_code == 422 and 'data-testid="risk-problems"' in missing.text
    done = client.post(
        f"/risk/applications/{case_id}/decision",
        data={"csrf_token": token, "decision": "clear", "note": "已核实家庭资产"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "暂无待处理案件" in client.get("/risk/applications").text
    confirmed = client.post(f"/api/v1/applications/{app_id}/confirm", json=body, headers=headers)
    assert confirmed.status_code == 200, confirmed.text


def test_ring_explorer_finds_a_phone_shared_across_households_not_within_one(
    client: TestClient, runtime: Runtime
) -> None:
    couple = make_family(runtime, phone="13811110000")
    add_member(runtime, couple.household_id, name="李娜", relationship="spouse", phone="13811110000",
               id_number=resident_id(date(1987, 6, 1), "F", 44))  # fmt: skip
    b = make_family(runtime, name="刘洋", seq=2, username="liu", phone="13922223333")
    c = make_family(runtime, name="陈静", seq=3, username="chen", phone="13922223333")
    make_user(runtime, "fengkong", Role.RISK)
    log_in(client, "fengkong")
    page = client.get("/risk/rings")
    rows = re.findall(r'data-testid="ring-(\d+)" data-households="([\d,]+)"', page.text)
    assert rows == [("1", f"{b.household_id},{c.household_id}")]
    ring = client.get("/risk/rings/1")
    assert ring.status_code == 200 and "<svg" in ring.text and 'class="ring-picture"' in ring.text
    assert "13922223333" not in ring.text and "139****3333" in ring.text  # masked only
    assert f"/households/{couple.household_id}" not in ring.text
    assert client.get("/risk/rings/2").status_code == 404
