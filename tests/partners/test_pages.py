"""Partner pages: the portal (team partner adds an individual; the individual's households, policies and
statements), the staff's commission page (run, approve, statements, PDF), and who may open them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.partners.models import Licence, Partner
from jiabao.runtime import Runtime
from tests.factories import PASSWORD, make_family, make_user
from tests.partners.network import approve_plan, network, sell
from tests.web.test_pages import csrf, log_in


def test_a_team_partner_adds_an_individual_from_the_portal(client: TestClient, runtime: Runtime) -> None:
    network(runtime)
    log_in(client, "team_wang")
    page = client.get("/partner")
    assert page.status_code == 200 and "王团队" in page.text and "团队合伙人" in page.text and "李敏" in page.text
    token = csrf(client, "/partner")
    short = {"csrf_token": token, "kind": "individual", "name": "陈晨", "username": "agent_chen", "password": "short",
             "registration_number": "REG-I-9"}  # fmt: skip
    bad = client.post("/partner/team", data=short)
    assert bad.status_code == 422 and "陈晨" in bad.text
    form = {"csrf_token": token, "kind": "individual", "name": "陈晨", "username": "agent_chen", "password": PASSWORD,
            "registration_number": "REG-I-0009", "registration_valid_to": "2028-06-30"}  # fmt: skip
    done = client.post("/partner/team", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/partner?added=")
    assert "陈晨" in client.get("/partner").text
    with unit_of_work(runtime.sessions) as session:
        chen = session.scalars(select(Partner).where(Partner.name == "陈晨")).one()
        lic = session.scalars(select(Licence).where(Licence.partner_id == chen.id)).one()
        assert (chen.kind, lic.kind, lic.number, str(lic.valid_to)) == (
            "individual",
            "practice_registration",
            "REG-I-0009",
            "2028-06-30",
        )
    other = client.post("/partner/team", data=form | {"kind": "team", "username": "x_team"})
    assert other.status_code == 422 and "您不能添加此类合伙人" in other.text


def test_portal_statement_and_staff_commission_pages(client: TestClient, runtime: Runtime) -> None:
    net = network(runtime)
    approve_plan(runtime)
    sold = sell(client, runtime, net.individual_user)
    make_user(runtime, "finance", Role.ADMIN)
    log_in(client, "finance")
    token = csrf(client, "/commissions")
    ran = client.post("/commissions/run", data={"csrf_token": token, "month": "2026-11"}, follow_redirects=False)
    assert ran.status_code == 303
    page = client.get("/commissions?month=2026-11")
    assert "李敏" in page.text and "王团队" in page.text and "待审批" in page.text
    bad = client.post("/commissions/run", data={"csrf_token": token, "month": "2026-13"})
    assert bad.status_code == 422 and "YYYY-MM" in bad.text
    approved = client.post("/commissions/2026-11/approve", data={"csrf_token": token}, follow_redirects=False)
    assert approved.status_code == 303
    st = client.get(f"/commissions/2026-11/partners/{net.team}")
    assert st.status_code == 200 and "管理津贴" in st.text and "已审批" in st.text
    pdf = client.get(f"/commissions/2026-11/partners/{net.team}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.post("/logout", data={"csrf_token": csrf(client, "/commissions")})
    log_in(client, "agent_li")
    portal = client.get("/partner")
    assert portal.status_code == 200 and sold.policy_no in portal.text and "2026-11" in portal.text
    mine = client.get("/partner/statements/2026-11")
    assert mine.status_code == 200 and "首年佣金" in mine.text and sold.policy_no in mine.text
    assert client.get("/partner/statements/2026-11/pdf").content.startswith(b"%PDF")
    assert client.get("/commissions").status_code == 403


def test_customers_have_no_partner_portal(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    log_in(client, "zhang")
    assert client.get("/partner").status_code == 403
    assert client.get("/commissions").status_code == 403
