"""Authorization rows for the SMS sign-in, sign-up and reset routes (public: anonymous callers too), merged
into tests/api/test_authorization.py's table."""

from __future__ import annotations

from typing import Any

EVERYONE = {"customer", "other_customer", "partner", "other_partner", "underwriter", "claims", "service", "risk",
            "actuary", "admin", "auditor", "anonymous"}  # fmt: skip
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/auth/sms/code"): EVERYONE,
    ("POST", "/api/v1/auth/sms/token"): EVERYONE,
    ("POST", "/api/v1/auth/signup"): EVERYONE,
    ("POST", "/api/v1/auth/password/reset"): EVERYONE,
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/auth/sms/code"): {"mobile": "13512340000", "purpose": "login"},
    ("POST", "/api/v1/auth/sms/token"): {"mobile": "13512340000", "code": "123456"},
    ("POST", "/api/v1/auth/signup"): {
        "mobile": "13512340000",
        "code": "123456",
        "name": "测试",
        "id_number": "11010519900101001X",
    },
    ("POST", "/api/v1/auth/password/reset"): {"mobile": "13512340000", "code": "123456", "password": "x" * 10},
}
