"""Authorization rows for the visits routes, merged into tests/api/test_authorization.py's table.

ALLOWED maps (METHOD, path template) to the user labels allowed (see that module's labels); BODIES gives a valid
JSON body for routes that take one. Path parameters available: household_id, member_id, person_id,
application_id, referral_id, policy_id, code.
"""

from __future__ import annotations

from typing import Any

ALLOWED: dict[tuple[str, str], set[str]] = {}
BODIES: dict[tuple[str, str], Any] = {}
