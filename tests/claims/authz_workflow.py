"""Authorization rows for issue 17's claims workflow routes, merged into tests/api/test_authorization.py's table:
adjusters request documents, investigate, re-underwrite, pay advances and decide appeals; the household (or
the counter) uploads documents, appeals and gives recipients' accounts; claims and counter staff record phone
reports; the person assigned to an investigation (claims or risk staff) records its outcome."""

from __future__ import annotations

from typing import Any

from tests.policies.flow import ACCOUNT

WRITE_OWN = {"customer", "partner", "service", "admin"}
ADJUSTERS = {"claims", "admin"}
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/households/{household_id}/phone-claims"): {"claims", "service", "admin"},
    ("POST", "/api/v1/claims/{claim_id}/document-requests"): ADJUSTERS,
    ("POST", "/api/v1/claims/{claim_id}/documents"): WRITE_OWN,
    ("GET", "/api/v1/claims/{claim_id}/workflow"): ADJUSTERS,
    ("POST", "/api/v1/claims/{claim_id}/investigations"): ADJUSTERS,
    ("POST", "/api/v1/claims/{claim_id}/investigation-outcomes"): {"claims", "risk", "admin"},
    ("POST", "/api/v1/claims/{claim_id}/reunderwriting"): ADJUSTERS,
    ("POST", "/api/v1/claims/{claim_id}/advance"): ADJUSTERS,
    ("POST", "/api/v1/claims/{claim_id}/appeal"): WRITE_OWN,
    ("POST", "/api/v1/claims/{claim_id}/appeal/decision"): ADJUSTERS,
    ("POST", "/api/v1/claims/{claim_id}/beneficiary-accounts"): WRITE_OWN,
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/households/{household_id}/phone-claims"): {
        "claim_type": "inpatient",
        "event_date": "2026-11-20",
        "account": ACCOUNT,
    },
    ("POST", "/api/v1/claims/{claim_id}/document-requests"): {"kinds": ["invoice"]},
    ("POST", "/api/v1/claims/{claim_id}/documents"): {"document_ids": [999999]},
    ("POST", "/api/v1/claims/{claim_id}/investigations"): {
        "kind": "hospital_records",
        "assignee": 999999,
        "instructions": "调取住院病历",
    },
    ("POST", "/api/v1/claims/{claim_id}/investigation-outcomes"): {
        "investigation_id": 999999,
        "outcome": "confirmed",
        "findings": "病历属实",
    },
    ("POST", "/api/v1/claims/{claim_id}/reunderwriting"): {"policy_id": 999999, "impairment": "HTN"},
    ("POST", "/api/v1/claims/{claim_id}/appeal"): {"grounds": "我不同意拒赔理由"},
    ("POST", "/api/v1/claims/{claim_id}/appeal/decision"): {"overturn": False, "reason": "维持原拒赔决定"},
    ("POST", "/api/v1/claims/{claim_id}/beneficiary-accounts"): {"beneficiary_id": 999999, "account": ACCOUNT},
}
