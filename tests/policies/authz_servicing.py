"""Authorization rows for the servicing routes, merged into tests/api/test_authorization.py's table.

ALLOWED maps (METHOD, path template) to the user labels allowed (see that module's labels); BODIES gives a valid
JSON body for routes that take one. Path parameters available: household_id, member_id, person_id,
application_id, referral_id, policy_id, code.
"""

from __future__ import annotations

from typing import Any

_READ_OWN = {"customer", "partner", "underwriter", "claims", "service", "risk", "admin", "auditor"}
_WRITE_OWN = {"customer", "partner", "service", "admin"}

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/policies/{policy_id}/service-requests"): _WRITE_OWN,
    ("GET", "/api/v1/policies/{policy_id}/service-requests"): _READ_OWN,
    ("GET", "/api/v1/policies/{policy_id}/members/{person_id}/questionnaire"): _READ_OWN,
    ("GET", "/api/v1/servicing/online-share"): {"service", "admin", "auditor", "actuary"},
    ("GET", "/api/v1/policies/{policy_id}/loan"): _READ_OWN,
    ("GET", "/api/v1/servicing/quality"): {"service", "admin", "auditor", "actuary"},
    ("POST", "/api/v1/servicing/benefit-payments"): {"admin"},
    ("POST", "/api/v1/households/{household_id}/service-requests"): _WRITE_OWN,
    ("POST", "/api/v1/policies/{policy_id}/policyholder-change"): {"customer", "service", "admin"},
    ("POST", "/api/v1/policies/{policy_id}/policyholder-change/consent"): {"customer", "service", "admin"},
    ("POST", "/api/v1/policies/{policy_id}/policyholder-change/decline"): {"customer", "service", "admin"},
    ("POST", "/api/v1/servicing/policyholder-changes/expire"): {"admin"},
    # ID-number correction review (issue 17): service staff and admins, four eyes checked in the service
    ("GET", "/api/v1/servicing/id-corrections"): {"service", "admin"},
    ("POST", "/api/v1/servicing/id-corrections/{request_id}/decision"): {"service", "admin"},
    # an institutional partner's batch of applications (issue 16 item 6); the items are checked one by one
    ("POST", "/api/v1/applications/batch"): {"partner", "other_partner", "service", "admin"},
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/policies/{policy_id}/policyholder-change"): {"new_holder_person_id": 1},
    ("POST", "/api/v1/policies/{policy_id}/policyholder-change/consent"): {"capacity_declared": True},
    ("POST", "/api/v1/policies/{policy_id}/service-requests"): {"kind": "contact_details", "phone": "13912345678"},
    ("POST", "/api/v1/households/{household_id}/service-requests"): {
        "kind": "address",
        "address": "北京市海淀区中关村大街1号",
    },
}
