"""/api/v1/auth: tokens, the caller, preferences."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from jiabao.api.deps import PrincipalDep, SessionDep, client_address, login_policy, runtime_of
from jiabao.identity import service as identity
from jiabao.identity.accounts import username_for_mobile
from jiabao.identity.service import Credentials, Preferences, UserOut
from jiabao.security import login

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    user: UserOut


@router.post("/token", operation_id="auth_token")
def issue_token(request: Request, session: SessionDep, credentials: Credentials) -> TokenOut:
    """Exchange a username and password for a bearer token.

    Failed attempts are audited and throttled per account and per address: growing delays, then a temporary
    lock (429 with ``Retry-After``); the account's owner is told of a lock."""
    runtime = runtime_of(request)
    user = login.log_in(
        runtime.sessions,
        session,
        login_policy(request),
        username=credentials.username,
        password=credentials.password,
        address=client_address(request),
        channel="api",
        now=runtime.clock.now(),
        resolve=lambda typed: username_for_mobile(session, runtime.cipher, typed),
    )
    return TokenOut(
        access_token=runtime.tokens.issue(user.id, user.token_version),
        expires_in=runtime.settings.token_ttl_seconds,
        user=identity.user_out(user),
    )


@router.post("/logout", operation_id="auth_logout", status_code=204)
def logout(session: SessionDep, principal: PrincipalDep) -> None:
    """Revoke every token of the caller."""
    identity.revoke_tokens(session, principal.user_id)


@router.get("/me", operation_id="auth_me")
def me(session: SessionDep, principal: PrincipalDep) -> UserOut:
    user = identity.active_user(session, principal.user_id)
    assert user is not None  # the principal was just loaded from this user
    return identity.user_out(user)


@router.patch("/me/preferences", operation_id="auth_preferences")
def preferences(session: SessionDep, principal: PrincipalDep, prefs: Preferences) -> UserOut:
    """Language (zh/en) and the elderly-friendly mode (大字版)."""
    return identity.user_out(identity.set_preferences(session, principal.user_id, prefs))
