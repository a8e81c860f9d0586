"""Issue 9, item 3: minors' death cover cap (CIRC notice 保监发〔2015〕90号, regulation.md §1.7).

Total death cover for a minor, across all insurers, may not exceed ¥200,000 under 10 or ¥500,000 from 10 to 17;
premiums returned or cash value paid on death are not counted. We count the cover in force in the household's
policies plus the cover elsewhere the applicant declares, and check at the quote and when the application is
opened — before any health question is asked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime
from jiabao.underwriting import service as uw
from jiabao.underwriting.models import UnderwritingDecision
from tests.cover.flow import answer, confirm_and_pay, family_with_child
from tests.factories import ctx_for

UNDER_TEN = date(2017, 6, 1)  # 9 on 2026-11-26


def _quote(client: TestClient, household: int, headers: dict[str, str], line: dict[str, Any], **extra: Any) -> Any:
    return client.post(f"/api/v1/households/{household}/quote", json={"lines": [line], **extra}, headers=headers)


def _line(person: int, product: str, amount: str) -> dict[str, Any]:
    terms = {"whole_life": {"payment_term": 20}, "family_ci": {"payment_term": 20, "coverage": 30},
             "children_ci": {"payment_term": 10, "coverage": 30}}[product]  # fmt: skip
    return {"person_id": person, "product_code": product, "sum_assured": amount, **terms}


def _reason(response: Any) -> str:
    assert response.status_code == 422, response.text
    return " ".join(f["message_zh"] for f in response.json()["error"]["fields"])


def test_caps_by_age_with_cover_declared_elsewhere(client: TestClient, runtime: Runtime) -> None:
    household, _head, _wife, child, headers = family_with_child(runtime, client, seq=31)  # child 10
    assert _quote(client, household, headers, _line(child, "whole_life", "500000")).status_code == 200
    refused = _quote(
        client, household, headers, _line(child, "whole_life", "300000"), declared_death_cover={str(child): "250000"}
    )
    assert "保监发〔2015〕90号" in _reason(refused) and "最多还可投保身故保险金额 250,000 元" in _reason(refused)

    household, _head, _wife, young, headers = family_with_child(runtime, client, seq=32, child_birth=UNDER_TEN)
    assert "不得超过 200,000 元" in _reason(_quote(client, household, headers, _line(young, "family_ci", "300000")))
    assert _quote(client, household, headers, _line(young, "family_ci", "200000")).status_code == 200


def test_a_return_of_premium_death_benefit_is_not_counted(client: TestClient, runtime: Runtime) -> None:
    household, _head, _wife, young, headers = family_with_child(runtime, client, seq=33, child_birth=UNDER_TEN)
    ok = _quote(
        client, household, headers, _line(young, "children_ci", "500000"), declared_death_cover={str(young): "200000"}
    )
    assert ok.status_code == 200, ok.text  # children_ci only returns the premiums on death


def test_household_cover_in_force_counts_and_the_application_is_refused_before_questions(
    client: TestClient, runtime: Runtime
) -> None:
    household, _head, _wife, young, headers = family_with_child(runtime, client, seq=34, child_birth=UNDER_TEN)
    body = {
        "product_code": "whole_life",
        "payment_term": 20,
        "insureds": [{"person_id": young, "sum_assured": "150000"}],
    }
    app = client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers)
    assert app.status_code == 201, app.text
    answer(client, app.json()["id"], young, headers)
    confirm_and_pay(client, app.json()["id"], headers)

    # ¥150,000 in force + ¥100,000 family CI death benefit > ¥200,000: refused at the quote ...
    reason = _reason(_quote(client, household, headers, _line(young, "family_ci", "100000")))
    assert "已有 150,000 元" in reason and "最多还可投保身故保险金额 50,000 元" in reason
    # ... and when the application is opened: no application, so no questionnaire is ever shown.
    body = {"product_code": "family_ci", "coverage": 30, "payment_term": 20,
            "insureds": [{"person_id": young, "sum_assured": "100000"}]}  # fmt: skip
    before = client.get(f"/api/v1/households/{household}/applications", headers=headers).json()
    assert "保监发〔2015〕90号" in _reason(
        client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers)
    )
    assert client.get(f"/api/v1/households/{household}/applications", headers=headers).json() == before


def test_declared_cover_is_kept_for_the_underwriting_decision(client: TestClient, runtime: Runtime) -> None:
    """The cap is also the engine's, with the same cover counted (in force + declared)."""
    household, _head, _wife, child, headers = family_with_child(runtime, client, seq=35)  # 10: cap ¥500,000
    body = {"product_code": "whole_life", "payment_term": 20,
            "insureds": [{"person_id": child, "sum_assured": "300000", "declared_death_cover": "200000"}]}  # fmt: skip
    app = client.post(f"/api/v1/households/{household}/applications", json=body, headers=headers)
    assert app.status_code == 201, app.text
    out = answer(client, app.json()["id"], child, headers)
    assert out["insureds"][0]["conclusion"] == "standard"  # exactly at the cap is allowed
    with unit_of_work(runtime.sessions) as session:
        row = session.scalars(select(UnderwritingDecision).where(UnderwritingDecision.person_id == child)).one()
        facts = uw.facts_of(ctx_for(runtime, session), row)["insured"]
    assert [(c["line"], Decimal(c["death_sum_assured"])) for c in facts["in_force"]] == [("death", Decimal(200000))]
    assert [Decimal(c["death_sum_assured"]) for c in facts["covers"]] == [Decimal(300000)]
