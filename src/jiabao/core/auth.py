"""Roles, password hashing (argon2id) and signed bearer tokens. Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class Role(StrEnum):
    """Who a user is to the platform. Stable strings: stored in the database and used in the API."""

    CUSTOMER = "customer"
    PARTNER = "partner"
    UNDERWRITER = "underwriter"
    CLAIMS = "claims"
    SERVICE = "service"
    RISK = "risk"
    ACTUARY = "actuary"
    ADMIN = "admin"
    AUDITOR = "auditor"


STAFF_ROLES = frozenset(
    {Role.UNDERWRITER, Role.CLAIMS, Role.SERVICE, Role.RISK, Role.ACTUARY, Role.ADMIN, Role.AUDITOR}
)
HOUSEHOLD_READERS = frozenset(
    {
        Role.CUSTOMER,
        Role.PARTNER,
        Role.UNDERWRITER,
        Role.CLAIMS,
        Role.SERVICE,
        Role.RISK,
        Role.ADMIN,
        Role.AUDITOR,
    }
)
"""Roles that may open a household at all (customers and partners are further limited to their own)."""
HOUSEHOLD_WRITERS = frozenset({Role.CUSTOMER, Role.PARTNER, Role.SERVICE, Role.ADMIN})
HOUSEHOLD_SEARCHERS = frozenset({Role.UNDERWRITER, Role.CLAIMS, Role.SERVICE, Role.RISK, Role.ADMIN, Role.AUDITOR})
CLEAR_PII_ROLES = frozenset({Role.CUSTOMER, Role.UNDERWRITER, Role.CLAIMS, Role.SERVICE, Role.RISK})
"""Roles whose work needs a clear ID number or phone (customers: their own household only). Every read is audited."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    user_id: int
    role: Role
    username: str
    display_name: str
    person_id: int | None = None
    language: str = "zh"
    elderly_mode: bool = False

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


class TokenSigner:
    """Bearer tokens for the API: a signed, timestamped ``{"uid", "ver"}`` (``ver`` bumps on logout/password change)."""

    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="jiabao.api-token")
        self._ttl = ttl_seconds

    def issue(self, user_id: int, version: int) -> str:
        return self._serializer.dumps({"uid": user_id, "ver": version})

    def read(self, token: str) -> tuple[int, int] | None:
        try:
            data = self._serializer.loads(token, max_age=self._ttl)
        except (SignatureExpired, BadSignature):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
            return None
        return int(data["uid"]), int(data.get("ver", 0))
