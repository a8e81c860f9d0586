"""我的团队 (issue 15 item 5) counts the team's sales, by dated membership: each policy counts for the team (and the
region) its seller belonged to on the policy's effective date — not the team partner's own sales, and not by who
is in the team today. 李敏 sells one family plan on 3 December while in 王团队, moves to 赵团队 on 10 December and
sells another on 12 December; both teams are under 华北区域."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jiabao.db.session import unit_of_work
from jiabao.partners import portal
from jiabao.partners import service as partners
from jiabao.partners.models import Partner
from jiabao.partners.schemas import MoveIn, PartnerIn
from jiabao.policies.common.models import Policy
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import PASSWORD, ctx_for
from tests.partners.network import Network, Sold, approve_plan, enrol, network, principal, registration, run, sell
from tests.policies.test_billing_helpers import on
from tests.web.test_pages import log_in

D = Decimal
MONTH = "2026-12"


@dataclass
class Moved:
    net: Network
    other_team: int
    before: Sold  # sold in 王团队
    after: Sold  # sold in 赵团队
    premiums: tuple[Decimal, Decimal]


@pytest.fixture
def moved(client: TestClient, runtime: Runtime) -> Moved:
    net = network(runtime)
    approve_plan(runtime)
    zhao = enrol(runtime, PartnerIn(username="team_zhao", password=PASSWORD, name="赵团队", kind="team",
                                    parent_id=net.regional, licences=[registration("REG-T-0002")]))  # fmt: skip
    on(runtime, date(2026, 12, 3))
    before = sell(client, runtime, net.individual_user, seq=1)
    on(runtime, date(2026, 12, 10))
    with unit_of_work(runtime.sessions) as session:
        partners.move(ctx_for(runtime, session), net.individual, MoveIn(parent_id=zhao.id, on=date(2026, 12, 10)))
    on(runtime, date(2026, 12, 12))
    after = sell(client, runtime, net.individual_user, seq=2)
    run(runtime, MONTH)
    with unit_of_work(runtime.sessions) as session:
        premiums = tuple(session.get(Policy, s.policy_id).annual_premium for s in (before, after))  # type: ignore[union-attr]
        effective = [session.get(Policy, s.policy_id).effective_date for s in (before, after)]  # type: ignore[union-attr]
    assert effective[0] < date(2026, 12, 10) <= effective[1]
    return Moved(net, zhao.id, before, after, premiums)  # type: ignore[arg-type]


def view(runtime: Runtime, username: str, month: str = MONTH) -> portal.TeamView:
    with unit_of_work(runtime.sessions) as session:
        ctx = ctx_for(runtime, session, principal(runtime, username))
        team = portal.view(ctx, month).team
        assert team is not None
        return team


def rows(team: portal.TeamView) -> dict[str, tuple[Any, ...]]:
    return {
        m.partner.name: (m.policies_sold, m.premium_sold, m.member_from, m.member_until, m.current)
        for m in team.members
    }


def test_a_region_sees_each_teams_sales_not_the_team_partners_own(runtime: Runtime, moved: Moved) -> None:
    first, second = moved.premiums
    region = view(runtime, "region_n")
    assert rows(region) == {
        "王团队": (1, first, date(2026, 12, 1), None, True),
        "赵团队": (1, second, date(2026, 12, 1), None, True),
    }
    assert (region.policies_sold, region.premium_sold) == (2, first + second)
    assert region.overrides == ((first + second) * D("0.02")).quantize(D("0.01"))  # the region's 2% on both


def test_a_move_mid_month_splits_the_members_sales_between_the_teams(runtime: Runtime, moved: Moved) -> None:
    first, second = moved.premiums
    wang, zhao = view(runtime, "team_wang"), view(runtime, "team_zhao")
    assert rows(wang) == {"李敏": (1, first, date(2026, 12, 1), date(2026, 12, 9), False)}
    assert rows(zhao) == {"李敏": (1, second, date(2026, 12, 10), None, True)}
    assert wang.overrides == (first * D("0.05")).quantize(D("0.01"))  # the team of the premium's date
    assert zhao.overrides == (second * D("0.05")).quantize(D("0.01"))
    with unit_of_work(runtime.sessions) as session:
        li = session.get(Partner, moved.net.individual)
        net_li = sum((m.commission_net for m in wang.members), D(0))
        assert li is not None and net_li == ((first + second) * D("0.30")).quantize(D("0.01"))
    november = view(runtime, "team_wang", "2026-11")  # before either sale: 李敏 was in 王团队 and sold nothing
    assert rows(november) == {"李敏": (0, D(0), date(2026, 11, 26), None, True)}
    assert view(runtime, "team_zhao", "2026-11").members == []  # 李敏 joined 赵团队 in December


def test_the_api_team_is_the_portals(client: TestClient, runtime: Runtime, moved: Moved) -> None:
    def get(who: str, **params: Any) -> Any:
        response = client.get("/api/v1/partners/me/team", headers=token_for(client, who), params=params)
        assert response.status_code == 200, response.text
        return response.json()

    first, second = moved.premiums
    region = get("region_n", month=MONTH)
    assert (region["policies_sold"], region["premium_sold"]) == (2, f"{first + second:.2f}")
    assert [(m["name"], m["policies_sold"], m["premium_sold"]) for m in region["items"]] == [
        ("王团队", 1, f"{first:.2f}"),
        ("赵团队", 1, f"{second:.2f}"),
    ]
    [li] = get("team_wang", month=MONTH)["items"]
    assert (li["member_from"], li["member_until"], li["current"], li["policies_sold"]) == (
        "2026-12-01",
        "2026-12-09",
        False,
        1,
    )
    assert get("region_n", month=MONTH, partner_id=moved.other_team)["items"] == get("team_zhao", month=MONTH)["items"]


LATIN = re.compile(r"[A-Za-z]{2,}")


def chinese_text(html: str) -> str:
    """The page's visible main text in Chinese mode: no tags, scripts, styles, English-marked elements or form
    values; policy and account numbers (upper-case codes) and the PDF abbreviation left out."""
    main = html[html.find("<main") : html.rfind("</main>")]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r'<[^>]*lang="en"[^>]*>.*?</[a-z]+>', " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"\b[A-Z0-9][A-Z0-9\-]*\b|PDF", " ", text)


def test_portal_team_and_statement_pages_are_chinese_at_every_step(
    client: TestClient, runtime: Runtime, moved: Moved
) -> None:
    log_in(client, "region_n")
    page = client.get(f"/partner?month={MONTH}")
    assert page.status_code == 200
    team = page.text[page.text.find('id="team"') :]
    assert "2件保单" in team and "王团队" in team and "赵团队" in team and "我的管理津贴" in team
    assert not LATIN.findall(chinese_text(page.text)), LATIN.findall(chinese_text(page.text))
    previous = client.get("/partner?month=2026-11")  # the link to the previous month
    assert previous.status_code == 200 and "0件保单" in previous.text
    assert client.get("/partner?month=2026-13").status_code == 200  # a bad month shows this month
    log_in(client, "team_wang")
    wang = client.get(f"/partner?month={MONTH}").text
    assert "2026-12-01至2026-12-09在本团队" in wang
    assert not LATIN.findall(chinese_text(wang)), LATIN.findall(chinese_text(wang))
    log_in(client, "agent_li")
    for url in ("/partner", f"/partner/statements/{MONTH}"):
        shown = client.get(url)
        assert shown.status_code == 200 and not LATIN.findall(chinese_text(shown.text)), (url, chinese_text(shown.text))
