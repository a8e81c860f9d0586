"""Authorization rows for the billing routes, merged into tests/api/test_authorization.py's table.

ALLOWED maps (METHOD, path template) to the user labels allowed (see that module's labels); BODIES gives a valid
JSON body for routes that take one. Path parameters available: household_id, member_id, person_id,
application_id, referral_id, policy_id, code.

Reading a policy's billing is for whoever may read its household; paying, reinstating, cancelling and surrendering
for whoever may change it (the customer, the household's partner, service staff and admins). The test walks the
routes in path order, so the cancellation (inside the cooling-off period) ends the policy and the later writes are
refused with 409 — still past authorization, which is what the table checks.
"""

from __future__ import annotations

from typing import Any

from tests.policies.flow import ACCOUNT

READ_OWN = {"customer", "partner", "underwriter", "claims", "service", "risk", "admin", "auditor"}
WRITE_OWN = {"customer", "partner", "service", "admin"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/policies/{policy_id}/instalments"): READ_OWN,
    ("POST", "/api/v1/policies/{policy_id}/premiums"): WRITE_OWN,
    ("GET", "/api/v1/policies/{policy_id}/reinstatement"): READ_OWN,
    ("POST", "/api/v1/policies/{policy_id}/reinstatement"): WRITE_OWN,
    ("POST", "/api/v1/policies/{policy_id}/cancellation"): WRITE_OWN,
    ("GET", "/api/v1/policies/{policy_id}/surrender-quote"): READ_OWN,
    ("POST", "/api/v1/policies/{policy_id}/surrender"): WRITE_OWN,
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/policies/{policy_id}/premiums"): {"account": ACCOUNT},
    ("POST", "/api/v1/policies/{policy_id}/reinstatement"): {"account": ACCOUNT, "risk_increased": False},
}
