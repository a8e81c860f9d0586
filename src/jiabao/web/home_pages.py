"""Homes (issue 11, items 7 and 8): a worklist home for every staff role, user administration for admins, the
call-back queue for service staff, and the simplified elderly home with four big buttons and "call me back"."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.errors import problems_from_pydantic
from jiabao.core.auth import STAFF_ROLES, Role
from jiabao.core.errors import FieldProblem, JiabaoError, PermissionDenied
from jiabao.family import queries
from jiabao.identity import admin, callbacks
from jiabao.identity.admin import STAFF_ASSIGNABLE, StaffUserIn, UserChange
from jiabao.reporting.worklists import worklist
from jiabao.web.deps import Csrf, PageCtx, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


@router.get("/work", response_class=HTMLResponse)
def work_home(request: Request, ctx: PageCtx) -> Response:
    """The staff member's home: their queues with ages and deadlines, and the figures they are judged by."""
    if ctx.principal.role not in STAFF_ROLES:
        return RedirectResponse("/", status_code=303)
    data = worklist(ctx.session, ctx.principal.role, now=ctx.now(), today=ctx.clock.today())
    return render(request, "work_home.html", ctx.principal, work=data)


def _by_field(problems: tuple[FieldProblem, ...]) -> dict[str, list[FieldProblem]]:
    grouped: dict[str, list[FieldProblem]] = {}
    for p in problems:
        grouped.setdefault(p.field.split(".")[0], []).append(p)
    return grouped


def _users_page(
    request: Request, ctx: PageCtx, *, status: int = 200, form: dict[str, str] | None = None, **extra: Any
) -> HTMLResponse:
    rows = admin.list_users(ctx.session, ctx.principal)
    extra.setdefault("problems", {})
    return render(
        request, "admin_users.html", ctx.principal, status_code=status, users=rows, roles=STAFF_ASSIGNABLE,
        form=form or {}, **extra,
    )  # fmt: skip


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, ctx: PageCtx, done: str = "") -> Response:
    return _users_page(request, ctx, done=done[:20])


@router.post("/admin/users", response_class=HTMLResponse, dependencies=[Csrf])
def create_user(
    request: Request, ctx: PageCtx, username: Text = "", display_name: Text = "", role: Text = "", password: Text = ""
) -> Response:
    admin.list_users(ctx.session, ctx.principal, limit=1)  # 403 before reading the form for anyone but an admin
    form = {"username": username[:60], "display_name": display_name[:60], "role": role[:20]}
    try:
        data = StaffUserIn(username=username, display_name=display_name, role=role, password=password)
        admin.create_staff(ctx.session, ctx.principal, data, now=ctx.now())
    except ValidationError as exc:
        problems = _by_field(problems_from_pydantic(list(exc.errors())))
        return _users_page(request, ctx, status=422, form=form, problems=problems)
    except JiabaoError as exc:
        if not exc.fields:
            raise
        return _users_page(request, ctx, status=exc.status, form=form, problems=_by_field(exc.fields))
    return RedirectResponse("/admin/users?done=created", status_code=303)


@router.post("/admin/users/{user_id}", response_class=HTMLResponse, dependencies=[Csrf])
def change_user(request: Request, ctx: PageCtx, user_id: int, role: Text = "", active: Text = "") -> Response:
    try:
        change = UserChange(
            role=Role(role) if role in {r.value for r in Role} else None,
            active={"on": True, "off": False}.get(active),
        )
    except ValueError:
        change = UserChange()
    admin.change_user(ctx.session, ctx.principal, user_id, change, now=ctx.now())
    return RedirectResponse("/admin/users?done=changed", status_code=303)


@router.get("/callbacks", response_class=HTMLResponse)
def callback_queue(request: Request, ctx: PageCtx) -> Response:
    rows = callbacks.open_requests(ctx)
    return render(request, "callbacks.html", ctx.principal, rows=rows, now=ctx.now())


@router.post("/callbacks/{callback_id}/done", dependencies=[Csrf])
def callback_done(ctx: PageCtx, callback_id: int) -> Response:
    callbacks.mark_called(ctx, callback_id)
    return RedirectResponse("/callbacks", status_code=303)


@router.post("/callbacks", dependencies=[Csrf])
def request_callback(ctx: PageCtx, topic: Text = "general") -> Response:
    """The customer's "call me back" button (a task for service staff)."""
    callbacks.request_callback(ctx, topic[:20])
    return RedirectResponse("/elderly?called=1" if ctx.principal.elderly_mode else "/?called=1", status_code=303)


def proxy_link(request: Request) -> str | None:
    """The family proxy feature (子女代办), when the platform has it (built on another branch)."""
    for route in request.app.routes:
        path = getattr(route, "path", "")
        methods = getattr(route, "methods", None) or set()
        if "prox" in path and "{" not in path and "GET" in methods:
            return str(path)
    return None


@router.get("/elderly", response_class=HTMLResponse)
def elderly_home(request: Request, ctx: PageCtx, called: int = 0) -> Response:
    """The simplified home (长辈版): the four most common tasks as big buttons and a person to call."""
    if ctx.principal.role is not Role.CUSTOMER:
        raise PermissionDenied()
    households = queries.list_households(ctx)
    household = households[0] if households else None
    return render(
        request,
        "elderly_home.html",
        ctx.principal,
        household=household,
        callback=callbacks.open_for(ctx),
        called=bool(called),
        proxy=proxy_link(request),
    )
