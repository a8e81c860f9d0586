"""Authorization rows for issue 9 part B's routes (reinstatement review, claim documents), merged into
tests/api/test_authorization.py's table. Deciding a reinstatement is the underwriters' (and admins') work."""

from __future__ import annotations

from typing import Any

ALLOWED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/reinstatement-referrals"): {"underwriter", "admin"},
    ("POST", "/api/v1/policies/{policy_id}/reinstatement/decision"): {"underwriter", "admin"},
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/policies/{policy_id}/reinstatement/decision"): {"accept": False, "reason": "风险显著增加"},
}
