"""A household application through the API: questionnaires, engine conclusions, referral and human decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.core.auth import Role
from jiabao.db.audit import AuditEntry
from jiabao.db.session import unit_of_work
from jiabao.runtime import Runtime
from jiabao.underwriting import service as uw
from jiabao.underwriting.models import UnderwritingDecision
from tests.api.conftest import token_for
from tests.factories import add_member, ctx_for, make_family, make_user, resident_id


def answers(questions: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    """Healthy answers to every question asked, with overrides."""
    base = {
        "height_cm": 172,
        "weight_kg": 66,
        "cigarettes_per_day": 0,
        "alcohol": "none",
        "occupation_class": "c1",
        "pursuits": [],
        "family_history": [],
    }
    out = {}
    for q in questions:
        default = [] if q["type"] in ("impairments", "multi_choice") else base.get(q["id"])
        out[q["id"]] = overrides.get(q["id"], default)
    return out


def test_family_ci_application_from_questionnaire_to_conclusions(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    add_member(
        runtime,
        family.household_id,
        name="李娜",
        relationship="spouse",
        id_number=resident_id(date(1987, 6, 1), "F", 2),
    )
    headers = token_for(client, "zhang")
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    head, wife = members[0]["person_id"], members[1]["person_id"]
    body = {
        "product_code": "family_ci",
        "coverage": 30,
        "payment_term": 20,
        "frequency": "annual",
        "insureds": [{"person_id": head, "sum_assured": "300000"}, {"person_id": wife, "sum_assured": "300000"}],
    }
    response = client.post(f"/api/v1/households/{family.household_id}/applications", json=body, headers=headers)
    assert response.status_code == 201, response.text
    app = response.json()
    assert app["status"] == "underwriting" and app["channel"] == "online"
    assert [i["uw_status"] for i in app["insureds"]] == ["questionnaire", "questionnaire"]
    base = f"/api/v1/applications/{app['id']}/insureds"

    questions = client.get(f"{base}/{head}/questionnaire", headers=headers).json()["questions"]
    assert {"height_cm", "disclose_cardiovascular"} <= {q["id"] for q in questions}
    result = client.post(f"{base}/{head}/questionnaire", json={"answers": answers(questions)}, headers=headers)
    assert result.status_code == 200, result.text
    assert result.json()["insureds"][0]["conclusion"] == "standard"

    questions = client.get(f"{base}/{wife}/questionnaire", headers=headers).json()["questions"]
    bad = client.post(
        f"{base}/{wife}/questionnaire",
        json={"answers": answers(questions, disclose_cardiovascular=["HTN"])},
        headers=headers,
    )
    assert bad.status_code == 422
    assert "disclosures.HTN.bp_max" in {f["field"] for f in bad.json()["error"]["fields"]}

    unknown_bp = {
        "answers": answers(questions, disclose_cardiovascular=["HTN"]),
        "reflexive": {"HTN": {"bp_max": "unknown", "complications": "no"}},
    }
    result = client.post(f"{base}/{wife}/questionnaire", json=unknown_bp, headers=headers).json()
    wife_out = result["insureds"][1]
    assert wife_out["conclusion"] == "referred" and wife_out["automated"] is False
    assert result["status"] == "referred"
    assert wife_out["explanation_zh"] and wife_out["review_right_zh"]

    make_user(runtime, "uw1", Role.UNDERWRITER)
    uw_headers = token_for(client, "uw1")
    queue = client.get("/api/v1/underwriting/referrals", headers=uw_headers).json()
    assert [(r["application_id"], r["person_id"]) for r in queue] == [(app["id"], wife)]
    detail = client.get(f"/api/v1/underwriting/referrals/{queue[0]['id']}", headers=uw_headers).json()
    assert detail["engine_conclusion"] == "referred" and detail["facts"]["insured"]["disclosures"]
    assert client.get("/api/v1/underwriting/referrals", headers=headers).status_code == 403
    decided = client.post(
        f"/api/v1/underwriting/referrals/{queue[0]['id']}/decision",
        headers=uw_headers,
        json={
            "conclusion": "rated",
            "reason": "复查血压记录：一级高血压，控制良好，加费承保",
            "extra_premium_percent": {"ci": 50},
        },
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "accepted"
    wife_after = decided.json()["insureds"][1]
    assert wife_after["conclusion"] == "rated" and wife_after["extra_premium_percent"] == 50
    assert Decimal(wife_after["annual_premium"]) == (Decimal(wife_after["standard_premium"]) * Decimal("1.5")).quantize(
        Decimal("0.01")
    )
    assert client.get("/api/v1/underwriting/referrals", headers=uw_headers).json() == []
    with unit_of_work(runtime.sessions) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(app["id"]))).all()
    assert {"uw.decide", "uw.referral_resolve", "application.start"} <= set(actions)


def test_stored_decision_reruns_identically_on_its_version(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    headers = token_for(client, "zhang")
    body = {
        "product_code": "whole_life",
        "payment_term": 20,
        "insureds": [{"person_id": family.head_person_id, "sum_assured": "200000"}],
    }
    app = client.post(f"/api/v1/households/{family.household_id}/applications", json=body, headers=headers).json()
    url = f"/api/v1/applications/{app['id']}/insureds/{family.head_person_id}/questionnaire"
    questions = client.get(url, headers=headers).json()["questions"]
    client.post(url, json={"answers": answers(questions, weight_kg=98)}, headers=headers)
    with unit_of_work(runtime.sessions) as session:
        row = session.scalars(select(UnderwritingDecision)).one()
        ctx = ctx_for(runtime, session)
        again = uw.rerun(ctx, runtime.knowledge.get(row.kb_version), row)
        stored = {k: v for k, v in uw.result_of(ctx, row).items() if k != "elapsed_ms"}
        assert b"HTN" not in row.facts_enc and b"height" not in row.facts_enc
    assert {k: v for k, v in again.model_dump(mode="json").items() if k != "elapsed_ms"} == stored
    assert row.conclusion in ("rated", "standard", "exclusion")


def test_impairment_search_by_name_synonym_and_icd(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    headers = token_for(client, "zhang")
    for query in ("高血压", "hypertension", "I10", "血压高"):
        hits = client.get("/api/v1/underwriting/impairments", params={"q": query}, headers=headers).json()
        assert hits and hits[0]["code"] == "HTN", query
    questions = client.get("/api/v1/underwriting/impairments/HTN/questions", headers=headers).json()
    assert [q["id"] for q in questions] == ["bp_max", "complications"]
