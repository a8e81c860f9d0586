"""Server-rendered pages (Jinja2 + htmx): log-in, household overview, member forms, staff search, preferences."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import SessionDep, client_address, login_policy, runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.auth import HOUSEHOLD_WRITERS, Role
from jiabao.core.errors import FieldProblem, JiabaoError, NotAuthenticated
from jiabao.db.context import ServiceContext
from jiabao.family import membership, queries, service
from jiabao.family.enums import Relationship
from jiabao.family.schemas import ID_TYPES, MemberIn, MembershipRequestOut, MemberUpdate
from jiabao.identity import service as identity
from jiabao.identity.accounts import username_for_mobile
from jiabao.identity.service import Preferences
from jiabao.policies.common import views as policy_views
from jiabao.security import login as throttled_login
from jiabao.security import sessions as user_sessions
from jiabao.security.login import TooManyAttempts
from jiabao.web.charts import cover_by_member, premiums_by_month
from jiabao.web.deps import Csrf, PageCtx, PagePrincipal, optional_principal, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, session: SessionDep, lang: str | None = None) -> Response:
    if lang in ("zh", "en"):
        request.session["lang"] = lang
    if optional_principal(request, session) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", None)


@router.post("/login", dependencies=[Csrf])
def login(request: Request, session: SessionDep, username: Text = "", password: Text = "") -> Response:
    runtime = runtime_of(request)
    now = runtime.clock.now()
    try:
        user = throttled_login.log_in(
            runtime.sessions,
            session,
            login_policy(request),
            username=username,
            password=password,
            address=client_address(request),
            channel="page",
            now=now,
            resolve=lambda typed: username_for_mobile(session, runtime.cipher, typed),
        )
    except TooManyAttempts as refused:
        headers = {"Retry-After": str(refused.retry_after)}
        return render(
            request, "login.html", None, status_code=429, headers=headers, locked=refused, username=username[:60]
        )
    except (NotAuthenticated, ValidationError):
        return render(request, "login.html", None, status_code=401, failed=True, username=username[:60])
    sid = user_sessions.start(session, user_id=user.id, now=now, ttl_seconds=runtime.settings.session_ttl_seconds)
    request.session.clear()
    request.session.update({"uid": user.id, "ver": user.token_version, "sid": sid})
    return RedirectResponse("/", status_code=303)


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request, session: SessionDep) -> Response:
    """Ends the session on the server too: the old cookie, replayed, no longer logs anyone in."""
    user_sessions.end(session, request.session.get("sid"), now=runtime_of(request).clock.now())
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/preferences", dependencies=[Csrf])
def preferences(
    request: Request,
    session: SessionDep,
    principal: PagePrincipal,
    language: Text = "",
    elderly_mode: Text = "",
) -> Response:
    prefs = Preferences(
        language=language if language in ("zh", "en") else None,
        elderly_mode={"on": True, "off": False}.get(elderly_mode),
    )
    identity.set_preferences(session, principal.user_id, prefs)
    back = request.headers.get("referer") or "/"
    return RedirectResponse(back if back.startswith(str(request.base_url)) else "/", status_code=303)


@router.get("/")
def home(ctx: PageCtx) -> Response:
    """Customers land on their household (elderly mode: the simplified home), partners on their list, risk
    officers on the risk home, other staff on their worklist home."""
    if ctx.principal.role is Role.CUSTOMER and ctx.principal.elderly_mode:
        return RedirectResponse("/elderly", status_code=303)
    if ctx.principal.role is Role.CUSTOMER:
        households = queries.list_households(ctx)
        if households:
            return RedirectResponse(f"/households/{households[0].id}", status_code=303)
        return RedirectResponse("/households", status_code=303)
    if ctx.principal.role is Role.PARTNER:
        return RedirectResponse("/households", status_code=303)
    if ctx.principal.role is Role.RISK:
        return RedirectResponse("/risk", status_code=303)
    return RedirectResponse("/work", status_code=303)


@router.get("/households", response_class=HTMLResponse)
def households(request: Request, ctx: PageCtx, page: int = 1) -> Response:
    page = max(page, 1)
    rows = queries.list_households(ctx, limit=50, offset=(page - 1) * 50)
    return render(request, "households.html", ctx.principal, rows=rows, page=page)


def _household_context(ctx: ServiceContext, household_id: int, request: Request | None = None) -> dict[str, Any]:
    policies = policy_views.for_household(ctx, runtime_of(request).products, household_id) if request else []
    return {
        "policies": policies,
        "covers": _covers(policies),
        "household": service.get_overview(ctx, household_id),
        "events": service.timeline(ctx, household_id),
        "can_edit": ctx.principal.role in HOUSEHOLD_WRITERS,
        "relationships": [r for r in Relationship if r is not Relationship.SELF],
        "id_types": ID_TYPES,
        "form": {},
        "problems": {},
        "open_form": False,
    }


def _covers(policies: list[policy_views.PolicyOut]) -> dict[int, list[dict[str, Any]]]:
    """Each member's cover across the household's policies (全家保障一览)."""
    covers: dict[int, list[dict[str, Any]]] = {}
    for policy in policies:
        for insured in policy.insureds:
            if insured.status != "active":
                continue
            covers.setdefault(insured.person_id, []).append(
                {
                    "policy_id": policy.id,
                    "product_zh": policy.product_name_zh,
                    "product_en": policy.product_name_en,
                    "sum_assured": insured.sum_assured,
                    "status": policy.status,
                    "waived": policy.premium_waived_from is not None,
                }
            )
    return covers


@router.get("/households/{household_id}", response_class=HTMLResponse)
def household(
    request: Request, ctx: PageCtx, household_id: int, added: int = 0, updated: int = 0, requested: int = 0
) -> Response:
    """全家保障一览 — the household overview."""
    context = _household_context(ctx, household_id, request)
    charts = {
        "cover": cover_by_member(context["household"].members, context["covers"]),
        "premiums": premiums_by_month(context["policies"], ctx.clock.today()),
    }
    return render(
        request,
        "household.html",
        ctx.principal,
        added=bool(added),
        updated=bool(updated),
        requested=bool(requested),
        charts=charts,
        **context,
    )


@router.post("/households/{household_id}/members", response_class=HTMLResponse, dependencies=[Csrf])
def add_member(
    request: Request,
    ctx: PageCtx,
    household_id: int,
    name: Text = "",
    relationship: Text = "",
    id_type: Text = "resident_id",
    id_number: Text = "",
    sex: Text = "",
    birth_date: Text = "",
    phone: Text = "",
    occupation: Text = "",
    social_insurance: Text = "",
) -> Response:
    """Add a member from the form; on error the form comes back with the messages beside each field."""
    form = {
        "name": name,
        "relationship": relationship,
        "id_type": id_type,
        "id_number": id_number,
        "sex": sex,
        "birth_date": birth_date,
        "phone": phone,
        "occupation": occupation,
    }
    values: dict[str, object] = {k: (v.strip() or None) for k, v in form.items()}
    values["social_insurance"] = social_insurance == "on"
    problems: tuple[FieldProblem, ...] = ()
    outcome = "added"
    try:
        added = membership.add_or_request(ctx, household_id, MemberIn.model_validate(values))
        outcome = "requested" if isinstance(added, MembershipRequestOut) else "added"
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    htmx = request.headers.get("hx-request") == "true"
    if not problems:
        target = f"/households/{household_id}?{outcome}=1"
        if htmx:
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    context = _household_context(ctx, household_id, request)
    return render(
        request,
        "partials/member_form.html" if htmx else "household.html",
        ctx.principal,
        status_code=200 if htmx else 422,
        **{**context, "form": form, "problems": _by_field(problems), "open_form": True},
    )


def _by_field(problems: tuple[FieldProblem, ...]) -> dict[str, list[FieldProblem]]:
    grouped: dict[str, list[FieldProblem]] = {}
    for p in problems:
        grouped.setdefault(p.field.split(".")[0], []).append(p)
    return grouped


@router.get("/members/{member_id}/edit", response_class=HTMLResponse)
def edit_member_page(request: Request, ctx: PageCtx, member_id: int) -> Response:
    household_id, member = service.member_for_edit(ctx, member_id)
    form = {"name": member.name, "occupation": member.occupation or "", "phone": ""}
    return render(
        request, "member_edit.html", ctx.principal, member=member, household_id=household_id, form=form, problems={}
    )


@router.post("/members/{member_id}", response_class=HTMLResponse, dependencies=[Csrf])
def edit_member(
    request: Request,
    ctx: PageCtx,
    member_id: int,
    name: Text = "",
    phone: Text = "",
    occupation: Text = "",
    occupation_class: Text = "",
    social_insurance: Text = "",
) -> Response:
    """Change a member's contact and work details; a blank phone keeps the current one."""
    household_id, member = service.member_for_edit(ctx, member_id)
    values: dict[str, object] = {
        "name": name.strip() or None,
        "occupation": occupation.strip() or None,
        "occupation_class": occupation_class.strip() or None,
        "social_insurance": social_insurance == "on",
    }
    if phone.strip():
        values["phone"] = phone.strip()
    problems: tuple[FieldProblem, ...] = ()
    try:
        service.update_member(
            ctx, member_id, MemberUpdate.model_validate({k: v for k, v in values.items() if v is not None})
        )
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/households/{household_id}?updated=1", status_code=303)
    form = {"name": name, "phone": phone, "occupation": occupation}
    return render(
        request,
        "member_edit.html",
        ctx.principal,
        status_code=422,
        member=member,
        household_id=household_id,
        form=form,
        problems=_by_field(problems),
    )


@router.get("/staff/search", response_class=HTMLResponse)
def staff_search_page(request: Request, ctx: PageCtx) -> Response:
    queries.ensure_can_search(ctx)
    return render(request, "search.html", ctx.principal, rows=None, q="")


@router.post("/staff/search", response_class=HTMLResponse, dependencies=[Csrf])
def staff_search(request: Request, ctx: PageCtx, q: Text = "") -> Response:
    """Search by POST so ID and phone numbers never reach URLs or access logs; numbers are not echoed back."""
    rows = queries.search_households(ctx, q[:40]) if q.strip() else None
    echo = "" if any(ch.isdigit() for ch in q) else q
    return render(request, "search.html", ctx.principal, rows=rows, q=echo)
