"""The protection pages without a browser: facts form, chart, score, plan with apply links, life events,
history; the family home's summary fragment; nothing in English on the Chinese page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.advice.test_api import five
from tests.factories import make_user
from tests.web.test_pages import csrf, log_in


def test_declare_facts_then_see_chart_score_and_plan(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    log_in(client, "zhang")
    url = f"/households/{ids['household']}/protection"
    page = client.get(url)
    assert page.status_code == 200 and "家庭保障规划" in page.text and 'data-testid="facts-form"' in page.text
    form = {
        "csrf_token": csrf(client, url),
        f"income-{ids['head']}": "300,000",
        f"income-{ids['spouse']}": "200000",
        f"social-{ids['spouse']}": "yes",
        f"education-{ids['son']}": "300000",
        f"income-{ids['granny']}": "36000",
        "debt-mortgage": "1500000",
        "liquid_assets": "200000",
    }
    saved = client.post(f"{url}/facts", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("saved=facts")
    page = client.get(saved.headers["location"]).text
    assert "已保存" in page
    for pid in ids.values():
        if pid != ids["household"]:
            assert f'data-testid="gap-chart-{pid}"' in page
    assert page.count("<svg") >= 6  # five members' charts and the score history
    score = int(re.search(r'data-testid="protection-score">(\d+)<', page).group(1))  # type: ignore[union-attr]
    assert 0 <= score <= 100
    lines = re.findall(r'data-testid="line-premium">¥([\d,\.]+)<', page)
    budget = re.search(r"保费预算（每年）：¥([\d,\.]+)", page)
    assert lines and budget
    total = sum(float(x.replace(",", "")) for x in lines)
    assert 0 < total <= float(budget.group(1).replace(",", ""))
    # one click turns the whole plan into one family application (issue 12 item 3)
    assert 'action="/households/{}/protection/family-application"'.format(ids["household"]) in page
    assert "新增房贷" in page  # the history names the trigger
    assert not re.search(r">\s*(death|ci|medical|accident|pension|breadwinner)\s*<", page)  # no raw codes


def test_the_plan_opens_one_family_application(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    log_in(client, "zhang")
    url = f"/households/{ids['household']}/protection"
    client.post(f"{url}/facts", data={"csrf_token": csrf(client, url), f"income-{ids['head']}": "300000"})
    page = client.get(url).text
    forms = re.findall(r'<form method="post" action="(/households/\d+/protection/family-application)"', page)
    assert len(forms) == 1  # one button for the whole plan, no longer one application per line
    fields = {"csrf_token": csrf(client, url)}
    response = client.post(forms[0], data=fields, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/family-applications/")
    opened = client.get(response.headers["location"]).text
    assert "家庭投保单" in opened and 'data-testid="fa-product"' in opened


def test_bad_input_and_events(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    log_in(client, "zhang")
    url = f"/households/{ids['household']}/protection"
    bad = client.post(f"{url}/facts", data={"csrf_token": csrf(client, url), "liquid_assets": "-1"})
    assert bad.status_code == 422 and 'data-testid="advice-problems"' in bad.text
    event = client.post(
        f"{url}/events",
        data={"csrf_token": csrf(client, url), "kind": "retirement", "person_id": str(ids["head"]),
              "occurred_on": "2026-11-25"},
        follow_redirects=False,
    )  # fmt: skip
    assert event.status_code == 303
    assert "退休" in client.get(url).text


def test_family_home_summary_fragment(client: TestClient, runtime: Runtime) -> None:
    ids = five(runtime)
    log_in(client, "zhang")
    home = client.get(f"/households/{ids['household']}").text
    assert f'hx-get="/households/{ids["household"]}/protection/summary"' in home
    fragment = client.get(f"/households/{ids['household']}/protection/summary").text
    assert 'data-testid="protection-score"' in fragment and 'data-testid="gap-charts"' in fragment
    assert 'data-testid="plan-lines"' in fragment or 'data-testid="plan-empty"' in fragment
    make_user(runtime, "uw1", Role.UNDERWRITER)
    client.post("/logout", data={"csrf_token": csrf(client, f"/households/{ids['household']}")})
    log_in(client, "uw1")
    assert client.get(f"/households/{ids['household']}/protection/summary").text == ""  # no finances for them
