"""Confirm-and-pay pages, the policy page and the household's cover, without a browser."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.policies.flow import ACCOUNT, application
from tests.web.test_pages import csrf, log_in


def test_confirm_pay_and_see_the_policy_in_the_household(client: TestClient, runtime: Runtime) -> None:
    household_id, app_id, head, wife, _ = application(client, runtime)
    log_in(client, "zhang")
    url = f"/applications/{app_id}/confirm"
    page = client.get(url)
    consents = re.findall(r'name="(consent-\d+-[a-z_0-9]+)"', page.text)
    advice = re.findall(r'name="(advice-[a-z_]+)"', page.text)
    assert consents and advice
    token = csrf(client, url)
    missing = client.post(url, data={"csrf_token": token})
    assert missing.status_code == 422 and 'data-testid="confirm-problems"' in missing.text
    form = {
        "csrf_token": token,
        "disclosures": "on",
        **dict.fromkeys(consents + advice, "on"),
        f"ben-{head}-mode": "named",
        f"ben-{head}-name-0": "李娜",
        f"ben-{head}-share-0": "100",
    }
    confirmed = client.post(url, data=form, follow_redirects=False)
    assert confirmed.status_code == 303 and confirmed.headers["location"] == f"/applications/{app_id}/pay"
    pay_page = client.get(f"/applications/{app_id}/pay")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', pay_page.text)
    assert key
    bad = client.post(
        f"/applications/{app_id}/pay", data={"csrf_token": token, "idempotency_key": key.group(1), "account": "12ab"}
    )
    assert bad.status_code == 422
    paid = client.post(
        f"/applications/{app_id}/pay",
        data={"csrf_token": token, "idempotency_key": key.group(1), "account": ACCOUNT},
        follow_redirects=True,
    )
    assert paid.status_code == 200 and "缴费成功" in paid.text and 'data-testid="policy-no"' in paid.text
    again = client.post(
        f"/applications/{app_id}/pay",
        data={"csrf_token": token, "idempotency_key": key.group(1), "account": ACCOUNT},
        follow_redirects=False,
    )
    assert again.status_code == 303  # the same form submitted twice lands on the same policy
    household = client.get(f"/households/{household_id}").text
    assert 'data-testid="household-policies"' in household and "同心家庭重大疾病保险" in household
    cover = re.search(rf'data-testid="cover-{wife}">(.*?)</td>', household, re.S)
    assert cover and "300,000" in cover.group(1)
    pdf = client.get(paid.url.path + "/policy.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
