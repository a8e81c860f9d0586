from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.factories import make_family
from tests.web.test_pages import csrf, log_in


def test_quote_page_prices_a_line_and_shows_cash_values(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    log_in(client, "zhang")
    url = f"/households/{family.household_id}/quote"
    token = csrf(client, url)
    form = {"csrf_token": token, "line-0-person_id": str(family.head_person_id), "line-0-product_code": "whole_life",
            "line-0-sum_assured": "200000", "line-0-payment_term": "20", "line-0-frequency": "annual"}  # fmt: skip
    response = client.post(url, data=form)
    assert response.status_code == 200, response.text[-500:]
    assert 'data-testid="quote-result"' in response.text and "现金价值表" in response.text
    total = re.search(r'data-testid="quote-total">全家合计：¥([\d,]+\.\d\d)', response.text)
    assert total and float(total.group(1).replace(",", "")) > 0


def test_quote_page_shows_refusals(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    log_in(client, "zhang")
    url = f"/households/{family.household_id}/quote"
    form = {"csrf_token": csrf(client, url), "line-0-person_id": str(family.head_person_id),
            "line-0-product_code": "family_term_life", "line-0-sum_assured": "1", "line-0-coverage": "20",
            "line-0-payment_term": "20"}  # fmt: skip
    response = client.post(url, data=form)
    assert response.status_code == 422 and 'data-testid="quote-problems"' in response.text
