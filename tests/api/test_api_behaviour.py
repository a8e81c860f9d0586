"""API behaviour: error shapes (bilingual, field-level), tokens, OpenAPI."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from jiabao.db.session import unit_of_work
from jiabao.identity.models import User
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_family, resident_id


def test_invalid_member_is_422_with_field_reasons_in_both_languages(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    headers = token_for(client, "zhang")
    body = {"name": "张小宝", "relationship": "child", "id_number": resident_id(date(2016, 9, 9), "M", 3),
            "sex": "F"}  # fmt: skip
    response = client.post(f"/api/v1/households/{family.household_id}/members", json=body, headers=headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert [(f["field"], f["code"]) for f in error["fields"]] == [("id_number", "id_sex_mismatch")]
    assert "性别" in error["fields"][0]["message_zh"] and "Sex" in error["fields"][0]["message_en"]
    members = client.get(f"/api/v1/households/{family.household_id}/members", headers=headers).json()
    assert len(members) == 1


def test_schema_errors_are_422_with_fields_too(client: TestClient, runtime: Runtime) -> None:
    family = make_family(runtime)
    response = client.post(
        f"/api/v1/households/{family.household_id}/members",
        json={"name": "x", "relationship": "cousin", "birth_date": "2020-13-01"},
        headers=token_for(client, "zhang"),
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"relationship", "birth_date", "id_number"} <= fields


def test_unknown_route_and_missing_token(client: TestClient) -> None:
    assert client.get("/api/v1/nope").json()["error"]["code"] == "route_not_found"
    response = client.get("/api/v1/households")
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_logout_revokes_the_token(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    headers = token_for(client, "zhang")
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).json()["error"]["code"] == "bad_token"


def test_a_token_is_refused_at_once_when_revoked_or_the_user_deactivated_elsewhere(
    client: TestClient, runtime: Runtime
) -> None:
    """The caller is read afresh on every request (no per-process cache): a token revoked or a user deactivated by
    another process (here a separate unit of work writing the row) is refused on the very next request."""
    make_family(runtime)
    headers = token_for(client, "zhang")
    households = client.get("/api/v1/households", headers=headers)
    assert households.status_code == 200
    with unit_of_work(runtime.sessions) as session:
        user = session.scalars(select(User).where(User.username == "zhang")).one()
        user.token_version += 1
    refused = client.get("/api/v1/households", headers=headers)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "bad_token"
    fresh = token_for(client, "zhang")
    assert client.get("/api/v1/auth/me", headers=fresh).json()["username"] == "zhang"
    with unit_of_work(runtime.sessions) as session:
        session.scalars(select(User).where(User.username == "zhang")).one().active = False
    assert client.get("/api/v1/auth/me", headers=fresh).json()["error"]["code"] == "bad_token"


def test_english_errors_follow_the_users_language(client: TestClient, runtime: Runtime) -> None:
    make_family(runtime)
    headers = token_for(client, "zhang")
    client.patch("/api/v1/auth/me/preferences", json={"language": "en"}, headers=headers)
    error = client.get("/api/v1/households/999", headers={**headers, "Accept-Language": "en"}).json()["error"]
    assert error["message"] == "Household not found"


def test_openapi_documents_every_route(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/v1/households/{household_id}" in spec["paths"]
