"""The servicing menu pages (issue 17): every item of the menu for the customer online and for service staff at
the counter (who record the identity check, the customer's confirmation and whether the customer came in or
called), the policy-loan figures, and the service-quality panel (服务质量) for service staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.auth import Role
from jiabao.core.errors import FieldProblem, JiabaoError, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views
from jiabao.policies.rules.servicing import SERVICING_ITEMS, ServicingItem
from jiabao.policies.servicing import holder, loans, quality
from jiabao.policies.servicing import service as servicing
from jiabao.policies.servicing.loans import LoanTerms
from jiabao.policies.servicing.schemas import REQUEST_ADAPTER
from jiabao.web.claim_pages import grouped_problems
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
STAFF = frozenset({Role.SERVICE, Role.ADMIN})


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | number | date | insured | select | check
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    kind: ServicingItem
    staff_only: bool
    fields: tuple[Field, ...]


_INSURED = Field("person_id", "insured")
ITEMS = (
    Item(ServicingItem.ADDRESS, False, (Field("address", "text"),)),
    Item(
        ServicingItem.OCCUPATION,
        False,
        (_INSURED, Field("occupation", "text"), Field("occupation_class", "select", ("1", "2", "3", "4", "5", "6"))),
    ),
    Item(ServicingItem.IDENTITY, False, (_INSURED, Field("name", "text"), Field("evidence", "text"))),
    Item(ServicingItem.REDUCE_SUM_ASSURED, False, (_INSURED, Field("sum_assured", "number"))),
    Item(ServicingItem.REDUCED_PAID_UP, False, ()),
    Item(ServicingItem.POLICY_LOAN, False, (Field("amount", "number"),)),
    Item(ServicingItem.LOAN_REPAYMENT, False, (Field("amount", "number"), Field("account", "text"))),
    Item(ServicingItem.AUTOMATIC_PREMIUM_LOAN, False, (Field("opted_in", "select", ("true", "false")),)),
    Item(
        ServicingItem.SURVIVAL_CONFIRMATION,
        False,
        (_INSURED, Field("method", "select", ("face_verification", "video", "in_person"))),
    ),
    Item(ServicingItem.RENEWAL, False, ()),
    Item(ServicingItem.REPRINT, False, (Field("reason", "select", ("lost", "damaged", "other")),)),
    Item(ServicingItem.LOSS_REPORT, False, (Field("lost_on", "date"),)),
    Item(
        ServicingItem.RESCISSION,
        True,
        (Field("learned_on", "date"), Field("intentional", "select", ("false", "true")), Field("reason", "text")),
    ),
    Item(
        ServicingItem.AGE_CORRECTION,
        True,
        (
            _INSURED,
            Field("true_birth_date", "date"),
            Field("sex", "select", ("M", "F")),
            Field("learned_on", "date"),
            Field("evidence", "text"),
            Field("proportional", "check"),
        ),
    ),
)
BY_KIND = {item.kind.value: item for item in ITEMS}


def _terms(request: Request) -> LoanTerms:
    settings = runtime_of(request).settings
    return LoanTerms(settings.policy_loan_max_share, settings.policy_loan_annual_rate)


def _page(
    request: Request,
    ctx: ServiceContext,
    policy_id: int,
    *,
    form: dict[str, str] | None = None,
    problems: tuple[FieldProblem, ...] = (),
    which: str = "",
    done: str = "",
) -> Response:
    policy = views.view(ctx, runtime_of(request).products, policy_id)
    row, _ = views.load(ctx, policy_id)
    grouped = grouped_problems(problems)
    staff = ctx.principal.role in STAFF
    return render(
        request,
        "servicing_menu.html",
        ctx.principal,
        status_code=422 if problems else 200,
        policy=policy,
        insureds=[i for i in policy.insureds if i.status == "active"],
        items=[i for i in ITEMS if staff or not i.staff_only],
        labels={k.value: (r.label_zh, r.label_en) for k, r in SERVICING_ITEMS.items()},
        staff=staff,
        loan=loans.loan_summary(ctx.session, row, ctx.clock.today(), _terms(request)),
        form=form or {},
        problems=grouped,
        which=which,
        done=done,
    )


@router.get("/policies/{policy_id}/servicing/menu", response_class=HTMLResponse)
def menu_page(request: Request, ctx: PageCtx, policy_id: int, done: str = "") -> Response:
    return _page(request, ctx, policy_id, done=done if done.isdigit() else "")


def _body(item: Item, form: dict[str, str], staff: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": item.kind.value}
    for f in item.fields:
        if f.kind == "check":
            body[f.name] = form.get(f.name) == "on"
        elif form.get(f.name, "").strip():
            body[f.name] = form[f.name].strip()
    if staff:
        body |= {
            "identity_verified": form.get("identity_verified") == "on",
            "customer_confirmed": form.get("customer_confirmed") == "on",
            "via": "phone" if form.get("via") == "phone" else "counter",
        }
    return body


@router.post("/policies/{policy_id}/servicing/menu/{kind}", response_class=HTMLResponse, dependencies=[Csrf])
def submit(request: Request, ctx: PageCtx, policy_id: int, kind: str, form: FormData) -> Response:
    item = BY_KIND.get(kind)
    staff = ctx.principal.role in STAFF
    if item is None or (item.staff_only and not staff):
        raise PermissionDenied("Not available here", "该项目不能在此办理")
    runtime = runtime_of(request)
    problems: tuple[FieldProblem, ...] = ()
    try:
        data = REQUEST_ADAPTER.validate_python(_body(item, form, staff))
        out = servicing.submit(ctx, runtime.products, runtime.knowledge.get(), policy_id, data, _terms(request))
    except ValidationError as exc:
        problems = problems_from_pydantic([e | {"loc": tuple(e["loc"])[1:]} for e in exc.errors()])
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if problems:
        ctx.session.rollback()
        return _page(request, ctx, policy_id, form=form, problems=problems, which=kind)
    return RedirectResponse(f"/policies/{policy_id}/servicing/menu?done={out.id}", status_code=303)


@router.get("/service/quality", response_class=HTMLResponse)
def quality_page(request: Request, ctx: PageCtx, from_date: str = "", to_date: str = "") -> Response:
    """服务质量: the figures per item and channel for service staff, admins, auditors and actuaries."""
    today = ctx.clock.today()
    try:
        start = date.fromisoformat(from_date) if from_date else today.replace(day=1)
        end = date.fromisoformat(to_date) if to_date else today
    except ValueError:
        start, end = today.replace(day=1), today
    figures = quality.quality(ctx, from_date=start, to_date=end, roles=frozenset(servicing.AGGREGATE_ROLES))
    return render(request, "service_quality.html", ctx.principal, figures=figures)


@router.get("/households/{household_id}/service-requests", response_class=HTMLResponse)
def household_requests(request: Request, ctx: PageCtx, household_id: int) -> Response:
    """The family home's list of servicing requests and their status (loaded into the household page)."""
    rows = servicing.household_requests(ctx, household_id)
    me = ctx.principal.person_id
    pending = [p for p in holder.pending_for(ctx, household_id, me) if p["mine_to_consent"] and not p["expired"]]
    return render(request, "partials/household_requests.html", ctx.principal, rows=rows, pending=pending,
                  household_id=household_id)  # fmt: skip
