"""Authorization rows for the advice routes, merged into tests/api/test_authorization.py's table.

Incomes and debts are personal data: only the family itself, its own partner (adviser), service and admin may
see or change them; underwriters, claims, risk, auditors and actuaries are refused (403).
"""

from __future__ import annotations

from typing import Any

ADVISERS = {"customer", "partner", "service", "admin"}
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/households/{household_id}/advice/facts"): ADVISERS,
    ("PUT", "/api/v1/households/{household_id}/advice/facts"): ADVISERS,
    ("GET", "/api/v1/households/{household_id}/advice/assessment"): ADVISERS,
    ("GET", "/api/v1/households/{household_id}/advice/plan"): ADVISERS,
    ("POST", "/api/v1/households/{household_id}/advice/reassess"): ADVISERS,
    ("POST", "/api/v1/households/{household_id}/advice/events"): ADVISERS,
    ("GET", "/api/v1/households/{household_id}/advice/history"): ADVISERS,
}
BODIES: dict[tuple[str, str], Any] = {
    ("PUT", "/api/v1/households/{household_id}/advice/facts"): {
        "debts": [{"kind": "mortgage", "outstanding": "800000"}],
        "liquid_assets": "50000",
    },
    ("POST", "/api/v1/households/{household_id}/advice/events"): {"kind": "marriage", "occurred_on": "2012-05-01"},
}
