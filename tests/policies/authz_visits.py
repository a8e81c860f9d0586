"""Authorization rows for the visits routes, merged into tests/api/test_authorization.py's table.

ALLOWED maps (METHOD, path template) to the user labels allowed (see that module's labels); BODIES gives a valid
JSON body for routes that take one. Path parameters available: household_id, member_id, person_id,
application_id, referral_id, policy_id, code.

Partners (the seller's side) may read a visit's status but never send codes or answer for the customer.
"""

from __future__ import annotations

from typing import Any

READ_OWN = {"customer", "partner", "underwriter", "claims", "service", "risk", "admin", "auditor"}
VISITORS = {"customer", "service", "admin"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/policies/{policy_id}/return-visit/code"): VISITORS,
    ("POST", "/api/v1/policies/{policy_id}/return-visit/verify"): VISITORS,
    ("GET", "/api/v1/policies/{policy_id}/return-visit"): READ_OWN,
    ("POST", "/api/v1/policies/{policy_id}/return-visit/answers"): VISITORS,
    ("GET", "/api/v1/return-visits/stats"): {"service", "admin", "auditor"},
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/policies/{policy_id}/return-visit/verify"): {"code": "000000"},
    ("POST", "/api/v1/policies/{policy_id}/return-visit/answers"): {"answers": {"identity": "yes"}},
}
