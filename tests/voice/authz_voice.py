"""Authorization rows for the complaint and report routes, merged into tests/api/test_authorization.py's table.

The test complaint is filed by the customer in the servicing category, so the service user handles it; the admin
is the supervisor. Partners (the agents complaints are often about) see no complaints."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import token_for

READERS = {"customer", "underwriter", "claims", "service", "risk", "admin", "auditor"}
FILERS = {"customer", "service", "admin"}
HANDLER = {"service", "admin"}
REPORTS = {"service", "risk", "actuary", "admin", "auditor"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/households/{household_id}/complaints"): FILERS,
    ("GET", "/api/v1/households/{household_id}/complaints"): READERS,
    ("GET", "/api/v1/complaints/{complaint_id}"): READERS,
    ("GET", "/api/v1/complaints-queue"): {"service", "claims", "underwriter", "admin"},
    ("POST", "/api/v1/complaints/{complaint_id}/clock"): HANDLER,
    ("POST", "/api/v1/complaints/{complaint_id}/category"): HANDLER,
    ("POST", "/api/v1/complaints/{complaint_id}/decision"): HANDLER,
    ("GET", "/api/v1/complaints/{complaint_id}/letter.pdf"): READERS,
    ("POST", "/api/v1/complaints/{complaint_id}/review"): FILERS,
    ("POST", "/api/v1/complaints/{complaint_id}/review-decision"): {"admin"},
    ("POST", "/api/v1/complaints/{complaint_id}/action"): HANDLER,
    ("POST", "/api/v1/complaints/{complaint_id}/withdraw"): FILERS,
    ("GET", "/api/v1/reports/complaints"): REPORTS,
    ("GET", "/api/v1/reports/complaint-warnings"): REPORTS,
    ("GET", "/api/v1/reports/kpi"): REPORTS,
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/households/{household_id}/complaints"): {"summary": "客服态度很差", "category": "servicing"},
    ("POST", "/api/v1/complaints/{complaint_id}/clock"): {"kind": "extend", "on": "2026-11-26", "reason": "案情复杂"},
    ("POST", "/api/v1/complaints/{complaint_id}/category"): {"category": "servicing"},
    ("POST", "/api/v1/complaints/{complaint_id}/decision"): {
        "outcome": "not_upheld",
        "facts": "经核实服务符合规范",
        "basis": "服务规范",
        "reasons": "无不当行为",
    },
    ("POST", "/api/v1/complaints/{complaint_id}/review"): {"reason": "不同意"},
    ("POST", "/api/v1/complaints/{complaint_id}/review-decision"): {"outcome": "upheld", "reasons": "维持原决定"},
    ("POST", "/api/v1/complaints/{complaint_id}/action"): {"root_cause": "培训不足", "action": "加强培训"},
}


def setup(client: TestClient, household_id: int) -> dict[str, int]:
    """A complaint by the customer, handled by the service user."""
    body = BODIES[("POST", "/api/v1/households/{household_id}/complaints")]
    response = client.post(
        f"/api/v1/households/{household_id}/complaints", json=body, headers=token_for(client, "customer")
    )
    assert response.status_code == 201, response.text
    return {"complaint_id": int(response.json()["id"])}
