"""Shared steps for the risk tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.runtime import Runtime
from tests.api.conftest import token_for
from tests.factories import make_user


def officer(client: TestClient, runtime: Runtime, username: str = "fengkong") -> dict[str, str]:
    make_user(runtime, username, Role.RISK)
    return token_for(client, username)


def set_income(client: TestClient, household_id: int, headers: dict[str, str], person_id: int, income: str) -> None:
    members = client.get(f"/api/v1/households/{household_id}/members", headers=headers).json()
    member_id = next(m["member_id"] for m in members if m["person_id"] == person_id)
    response = client.patch(f"/api/v1/members/{member_id}", json={"annual_income": income}, headers=headers)
    assert response.status_code == 200, response.text
    assert Decimal(response.json()["annual_income"]) == Decimal(income)


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    return body.get("error", body)
