from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.factories import make_family
from tests.web.test_pages import csrf, log_in


def _apply(client: TestClient, household_id: int, person_id: int) -> str:
    url = f"/households/{household_id}/apply"
    form = {
        "csrf_token": csrf(client, url),
        "product_code": "whole_life",
        f"insured-{person_id}": "on",
        f"sum-{person_id}": "200000",
        "payment_term": "20",
        "frequency": "annual",
    }
    response = client.post(url, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[-800:]
    return str(response.headers["location"])


def test_apply_refusal_is_shown_beside_the_form(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    log_in(client, "zhang")
    url = f"/households/{family.household_id}/apply"
    form = {
        "csrf_token": csrf(client, url),
        "product_code": "whole_life",
        f"insured-{family.head_person_id}": "on",
        f"sum-{family.head_person_id}": "1",
        "payment_term": "20",
    }
    response = client.post(url, data=form)
    assert response.status_code == 422 and 'data-testid="apply-problems"' in response.text


def test_questionnaire_reflexive_block_and_in_place_errors(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    log_in(client, "zhang")
    application = _apply(client, family.household_id, family.head_person_id)
    page = client.get(application)
    assert "待健康告知" in page.text
    q_url = f"{application}/insureds/{family.head_person_id}/questionnaire"
    token = csrf(client, q_url)
    block = client.post(
        f"{application}/insureds/{family.head_person_id}/reflexive",
        data={"q-disclose_cardiovascular-HTN": "on"},
        headers={"X-CSRF-Token": token},
    )
    assert 'data-testid="reflexive-HTN"' in block.text and 'name="r-HTN-bp_max"' in block.text
    response = client.post(
        q_url, data={"csrf_token": token, "q-height_cm": "172", "q-disclose_cardiovascular-HTN": "on"}
    )
    assert response.status_code == 422
    assert re.search(r'data-field="answers.weight_kg"', response.text)
    assert 'data-testid="reflexive-HTN"' in response.text  # the block stays open with its errors
    assert 'value="172"' in response.text  # what was typed is kept
