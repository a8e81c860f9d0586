"""Page dependencies: the signed-cookie session's user, CSRF protection and template rendering."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from jiabao.api.deps import SessionDep, runtime_of
from jiabao.core.auth import Principal
from jiabao.core.errors import CsrfFailed, JiabaoError, NotAuthenticated
from jiabao.db.context import ServiceContext
from jiabao.identity import service as identity
from jiabao.security import sessions as user_sessions
from jiabao.web.i18n import translator

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def optional_principal(request: Request, session: SessionDep) -> Principal | None:
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    now = runtime_of(request).clock.now()
    if user_sessions.user_of(session, request.session.get("sid"), now=now) != uid:
        request.session.clear()  # logged out (revoked server-side), expired, or a cookie from before
        return None
    principal = identity.principal_for_token(session, uid, int(request.session.get("ver", 0)))
    if principal is None:
        request.session.clear()
        return None
    request.state.language = principal.language
    return principal


def page_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise NotAuthenticated()
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]


def page_context(request: Request, session: SessionDep, principal: PagePrincipal) -> ServiceContext:
    runtime = runtime_of(request)
    return ServiceContext(
        session=session,
        clock=runtime.clock,
        cipher=runtime.cipher,
        principal=principal,
        base_url=runtime.settings.base_url,
        hotline=runtime.settings.hotline,
    )


PageCtx = Annotated[ServiceContext, Depends(page_context)]


async def verify_csrf(request: Request) -> None:
    """Every state-changing form post carries the session's token (form field or the htmx header)."""
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfFailed()


Csrf = Depends(verify_csrf)


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (for forms whose field names are dynamic)."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


FormData = Annotated[dict[str, str], Depends(form_fields)]


def language(request: Request, principal: Principal | None) -> str:
    if principal is not None:
        return principal.language
    lang = getattr(request.state, "language", None) or request.session.get("lang") or request.query_params.get("lang")
    return "en" if lang == "en" else "zh"


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    lang = language(request, principal)
    hotline = runtime_of(request).settings.hotline
    texts = translator(lang)
    base = {
        "t": (lambda key: texts(key).replace("95xxx", hotline)) if hotline != "95xxx" else texts,
        "hotline": hotline,
        "lang": lang,
        "principal": principal,
        "elderly": bool(principal and principal.elderly_mode),
        "csrf_token": csrf_token(request),
        "htmx": request.headers.get("hx-request") == "true",
    }
    return TEMPLATES.TemplateResponse(request, template, {**base, **context}, status_code=status_code, headers=headers)


def error_page(request: Request, error: JiabaoError) -> Response:
    """How the web UI shows an error: log-in for 401, otherwise a page in the user's language."""
    if isinstance(error, NotAuthenticated):
        return RedirectResponse("/login", status_code=303)
    return render(request, "error.html", None, status_code=error.status, error=error)
