"""The family bill and statement pages without a browser: designate the family payment account (a bad card is a
clear field error), draw up next month's bill, pay it in one debit, see it on the family home; the statement lists
each movement with running balances and downloads as a PDF; another family's pages are a 404."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.claims.flow import issue_for
from tests.claims.test_claims_family import _household
from tests.factories import make_family
from tests.policies.test_billing_helpers import on
from tests.web.test_pages import csrf, log_in

CARD = "6222021234567890128"


def test_family_bill_and_statement_pages(client: TestClient, runtime: Runtime) -> None:
    home = _household(client, runtime)
    for product, insureds in (("family_ci", [(home.head, "300000"), (home.spouse, "300000")]),
                              ("children_ci", [(home.child, "200000")])):  # fmt: skip
        issue_for(client, home.id, home.headers, product, insureds, payment_term=20, coverage=30, frequency="monthly")
    log_in(client, "zhang")
    url = f"/households/{home.id}/family-bill"
    token = csrf(client, url)
    bad = client.post(f"{url}/account", data={"csrf_token": token, "account": "1234", "holder_person_id": home.head})
    assert bad.status_code == 422 and 'data-field="account"' in bad.text and "family_payment" not in bad.text
    saved = client.post(
        f"{url}/account", data={"csrf_token": token, "account": CARD, "holder_person_id": home.head},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert "家庭缴费账户已保存" in page and CARD not in page and "0128" in page

    drawn = client.post(url, data={"csrf_token": token, "month": "2026-12"}, follow_redirects=False)
    assert drawn.status_code == 303
    page = client.get(url).text
    assert page.count('data-testid="bill-line"') == 2 and "待扣款" in page
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    bill_id = re.search(r'data-bill-id="(\d+)"', page).group(1)  # type: ignore[union-attr]
    on(runtime, date(2026, 12, 26))
    log_in(client, "zhang")  # a month later: a new session
    token = csrf(client, url)
    for _ in range(2):  # a double submission debits once
        paid = client.post(f"/family-bills/{bill_id}/collect", data={"csrf_token": token, "idempotency_key": key})
        assert paid.status_code == 200 and "家庭账单已缴清" in paid.text
    summary = client.get(f"{url}/summary").text
    assert 'data-testid="family-bill-summary"' in summary and "已缴清" in summary and "/statement" in summary

    statement = client.get(f"/households/{home.id}/statement?start=2026-11-01&end=2026-12-31")
    assert statement.status_code == 200
    text = statement.text
    assert text.count('data-testid="statement-row"') == 2 + 2 + 2  # first premiums, billed, the debit per policy
    assert "收到保费" in text and "家庭账单" in text and "各行与期初、期末余额核对一致" in text
    assert not re.search(r">\s*(premium_received|premium_billed|family_bill|first_premium)\s*<", text)
    pdf = client.get(f"/households/{home.id}/statement.pdf?start=2026-11-01&end=2026-12-31")
    assert (
        pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    )
    bad_date = client.get(f"/households/{home.id}/statement?start=2026-02-30")
    assert bad_date.status_code == 422

    other = make_family(runtime, username="liu", seq=9, phone="13900001234", name="刘洋")
    assert client.get(f"/households/{other.household_id}/statement").status_code == 404
    assert client.get(f"/households/{other.household_id}/family-bill").status_code == 404


def test_proxy_page_records_and_revokes(client: TestClient, runtime: Runtime) -> None:
    home = _household(client, runtime)
    log_in(client, "zhang")
    url = f"/households/{home.id}/proxies"
    page = client.get(url)
    assert page.status_code == 200 and "家人代办授权" in page.text
    token = csrf(client, url)
    base = {"csrf_token": token, "principal_person_id": str(home.spouse), "proxy_person_id": str(home.head),
            "scope-servicing": "on", "expires_on": "2027-06-30", "principal_consent": "on"}  # fmt: skip
    one_sided = client.post(url, data=base)
    assert one_sided.status_code == 422 and 'data-field="consent"' in one_sided.text
    done = client.post(url, data=base | {"proxy_consent": "on"}, follow_redirects=False)
    assert done.status_code == 303
    listed = client.get(url).text
    assert 'data-active="yes"' in listed and "保全申请" in listed and "2027-06-30" in listed
    assert not re.search(r">\s*(servicing|claims)\s*<", listed)
    proxy_id = re.search(r"/proxies/(\d+)/revoke", listed).group(1)  # type: ignore[union-attr]
    client.post(f"{url}/{proxy_id}/revoke", data={"csrf_token": token})
    assert "已撤销" in client.get(url).text
