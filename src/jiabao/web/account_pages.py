"""Sign-in like a Chinese app (issue 11, item 6): mobile number + SMS code sign-in and sign-up, password reset,
and the development message inbox ``/dev/outbox`` (404 in production).

Plain forms (no script: the CSP forbids inline code); the number typed in step one is carried to step two in a
hidden field, never in a URL.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiabao.api.accounts import accounts_for
from jiabao.api.deps import SessionDep, runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError, NotFound
from jiabao.db.outbox import OutboxMessage
from jiabao.identity import accounts
from jiabao.identity.accounts import CodeLogin, CodeRequest, ResetIn, SignUpIn
from jiabao.identity.models import User
from jiabao.identity.sms import Purpose, TooManyCodes
from jiabao.security import sessions as user_sessions
from jiabao.web.deps import Csrf, optional_principal, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]

FLOWS = {
    Purpose.SIGNUP: ("signup.html", "/signup"),
    Purpose.LOGIN: ("login_sms.html", "/login/sms"),
    Purpose.RESET: ("password_reset.html", "/password/reset"),
}


def start_page_session(request: Request, session: Session, user: User) -> None:
    """The same server-side session as a password log-in."""
    runtime = runtime_of(request)
    sid = user_sessions.start(
        session, user_id=user.id, now=runtime.clock.now(), ttl_seconds=runtime.settings.session_ttl_seconds
    )
    request.session.clear()
    request.session.update({"uid": user.id, "ver": user.token_version, "sid": sid})


def _by_field(problems: tuple[FieldProblem, ...]) -> dict[str, list[FieldProblem]]:
    grouped: dict[str, list[FieldProblem]] = {}
    for p in problems:
        grouped.setdefault(p.field.split(".")[0], []).append(p)
    return grouped


def _page(
    request: Request, purpose: Purpose, *, step: int, form: dict[str, str], status: int = 200, **extra: Any
) -> HTMLResponse:
    template, _ = FLOWS[purpose]
    extra.setdefault("problems", {})
    return render(request, template, None, status_code=status, step=step, form=form, **extra)


def _failed(request: Request, purpose: Purpose, step: int, form: dict[str, str], exc: Exception) -> HTMLResponse:
    headers: dict[str, str] | None = None
    if isinstance(exc, ValidationError):
        problems = problems_from_pydantic(list(exc.errors()))
        return _page(request, purpose, step=step, form=form, status=422, problems=_by_field(problems))
    assert isinstance(exc, JiabaoError)
    if isinstance(exc, TooManyCodes):
        headers = {"Retry-After": str(exc.retry_after)}
    template, _ = FLOWS[purpose]
    return render(
        request,
        template,
        None,
        status_code=exc.status,
        headers=headers,
        step=step,
        form=form,
        problems=_by_field(exc.fields),
        error=None if exc.fields else exc,
    )


def _get(request: Request, session: Session, purpose: Purpose, lang: str | None) -> Response:
    if lang in ("zh", "en"):
        request.session["lang"] = lang
    if purpose is not Purpose.RESET and optional_principal(request, session) is not None:
        return RedirectResponse("/", status_code=303)
    return _page(request, purpose, step=1, form={})


def _send(request: Request, session: Session, purpose: Purpose, mobile: str) -> Response:
    form = {"mobile": mobile[:40]}
    try:
        accounts.request_code(session, accounts_for(runtime_of(request)), CodeRequest(mobile=mobile, purpose=purpose))
    except (ValidationError, JiabaoError) as exc:
        return _failed(request, purpose, 1, form, exc)
    return _page(request, purpose, step=2, form=form, sent=True)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, session: SessionDep, lang: str | None = None) -> Response:
    return _get(request, session, Purpose.SIGNUP, lang)


@router.post("/signup/code", response_class=HTMLResponse, dependencies=[Csrf])
def signup_code(request: Request, session: SessionDep, mobile: Text = "") -> Response:
    return _send(request, session, Purpose.SIGNUP, mobile)


@router.post("/signup", response_class=HTMLResponse, dependencies=[Csrf])
def signup(
    request: Request,
    session: SessionDep,
    mobile: Text = "",
    code: Text = "",
    name: Text = "",
    id_number: Text = "",
    password: Text = "",
) -> Response:
    form = {"mobile": mobile[:40], "name": name[:60], "id_number": id_number[:24]}
    try:
        data = SignUpIn(mobile=mobile, code=code, name=name, id_number=id_number, password=password or None)
        user = accounts.sign_up(session, accounts_for(runtime_of(request)), data)
    except (ValidationError, JiabaoError) as exc:
        session.rollback()
        return _failed(request, Purpose.SIGNUP, 2, form, exc)
    start_page_session(request, session, user)
    return RedirectResponse("/", status_code=303)


@router.get("/login/sms", response_class=HTMLResponse)
def sms_login_page(request: Request, session: SessionDep, lang: str | None = None) -> Response:
    return _get(request, session, Purpose.LOGIN, lang)


@router.post("/login/sms/code", response_class=HTMLResponse, dependencies=[Csrf])
def sms_login_code(request: Request, session: SessionDep, mobile: Text = "") -> Response:
    return _send(request, session, Purpose.LOGIN, mobile)


@router.post("/login/sms", response_class=HTMLResponse, dependencies=[Csrf])
def sms_login(request: Request, session: SessionDep, mobile: Text = "", code: Text = "") -> Response:
    form = {"mobile": mobile[:40]}
    try:
        user = accounts.log_in_with_code(
            session, accounts_for(runtime_of(request)), CodeLogin(mobile=mobile, code=code)
        )
    except (ValidationError, JiabaoError) as exc:
        session.rollback()
        return _failed(request, Purpose.LOGIN, 2, form, exc)
    start_page_session(request, session, user)
    return RedirectResponse("/", status_code=303)


@router.get("/password/reset", response_class=HTMLResponse)
def reset_page(request: Request, session: SessionDep, lang: str | None = None) -> Response:
    return _get(request, session, Purpose.RESET, lang)


@router.post("/password/reset/code", response_class=HTMLResponse, dependencies=[Csrf])
def reset_code(request: Request, session: SessionDep, mobile: Text = "") -> Response:
    return _send(request, session, Purpose.RESET, mobile)


@router.post("/password/reset", response_class=HTMLResponse, dependencies=[Csrf])
def reset(request: Request, session: SessionDep, mobile: Text = "", code: Text = "", password: Text = "") -> Response:
    form = {"mobile": mobile[:40]}
    try:
        user = accounts.reset_password(
            session, accounts_for(runtime_of(request)), ResetIn(mobile=mobile, code=code, password=password)
        )
    except (ValidationError, JiabaoError) as exc:
        session.rollback()
        return _failed(request, Purpose.RESET, 2, form, exc)
    user_sessions.end_all(session, user.id, now=runtime_of(request).clock.now())
    request.session.clear()
    return _page(request, Purpose.RESET, step=3, form={})


@router.get("/dev/outbox", response_class=HTMLResponse)
def dev_outbox(request: Request, session: SessionDep, lang: str | None = None) -> Response:
    """The development message inbox: every SMS and e-mail the platform queued, newest first, with its text.

    Off in production (404): there the messages go to the SMS gateway and the mail server only."""
    if runtime_of(request).settings.environment == "production":
        raise NotFound()
    if lang in ("zh", "en"):
        request.session["lang"] = lang
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.topic.in_(("sms", "email")))
        .order_by(OutboxMessage.id.desc())
        .limit(200)
    ).all()
    messages = [
        {
            "id": m.id,
            "at": m.created_at,
            "channel": m.topic,
            "kind": str(m.payload.get("kind", "")),
            "to": m.payload.get("to_masked") or m.payload.get("person_id") or m.payload.get("user_id") or "",
            "subject": m.payload.get("subject") or "",
            "body": str(m.payload.get("body", "")),
            "delivered": m.delivered_at is not None,
        }
        for m in rows
    ]
    return render(request, "dev_outbox.html", optional_principal(request, session), messages=messages)
