"""Partner pages: the partner portal (mobile-first: my households and their gaps, pipeline, policies and renewals,
commissions and statements, my team with "add a partner"), and the staff's commission page (run a month, approve
it, every partner's statement as a page and a PDF)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, select

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.auth import Role
from jiabao.core.errors import FieldProblem, JiabaoError, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.partners import commissions, portal
from jiabao.partners import service as partners
from jiabao.partners.models import CommissionLine, CommissionRun, Partner
from jiabao.partners.schemas import LicenceIn, PartnerIn
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
STAFF = (Role.ADMIN, Role.ACTUARY)
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _problems(exc: Exception) -> tuple[FieldProblem, ...]:
    if isinstance(exc, ValidationError):
        return problems_from_pydantic(list(exc.errors()))
    if isinstance(exc, JiabaoError):
        return exc.fields or (FieldProblem("", exc.code, exc.message_zh, exc.message_en),)
    raise exc  # pragma: no cover


def _pdf(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Cache-Control": "no-store", "Content-Disposition": f'inline; filename="{name}"'},
    )


def _staff(ctx: ServiceContext) -> None:
    if ctx.principal.role not in STAFF:
        raise PermissionDenied("Only finance and actuarial staff", "仅佣金管理人员可访问")


# --- the partner portal -----------------------------------------------------------------------------------


def _portal(
    request: Request, ctx: ServiceContext, problems: tuple[FieldProblem, ...] = (), form: dict[str, str] | None = None
) -> Response:
    asked = request.query_params.get("month", "")
    month = asked if MONTH.fullmatch(asked) else f"{ctx.clock.today():%Y-%m}"
    data = portal.view(ctx, month)
    catalog = runtime_of(request).products.catalog
    english = ctx.principal.language == "en"

    def product(code: str) -> str:
        p = catalog.get(code)
        return code if p is None else (p.name_en if english else p.name_zh)

    return render(
        request,
        "partner_portal.html",
        ctx.principal,
        status_code=422 if problems else 200,
        data=data,
        product=product,
        problems=problems,
        form=form or {},
        added=request.query_params.get("added"),
        may_add={"team": ["individual"], "regional": ["team", "individual"]}.get(data.partner.kind, []),
        previous_month=f"{date.fromisoformat(month + '-01') - timedelta(days=1):%Y-%m}",
        this_month=f"{ctx.clock.today():%Y-%m}",
    )


@router.get("/partner", response_class=HTMLResponse)
def partner_home(request: Request, ctx: PageCtx) -> Response:
    return _portal(request, ctx)


@router.post("/partner/team", response_class=HTMLResponse, dependencies=[Csrf])
def add_partner(request: Request, ctx: PageCtx, form: FormData) -> Response:
    """A team (or regional) partner adds a partner under itself, with its practice registration."""
    partners.current(ctx)
    catalog = runtime_of(request).products.catalog
    try:
        valid_to = form.get("registration_valid_to") or None
        data = PartnerIn(
            username=form.get("username", ""),
            password=form.get("password", ""),
            name=form.get("name", ""),
            kind=form.get("kind", "individual"),
            licences=[
                LicenceIn(
                    kind="practice_registration",
                    number=form.get("registration_number", ""),
                    valid_from=ctx.clock.today(),
                    valid_to=date.fromisoformat(valid_to) if valid_to else None,
                )
            ],
        )
        created = partners.create(ctx, data, product_codes=set(catalog.codes()))
    except (ValidationError, JiabaoError, ValueError) as exc:
        if isinstance(exc, ValueError) and not isinstance(exc, ValidationError):
            exc = JiabaoError("Not a date", "日期格式有误", code="bad_date")
        return _portal(request, ctx, _problems(exc), {k: v for k, v in form.items() if k != "password"})
    return RedirectResponse(f"/partner?added={created.id}#team", status_code=303)


def _own_statement_ctx(ctx: ServiceContext) -> int:
    return partners.current(ctx).id


@router.get("/partner/statements/{month}", response_class=HTMLResponse)
def my_statement(request: Request, ctx: PageCtx, month: Month) -> Response:
    st = commissions.statement(ctx, month, _own_statement_ctx(ctx))
    return render(request, "partner_statement.html", ctx.principal, st=st, pdf_url=f"/partner/statements/{month}/pdf")


@router.get("/partner/statements/{month}/pdf")
def my_statement_pdf(ctx: PageCtx, month: Month) -> Response:
    return _pdf(commissions.statement_pdf(ctx, month, _own_statement_ctx(ctx)), f"statement-{month}.pdf")


# --- the staff's commission page --------------------------------------------------------------------------


def _commissions(
    request: Request, ctx: ServiceContext, problems: tuple[FieldProblem, ...] = (), status: int = 422
) -> Response:
    runs = list(
        ctx.session.scalars(
            select(CommissionRun).order_by(CommissionRun.month.desc(), CommissionRun.seq.desc()).limit(60)
        )
    )
    month = request.query_params.get("month") or (runs[0].month if runs else f"{ctx.clock.today():%Y-%m}")
    rows: list[Any] = []
    if len(month) == 7:
        rows = list(
            ctx.session.execute(
                select(Partner.id, Partner.name, Partner.kind, func.sum(CommissionLine.amount))
                .join(CommissionLine, CommissionLine.partner_id == Partner.id)
                .where(CommissionLine.month == month)
                .group_by(Partner.id, Partner.name, Partner.kind)
                .order_by(Partner.id)
            ).all()
        )
    latest = commissions.latest_run(ctx, month) if len(month) == 7 else None
    return render(
        request,
        "commissions.html",
        ctx.principal,
        status_code=status if problems else 200,
        runs=runs,
        month=month,
        rows=rows,
        latest=latest,
        problems=problems,
    )


@router.get("/commissions", response_class=HTMLResponse)
def commissions_page(request: Request, ctx: PageCtx) -> Response:
    _staff(ctx)
    return _commissions(request, ctx)


@router.post("/commissions/run", response_class=HTMLResponse, dependencies=[Csrf])
def run_month(request: Request, ctx: PageCtx, form: FormData) -> Response:
    _staff(ctx)
    month = form.get("month", "")
    try:
        commissions.run_month(ctx, month)
    except JiabaoError as exc:  # a bad month (422), another run of the month in progress (409 run_in_progress)…
        return _commissions(request, ctx, _problems(exc), exc.status)
    return RedirectResponse(f"/commissions?month={month}", status_code=303)


@router.post("/commissions/{month}/approve", response_class=HTMLResponse, dependencies=[Csrf])
def approve_month(request: Request, ctx: PageCtx, month: Month) -> Response:
    _staff(ctx)
    try:
        commissions.approve(ctx, month)
    except JiabaoError as exc:
        return _commissions(request, ctx, _problems(exc), exc.status)
    return RedirectResponse(f"/commissions?month={month}", status_code=303)


@router.get("/commissions/{month}/partners/{partner_id}", response_class=HTMLResponse)
def partner_statement(request: Request, ctx: PageCtx, month: Month, partner_id: Id) -> Response:
    _staff(ctx)
    st = commissions.statement(ctx, month, partner_id)
    url = f"/commissions/{month}/partners/{partner_id}/pdf"
    return render(request, "partner_statement.html", ctx.principal, st=st, pdf_url=url)


@router.get("/commissions/{month}/partners/{partner_id}/pdf")
def partner_statement_pdf(ctx: PageCtx, month: Month, partner_id: Id) -> Response:
    _staff(ctx)
    return _pdf(commissions.statement_pdf(ctx, month, partner_id), f"statement-{month}-{partner_id}.pdf")
