"""/api/v1/auth: sign-up, sign-in and password reset with an SMS code (issue 11, item 6). Public routes.

Asking for a code answers 202 whether or not the number has an account (no enumeration of customers); the SMS
itself says what to do. A wrong code is 422 on the field ``code`` and counts towards the code's limit."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from jiabao.api.auth import TokenOut
from jiabao.api.deps import SessionDep, runtime_of
from jiabao.identity import accounts
from jiabao.identity import service as identity
from jiabao.identity.accounts import Accounts, CodeLogin, CodeRequest, ResetIn, SignUpIn
from jiabao.identity.models import User
from jiabao.identity.sms import CodePolicy
from jiabao.runtime import Runtime

router = APIRouter(prefix="/auth", tags=["auth"])


class CodeSent(BaseModel):
    accepted: bool = True
    expires_in: int
    resend_after: int


def accounts_for(runtime: Runtime) -> Accounts:
    """The SMS-code rules from the settings (shared with the pages)."""
    s = runtime.settings
    policy = CodePolicy(
        secret=s.secret_key.encode(),
        ttl_seconds=s.sms_code_ttl_seconds,
        max_attempts=s.sms_code_max_attempts,
        resend_seconds=s.sms_resend_seconds,
        daily_limit=s.sms_daily_limit,
        hotline=s.hotline,
    )
    return Accounts(sessions=runtime.sessions, cipher=runtime.cipher, clock=runtime.clock, policy=policy)


def _token(runtime: Runtime, user: User) -> TokenOut:
    return TokenOut(
        access_token=runtime.tokens.issue(user.id, user.token_version),
        expires_in=runtime.settings.token_ttl_seconds,
        user=identity.user_out(user),
    )


@router.post("/sms/code", operation_id="auth_sms_code", status_code=202)
def sms_code(request: Request, session: SessionDep, body: CodeRequest) -> CodeSent:
    """Send an SMS code for ``login``, ``signup`` or ``reset`` (valid 5 minutes; one per 60 s per number, 429)."""
    runtime = runtime_of(request)
    accounts.request_code(session, accounts_for(runtime), body)
    s = runtime.settings
    return CodeSent(expires_in=s.sms_code_ttl_seconds, resend_after=s.sms_resend_seconds)


@router.post("/sms/token", operation_id="auth_sms_token")
def sms_token(request: Request, session: SessionDep, body: CodeLogin) -> TokenOut:
    """Exchange a mobile number and its SMS code for a bearer token."""
    runtime = runtime_of(request)
    return _token(runtime, accounts.log_in_with_code(session, accounts_for(runtime), body))


@router.post("/signup", operation_id="auth_signup", status_code=201)
def signup(request: Request, session: SessionDep, body: SignUpIn) -> TokenOut:
    """Open an account and a family account: the mobile's SMS code, the person's name and resident ID number
    (GB 11643 check digit, birth date, region)."""
    runtime = runtime_of(request)
    return _token(runtime, accounts.sign_up(session, accounts_for(runtime), body))


@router.post("/password/reset", operation_id="auth_password_reset", status_code=204)
def password_reset(request: Request, session: SessionDep, body: ResetIn) -> Response:
    """Set a new password with an SMS code sent to the account's mobile; every earlier token stops working."""
    runtime = runtime_of(request)
    accounts.reset_password(session, accounts_for(runtime), body)
    return Response(status_code=204)
