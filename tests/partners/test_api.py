"""The partner network's JSON API (/api/v1/partners/me/...): each endpoint's content against the portal's and the
statement page's figures for the same data, the portal's scopes (own, downline, anyone else 404 without a hint,
non-partners 403), pagination and 422s on bad months.

The network: 华北区域 (regional) > 王团队 (team) > 李敏 (individual), who sells two family plans on 26 Nov 2026; 赵团队
is a second team under the region (not under 王团队); 陈晨 is an individual outside the network's branches."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jiabao.advice import service as advice
from jiabao.core.auth import Role
from jiabao.db.session import unit_of_work
from jiabao.partners import commissions, portal
from jiabao.partners.schemas import PartnerIn
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import PASSWORD, ctx_for, make_user
from tests.partners.network import Network, Sold, approve_plan, enrol, network, principal, registration, run, sell
from tests.web.test_pages import log_in

BASE = "/api/v1/partners/me"


@dataclass
class World:
    net: Network
    sold: list[Sold]
    other_team: int
    outsider: int


@pytest.fixture
def world(client: TestClient, runtime: Runtime) -> World:
    net = network(runtime)
    approve_plan(runtime)
    zhao = enrol(runtime, PartnerIn(username="team_zhao", password=PASSWORD, name="赵团队", kind="team",
                                    parent_id=net.regional, licences=[registration("REG-T-0002")]))  # fmt: skip
    chen = enrol(runtime, PartnerIn(username="agent_chen", password=PASSWORD, name="陈晨", kind="individual",
                                    licences=[registration("REG-I-0003")]))  # fmt: skip
    sold = [sell(client, runtime, net.individual_user, seq=1), sell(client, runtime, net.individual_user, seq=2)]
    run(runtime, "2026-11")
    return World(net, sold, zhao.id, chen.id)


def _portal(runtime: Runtime, username: str) -> portal.Portal:
    with unit_of_work(runtime.sessions) as session:
        return portal.view(ctx_for(runtime, session, principal(runtime, username)))


def _get(client: TestClient, who: str, path: str, **params: Any) -> Any:
    response = client.get(BASE + path, headers=token_for(client, who), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def maybe_money(value: Decimal | None) -> str | None:
    return None if value is None else money(value)


def test_households_are_the_portals_masked_list(client: TestClient, runtime: Runtime, world: World) -> None:
    with unit_of_work(runtime.sessions) as session:  # the first household assessed (score and gap), the second not
        ctx = ctx_for(runtime, session, principal(runtime, "agent_li"))
        advice.reassess(ctx, runtime.products, world.sold[0].household_id, "manual")
    page = _get(client, "agent_li", "/households")
    shown = _portal(runtime, "agent_li").households
    assert page["partner_id"] == world.net.individual and page["total"] == len(shown) == 2
    assert [
        (h["id"], h["account_no"], h["head_name"], h["member_count"], h["protection_score"], h["total_gap"])
        for h in page["items"]
    ] == [
        (h.household_id, h.account_no, h.head_name, h.members, h.score, maybe_money(h.total_gap))
        for h in sorted(shown, key=lambda r: r.household_id)
    ]
    assert page["items"][0]["protection_score"] is not None and page["items"][1]["protection_score"] is None
    for h in page["items"]:
        # personal data masked for a partner (docs/security.md): ID number first three and last two only
        assert len(h["head_id_number_masked"].replace("*", "")) == 5  # 110*************3X
        assert h["head_phone_masked"] is None or "*" in h["head_phone_masked"]
    # the team and the region see the same page for their individual (downline, any depth)
    for upline in ("team_wang", "region_n"):
        assert _get(client, upline, "/households", partner_id=world.net.individual)["items"] == page["items"]
    assert _get(client, "team_wang", "/households")["total"] == 0  # serves none itself


def test_sales_are_the_portals_policies_with_status_premium_and_dates(
    client: TestClient, runtime: Runtime, world: World
) -> None:
    page = _get(client, "agent_li", "/sales")
    rows = {p.policy_id: p for p in _portal(runtime, "agent_li").policies if p.role in ("sold", "both")}
    assert page["total"] == len(rows) == 2
    assert {s["policy_no"] for s in page["items"]} == {s.policy_no for s in world.sold}
    for item in page["items"]:
        row = rows[item["policy_id"]]
        assert (item["status"], item["annual_premium"], item["product_code"]) == (
            row.status,
            money(row.annual_premium),
            "family_ci",
        )
        assert item["next_due"] == (row.next_due.isoformat() if row.next_due else None)
        assert item["renewal_due"] == row.renewal_due
        assert item["issued_on"] == "2026-11-26" and item["effective_date"].startswith("2026-11")
        assert item["cooling_off_end"] > item["effective_date"]
    assert _get(client, "agent_li", "/sales", month="2026-11")["total"] == 2
    october = _get(client, "agent_li", "/sales", month="2026-10")
    assert (october["total"], october["items"], october["month"]) == (0, [], "2026-10")
    # the seller's sales only: the team's overrides are not its sales
    assert _get(client, "team_wang", "/sales")["total"] == 0
    assert _get(client, "team_wang", "/sales", partner_id=world.net.individual)["items"] == page["items"]


def test_sales_pages_cover_the_list_once(client: TestClient, world: World) -> None:
    full = _get(client, "agent_li", "/sales")["items"]
    first = _get(client, "agent_li", "/sales", limit=1)
    second = _get(client, "agent_li", "/sales", limit=1, offset=1)
    assert (first["total"], second["total"], first["limit"], second["offset"]) == (2, 2, 1, 1)
    assert first["items"] + second["items"] == full  # newest first, no overlap
    assert _get(client, "agent_li", "/sales", offset=2)["items"] == []


def test_statements_are_the_statement_pages_figures(client: TestClient, runtime: Runtime, world: World) -> None:
    months = _get(client, "agent_li", "/statements")
    portal_months = _portal(runtime, "agent_li").months
    assert [(m["month"], m["net"]) for m in months["items"]] == [(m.month, money(m.net)) for m in portal_months]
    assert months["items"][0]["status"] == "computed"
    for who, partner_id in (("agent_li", world.net.individual), ("team_wang", world.net.team)):
        with unit_of_work(runtime.sessions) as session:
            st = commissions.statement(ctx_for(runtime, session), "2026-11", partner_id)
        got = _get(client, who, "/statements/2026-11")
        assert (got["gross"], got["tax"], got["net"], got["payable"], got["status"]) == (
            money(st.gross),
            money(st.tax),
            money(st.net),
            money(st.payable),
            st.status,
        )
        assert got["by_kind"] == {k: money(v) for k, v in st.by_kind.items()}
        assert [(ln["kind"], ln["policy_no"], ln["amount"], ln["adjustment"]) for ln in got["lines"]] == [
            (ln.kind, ln.policy_no, money(ln.amount), ln.adjustment) for ln in st.lines
        ]
        assert got["total"] == len(st.lines) > 0
    team = _get(client, "team_wang", "/statements/2026-11")
    assert {ln["kind"] for ln in team["lines"]} == {"override"}  # 管理津贴 on the individual's two sales
    # the portal's statement page shows the same net (its PDF is rendered from the same statement)
    log_in(client, "agent_li")
    page = client.get("/partner/statements/2026-11")
    net = Decimal(_get(client, "agent_li", "/statements/2026-11")["net"])
    assert page.status_code == 200 and f"¥{net:,.2f}" in page.text


def test_statement_lines_are_paged_and_the_totals_stay_whole(client: TestClient, world: World) -> None:
    full = _get(client, "agent_li", "/statements/2026-11")
    assert full["total"] >= 2
    pages = [_get(client, "agent_li", "/statements/2026-11", limit=1, offset=i) for i in range(full["total"])]
    assert [p["lines"][0] for p in pages] == full["lines"]
    assert {(p["gross"], p["net"], p["total"]) for p in pages} == {(full["gross"], full["net"], full["total"])}
    empty = _get(client, "agent_li", "/statements/2026-10")
    assert (empty["lines"], empty["net"], empty["status"]) == ([], "0.00", "not_run")


def test_team_shows_each_members_sales_and_commission_of_the_month(
    client: TestClient, runtime: Runtime, world: World
) -> None:
    team = _get(client, "team_wang", "/team", month="2026-11")
    portal_team = _portal(runtime, "team_wang").team
    assert portal_team is not None
    assert [m.partner.id for m in portal_team.members] == [m["partner_id"] for m in team["items"]]
    [li] = team["items"]
    premium = sum((Decimal(s["annual_premium"]) for s in _get(client, "agent_li", "/sales")["items"]), Decimal(0))
    net = _get(client, "agent_li", "/statements/2026-11")["net"]
    assert (li["name"], li["policies_sold"], li["premium_sold"], li["commission_net"]) == (
        "李敏",
        2,
        money(premium),
        net,
    )
    october = _get(client, "team_wang", "/team", month="2026-10")  # 李敏 joined on 26 Nov (dated membership)
    assert (october["on"], october["items"]) == ("2026-10-31", [])
    region = _get(client, "region_n", "/team", month="2026-11")
    assert [m["name"] for m in region["items"]] == ["王团队", "赵团队"]
    # 王团队's row is its team's sales (李敏's two), not the team partner's own (none); see test_team.py
    assert (region["items"][0]["policies_sold"], region["items"][0]["premium_sold"]) == (2, money(premium))
    assert Decimal(region["items"][0]["commission_net"]) > 0 and region["policies_sold"] == 2
    assert [m["name"] for m in _get(client, "region_n", "/team", limit=1, offset=1)["items"]] == ["赵团队"]
    assert _get(client, "agent_li", "/team")["items"] == []  # an individual has no team
    assert _get(client, "region_n", "/team", partner_id=world.net.team, month="2026-11")["items"] == team["items"]


ROUTES = ["/households", "/sales", "/statements", "/statements/2026-11", "/team"]


def test_another_partners_data_is_a_404_that_says_nothing(client: TestClient, world: World) -> None:
    """The portal's scope: own data and the downline only; a foreign id answers exactly like an unknown one."""
    cases = [
        ("agent_li", world.net.team),  # the upline is not the individual's to see
        ("agent_li", world.outsider),
        ("team_wang", world.other_team),  # a sibling team under the same region
        ("team_wang", world.net.regional),
        ("agent_chen", world.net.individual),
    ]
    for path in ROUTES:
        unknown = client.get(BASE + path, headers=token_for(client, "team_wang"), params={"partner_id": 987654})
        assert unknown.status_code == 404
        for who, partner_id in cases:
            response = client.get(BASE + path, headers=token_for(client, who), params={"partner_id": partner_id})
            assert (response.status_code, response.json()) == (404, unknown.json()), (path, who)
    assert _get(client, "region_n", "/sales", partner_id=world.net.individual)["total"] == 2  # depth 2


def test_customers_staff_and_unenrolled_partners_get_403(client: TestClient, runtime: Runtime, world: World) -> None:
    make_user(runtime, "finance", Role.ADMIN)
    make_user(runtime, "loose_partner", Role.PARTNER)
    for path in ["", *ROUTES]:
        for who in ("cust1", "finance"):
            assert client.get(BASE + path, headers=token_for(client, who)).status_code == 403
        unenrolled = client.get(BASE + path, headers=token_for(client, "loose_partner"))
        assert unenrolled.status_code == 403 and unenrolled.json()["error"]["code"] == "not_a_partner"
        assert client.get(BASE + path).status_code == 401
    me = _get(client, "agent_li", "")
    assert (me["id"], me["kind"], me["parent_id"]) == (world.net.individual, "individual", world.net.team)


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "202611", "2026-00", "nov"])
def test_a_month_not_yyyy_mm_is_a_422_on_the_month_field(client: TestClient, world: World, month: str) -> None:
    headers = token_for(client, "agent_li")
    for response in (
        client.get(f"{BASE}/sales", headers=headers, params={"month": month}),
        client.get(f"{BASE}/team", headers=headers, params={"month": month}),
        client.get(f"{BASE}/statements/{month}", headers=headers),
    ):
        assert response.status_code == 422, response.text
        [problem] = response.json()["error"]["fields"]
        assert problem["field"] == "month" and problem["code"] == "string_pattern_mismatch"
        assert "格式不正确" in problem["message_zh"]


def test_bad_paging_and_ids_are_422s(client: TestClient, world: World) -> None:
    headers = token_for(client, "agent_li")
    for params, field in (
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"partner_id": 0}, "partner_id"),
        ({"partner_id": "x"}, "partner_id"),
    ):
        response = client.get(f"{BASE}/sales", headers=headers, params=params)
        assert response.status_code == 422, (params, response.text)
        assert [f["field"] for f in response.json()["error"]["fields"]] == [field]


def test_the_openapi_document_shows_money_as_two_decimal_strings(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    sale = schemas.get("SaleOut") or schemas["SaleOut-Output"]
    assert sale["properties"]["annual_premium"]["type"] == "string"
    op = doc["paths"]["/api/v1/partners/me/statements/{month}"]["get"]
    assert {"403", "404", "422"} <= set(op["responses"])
    month = next(p for p in op["parameters"] if p["name"] == "month")
    assert month["schema"]["pattern"] == r"^\d{4}-(0[1-9]|1[0-2])$"
