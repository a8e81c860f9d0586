"""API dependencies: one unit of work per request, the bearer-token caller, and role gates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from jiabao.core.auth import Principal, Role
from jiabao.core.errors import NotAuthenticated, PermissionDenied
from jiabao.db import audit_unit
from jiabao.db.context import ServiceContext
from jiabao.identity import service as identity
from jiabao.runtime import Runtime
from jiabao.security.login import LoginPolicy

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def login_policy(request: Request) -> LoginPolicy:
    settings = runtime_of(request).settings
    return LoginPolicy(
        secret=settings.secret_key.encode(),
        max_failures=settings.login_max_failures,
        lock_seconds=settings.login_lock_seconds,
    )


def client_address(request: Request) -> str:
    """The peer's address as the server sees it (set ``--forwarded-allow-ips`` on uvicorn behind a proxy)."""
    return request.client.host if request.client else "unknown"


def unit_of_work(request: Request) -> Iterator[Session]:
    """Commit once when the handler returns (before the response is sent); roll back if it raises. Records that
    must outlive a failed request (``jiabao.db.audit_unit``) are then written in their own transaction."""
    factory = runtime_of(request).sessions
    session = factory()
    audit_unit.expect(session)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        audit_unit.run_pending(session, factory)
        raise
    else:
        audit_unit.run_pending(session, factory)
    finally:
        session.info.pop("audit_units", None)
        session.close()


SessionDep = Annotated[Session, Depends(unit_of_work, scope="function")]


def current_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise NotAuthenticated()
    decoded = runtime_of(request).tokens.read(credentials.credentials)
    principal = identity.principal_for_token(session, *decoded) if decoded else None
    if principal is None:
        raise NotAuthenticated("The token is not valid or has expired", "登录已失效，请重新登录", code="bad_token")
    request.state.principal_role = principal.role.value  # for the personal-data filter (jiabao.api.redact)
    request.state.principal_id = principal.user_id
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def service_context(request: Request, session: SessionDep, principal: PrincipalDep) -> ServiceContext:
    runtime = runtime_of(request)
    return ServiceContext(
        session=session,
        clock=runtime.clock,
        cipher=runtime.cipher,
        principal=principal,
        base_url=runtime.settings.base_url,
        hotline=runtime.settings.hotline,
    )


def require(*roles: Role) -> Callable[[ServiceContext], ServiceContext]:
    """A dependency that lets only ``roles`` through (403 for the others)."""
    allowed = frozenset(roles)

    def gate(ctx: Annotated[ServiceContext, Depends(service_context)]) -> ServiceContext:
        if ctx.principal.role not in allowed:
            raise PermissionDenied()
        return ctx

    gate.allowed_roles = allowed  # type: ignore[attr-defined]
    return gate
