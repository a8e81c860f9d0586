"""Mobile-number accounts (issue 11, item 6): sign-up with the person's identity, sign-in and password reset by
SMS code. Pages and the API share these functions; the caller commits.

Asking for a code never tells whether a number is registered: the answer is the same, and the SMS itself says
what to do (an unknown number gets nothing for sign-in or reset; a registered number asking to sign up is told to
sign in instead).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jiabao.core.auth import Principal, Role, hash_password
from jiabao.core.clock import Clock
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, NotAuthenticated
from jiabao.core.pii import PiiCipher
from jiabao.db import audit
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdIn, PersonIn
from jiabao.identity.models import SmsCode, User
from jiabao.identity.sms import (
    MOBILE_COLUMN,
    CodePolicy,
    Mobile,
    Purpose,
    check_can_send,
    mobile_of,
    queue_sms,
    send_code,
    verify_code,
)

MIN_PASSWORD = 8


class SignUpIn(BaseModel):
    """Sign-up: the mobile number and its code, and who the person is (name and resident ID number)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    mobile: str = Field(min_length=1, max_length=40)
    code: str = Field(min_length=1, max_length=10)
    name: str = Field(min_length=1, max_length=60)
    id_number: str = Field(min_length=5, max_length=24)
    password: str | None = Field(default=None, max_length=200)


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    mobile: str = Field(min_length=1, max_length=40)
    purpose: Purpose


class CodeLogin(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    mobile: str = Field(min_length=1, max_length=40)
    code: str = Field(min_length=1, max_length=10)


class ResetIn(CodeLogin):
    password: str = Field(min_length=1, max_length=200)


@dataclass(frozen=True)
class Accounts:
    """What the account functions need from the runtime."""

    sessions: sessionmaker[Session]
    cipher: PiiCipher
    clock: Clock
    policy: CodePolicy


def user_by_mobile(session: Session, cipher: PiiCipher, raw: str) -> User | None:
    """The user signing in with this mobile number, if any (used by password log-in too)."""
    try:
        mobile = mobile_of(cipher, raw)
    except InvalidInput:
        return None
    return session.scalars(select(User).where(User.mobile_bidx == mobile.bidx)).one_or_none()


def username_for_mobile(session: Session, cipher: PiiCipher, typed: str) -> str | None:
    """For password log-in: the username of the account registered with this mobile number, if any."""
    user = user_by_mobile(session, cipher, typed) if any(ch.isdigit() for ch in typed) else None
    return user.username if user else None


def _by_bidx(session: Session, bidx: str) -> User | None:
    return session.scalars(select(User).where(User.mobile_bidx == bidx)).one_or_none()


def request_code(session: Session, accounts: Accounts, data: CodeRequest) -> None:
    """Send a code for ``data.purpose`` (or, for a number that cannot use it, a message saying what to do)."""
    now = accounts.clock.now()
    mobile = mobile_of(accounts.cipher, data.mobile)
    user = _by_bidx(session, mobile.bidx)
    if data.purpose is Purpose.SIGNUP and user is not None:
        # The resend throttle applies to this message too: it is an SMS to someone's phone.
        check_can_send(session, accounts.policy, mobile, now=now)
        session.add(SmsCode(mobile_bidx=mobile.bidx, purpose="notice", code_hash="-", created_at=now,
                            expires_at=now, attempts=0, used_at=now))  # fmt: skip
        queue_sms(
            session,
            accounts.cipher,
            mobile,
            kind="signup_already_registered",
            body=(
                "【家保】该手机号已注册家保账户，请直接用短信验证码登录。"
                f"如非本人操作请致电 {accounts.policy.hotline}。"
            ),
            now=now,
            user_id=user.id,
        )
        _audit(session, now, None, "auth.signup_existing_number", "user", user.id, mobile)
        return
    if data.purpose is not Purpose.SIGNUP and (user is None or not user.active):
        _audit(session, now, None, "sms.code_unknown_number", "mobile", mobile.bidx[:16], mobile)
        return  # same answer as for a registered number: no enumeration of customers
    send_code(session, accounts.cipher, accounts.policy, mobile, data.purpose, now=now,
              user_id=user.id if user else None)  # fmt: skip


def _audit(
    session: Session, now: datetime, actor: int | None, action: str, entity: str, entity_id: object, mobile: Mobile
) -> None:
    audit.record(
        session,
        at=now,
        actor_id=actor,
        actor_role="customer" if actor else "anonymous",
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail={"mobile": mobile.masked},
    )


def _check_password(password: str | None, field: str = "password") -> None:
    if password is not None and password != "" and len(password) < MIN_PASSWORD:
        zh, en = f"密码至少 {MIN_PASSWORD} 位", f"The password needs at least {MIN_PASSWORD} characters"
        raise InvalidInput(en, zh, fields=(FieldProblem(field, "password_too_short", zh, en),))


def sign_up(session: Session, accounts: Accounts, data: SignUpIn) -> User:
    """Verify the code, check the person (GB 11643 resident ID), open the family account and the user."""
    now = accounts.clock.now()
    mobile = mobile_of(accounts.cipher, data.mobile)
    _check_password(data.password)
    if _by_bidx(session, mobile.bidx) is not None:
        zh = "该手机号已注册，请直接登录"
        en = "This mobile number already has an account; please sign in"
        raise Conflict(en, zh, code="mobile_registered", fields=(FieldProblem("mobile", "mobile_registered", zh, en),))
    # The person is checked before the code is spent, so a typo in the ID number does not cost a new SMS.
    today = accounts.clock.today()
    head = PersonIn(name=data.name, id_type="resident_id", id_number=data.id_number, phone=mobile.national)
    family.check_new_head(session, accounts.cipher, head, today=today)
    verify_code(accounts.sessions, session, accounts.policy, mobile, Purpose.SIGNUP, data.code, now=now)
    user = User(
        username=f"m{secrets.token_hex(6)}",
        password_hash=hash_password(data.password or secrets.token_urlsafe(32)),
        role=Role.CUSTOMER.value,
        display_name=data.name[:60],
        language="zh",
        elderly_mode=False,
        active=True,
        token_version=0,
        created_at=now,
        mobile_enc=accounts.cipher.encrypt(MOBILE_COLUMN, mobile.e164),
        mobile_bidx=mobile.bidx,
        mobile_masked=mobile.masked,
    )
    session.add(user)
    session.flush()
    principal = Principal(user_id=user.id, role=Role.CUSTOMER, username=user.username, display_name=user.display_name)
    ctx = ServiceContext(session=session, clock=accounts.clock, cipher=accounts.cipher, principal=principal)
    household = family.create_household(ctx, HouseholdIn(head=head))
    user.person_id = household.members[0].person_id
    _audit(session, now, user.id, "auth.signup", "user", user.id, mobile)
    session.flush()
    return user


def log_in_with_code(session: Session, accounts: Accounts, data: CodeLogin) -> User:
    """Sign in with a mobile number and the code sent to it."""
    now = accounts.clock.now()
    mobile = mobile_of(accounts.cipher, data.mobile)
    verify_code(accounts.sessions, session, accounts.policy, mobile, Purpose.LOGIN, data.code, now=now)
    user = _by_bidx(session, mobile.bidx)
    if user is None or not user.active:  # a code is only sent to active users; disabled since then
        raise NotAuthenticated("This account cannot sign in", "该账户无法登录，请致电客服", code="account_disabled")
    _audit(session, now, user.id, "auth.login", "user", user.id, mobile)
    return user


def reset_password(session: Session, accounts: Accounts, data: ResetIn) -> User:
    """Set a new password with a code sent to the account's mobile; every session and token of the user ends."""
    now = accounts.clock.now()
    mobile = mobile_of(accounts.cipher, data.mobile)
    _check_password(data.password)
    verify_code(accounts.sessions, session, accounts.policy, mobile, Purpose.RESET, data.code, now=now)
    user = _by_bidx(session, mobile.bidx)
    if user is None or not user.active:
        raise NotAuthenticated("This account cannot sign in", "该账户无法登录，请致电客服", code="account_disabled")
    user.password_hash = hash_password(data.password)
    user.token_version += 1
    _audit(session, now, user.id, "auth.password_reset", "user", user.id, mobile)
    queue_sms(
        session,
        accounts.cipher,
        mobile,
        kind="password_changed",
        body=f"【家保】您的登录密码已重置。如非本人操作，请立即致电 {accounts.policy.hotline}。",
        now=now,
        user_id=user.id,
    )
    session.flush()
    return user
