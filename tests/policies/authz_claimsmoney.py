"""Authorization rows for issue 9 part B's routes (reinstatement review, claim documents), merged into
tests/api/test_authorization.py's table. Deciding a reinstatement is the underwriters' (and admins') work."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.claims.flow import PNG, upload

READ_OWN = {"customer", "partner", "underwriter", "claims", "service", "risk", "admin", "auditor"}
WRITE_OWN = {"customer", "partner", "service", "admin"}
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/reinstatement-referrals"): {"underwriter", "admin"},
    ("POST", "/api/v1/policies/{policy_id}/reinstatement/decision"): {"underwriter", "admin"},
    ("POST", "/api/v1/households/{household_id}/claim-documents"): WRITE_OWN,
    ("GET", "/api/v1/claim-documents/{document_id}/content"): READ_OWN,
    # evidence for a servicing request (issue 17: an ID-number correction), through the same document store
    ("POST", "/api/v1/households/{household_id}/service-documents"): WRITE_OWN,
}
MULTIPART: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/households/{household_id}/claim-documents"): {
        "data": {"kind": "invoice"},
        "files": {"file": ("invoice.png", PNG, "image/png")},
    },
    ("POST", "/api/v1/households/{household_id}/service-documents"): {
        "data": {"kind": "id_document"},
        "files": {"file": ("id.png", PNG, "image/png")},
    },
}


def uploaded(client: TestClient, household_id: int, headers: dict[str, str]) -> int:
    """A claim document of the household (path parameter ``document_id``)."""
    return upload(client, household_id, headers, ["invoice"])[0]


BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/policies/{policy_id}/reinstatement/decision"): {"accept": False, "reason": "风险显著增加"},
}
