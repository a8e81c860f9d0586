from __future__ import annotations

import re

from fastapi.testclient import TestClient

from jiabao.runtime import Runtime
from tests.factories import make_family
from tests.web.test_pages import csrf, log_in


def open_documents(client: TestClient, household_id: int, code: str) -> None:
    """Open the product's terms and 投保须知, as the application requires (products.reading)."""
    for document in ("terms", "notice"):
        assert client.get(f"/products/{code}/{document}?household={household_id}").status_code == 200


def _apply(client: TestClient, household_id: int, person_id: int) -> str:
    open_documents(client, household_id, "whole_life")
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
    open_documents(client, family.household_id, "whole_life")
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
    # Submitted with the weight missing: back to the step it belongs to, with what was typed kept.
    response = client.post(
        q_url, data={"csrf_token": token, "q-height_cm": "172", "q-disclose_cardiovascular-HTN": "on"}
    )
    assert response.status_code == 422
    assert re.search(r'data-field="answers.weight_kg"', response.text)
    assert 'value="172"' in response.text  # what was typed is kept
    assert 'name="q-disclose_cardiovascular-HTN" value="on"' in response.text  # carried to the other steps
    # Step 4 (body, habits, family history, then the heart) with hypertension ticked but its follow-up open:
    # the block stays under it with its errors.
    step = client.post(
        f"{q_url}/step",
        data={"csrf_token": token, "step": "3", "go": "next", "q-disclose_cardiovascular-HTN": "on"},
    )
    assert step.status_code == 422 and 'data-testid="reflexive-HTN"' in step.text
    assert 'data-field="disclosures.HTN.bp_max"' in step.text


def test_apply_needs_the_terms_and_notice_opened(client: TestClient, runtime: Runtime) -> None:
    """可回溯 (银保监发〔2020〕26号) and 人身保险产品信息披露管理办法 art. 12: the application is accepted only once the
    terms and the 投保须知 were opened, and what was opened is kept with the application."""
    family = make_family(runtime)
    log_in(client, "zhang")
    url = f"/households/{family.household_id}/apply"
    form = {
        "csrf_token": csrf(client, url),
        "product_code": "whole_life",
        f"insured-{family.head_person_id}": "on",
        f"sum-{family.head_person_id}": "200000",
        "payment_term": "20",
    }
    refused = client.post(url, data=form)
    assert refused.status_code == 422 and 'data-testid="must-read-terms"' in refused.text
    assert 'data-testid="must-read-notice"' in refused.text
    client.get(f"/products/whole_life/terms?household={family.household_id}")
    assert 'data-testid="must-read-terms"' not in client.post(url, data=form).text  # only the notice is missing
    client.get(f"/products/whole_life/notice?household={family.household_id}")
    accepted = client.post(url, data=form, follow_redirects=False)
    assert accepted.status_code == 303
