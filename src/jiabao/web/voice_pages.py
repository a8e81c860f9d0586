"""Customer voice pages: filing a complaint and the family's complaint history (customers), the complaint with
its decision form (handlers), the queue, the monthly complaint analysis (page + PDF), the management dashboard
and the annual ESG report PDF."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.errors import problems_from_pydantic
from jiabao.claims import queries as claim_queries
from jiabao.core.auth import Role
from jiabao.core.errors import FieldProblem, JiabaoError, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.reporting.charts import bar_chart
from jiabao.reporting.esg_pdf import esg_report, monthly_pdf
from jiabao.reporting.kpis import annual_report
from jiabao.voice import analysis, early_warning, queries, service
from jiabao.voice.schemas import ComplaintIn, DecisionIn
from jiabao.voice.taxonomy import LABELS_EN, LABELS_ZH, REGION_ZH
from jiabao.web.claim_pages import household_policies
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
REPORT_ROLES = frozenset({Role.SERVICE, Role.RISK, Role.ACTUARY, Role.ADMIN, Role.AUDITOR})
FILERS = frozenset({Role.CUSTOMER, Role.SERVICE, Role.ADMIN})


def _ensure_reports(ctx: ServiceContext) -> None:
    if ctx.principal.role not in REPORT_ROLES:
        raise PermissionDenied()


def _pdf(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Cache-Control": "no-store", "Content-Disposition": f'inline; filename="{name}"'},
    )


def _list_page(
    request: Request,
    ctx: ServiceContext,
    household_id: int,
    problems: tuple[FieldProblem, ...] = (),
    form: dict[str, str] | None = None,
) -> Response:
    household = family.get_overview(ctx, household_id)
    complaints = queries.for_household(ctx, household_id)
    claims = claim_queries.for_household(ctx, household_id)
    policies = list(household_policies(request, ctx, household_id).values())
    return render(
        request,
        "complaint_list.html",
        ctx.principal,
        status_code=422 if problems else 200,
        household=household,
        complaints=complaints,
        claims=claims,
        policies=policies,
        can_file=ctx.principal.role in FILERS,
        problems={p.field: p for p in problems},
        form=form or {},
    )


@router.get("/households/{household_id}/complaints", response_class=HTMLResponse)
def household_complaints(request: Request, ctx: PageCtx, household_id: int) -> Response:
    """The family's complaints (its history) and the form to make one."""
    return _list_page(request, ctx, household_id)


@router.post("/households/{household_id}/complaints", response_class=HTMLResponse, dependencies=[Csrf])
def file_complaint(request: Request, ctx: PageCtx, household_id: int, form: FormData) -> Response:
    values: dict[str, Any] = {"summary": form.get("summary", ""), "delivery": form.get("delivery") or "sms"}
    if form.get("claim_id"):
        values["claim_id"] = form["claim_id"]
    if form.get("policy_id"):
        values["policy_ids"] = [form["policy_id"]]
    if ctx.principal.role is not Role.CUSTOMER and form.get("channel"):
        values["channel"] = form["channel"]
    try:
        complaint = service.file_complaint(ctx, household_id, ComplaintIn.model_validate(values))
    except ValidationError as exc:
        return _list_page(request, ctx, household_id, problems_from_pydantic(list(exc.errors())), form)
    except JiabaoError as exc:
        if not exc.fields:
            raise
        return _list_page(request, ctx, household_id, exc.fields, form)
    return RedirectResponse(f"/complaints/{complaint.id}?filed=1", status_code=303)


def _detail(
    request: Request, ctx: ServiceContext, complaint_id: int, problems: tuple[FieldProblem, ...] = ()
) -> Response:
    complaint = service.load(ctx, complaint_id)
    out = queries.view(ctx, complaint)
    uid = ctx.principal.user_id
    can_decide = (
        out.status in ("received", "in_progress")
        and uid not in complaint.recused
        and uid not in {complaint.subject_user_id, complaint.partner_id}
        and (uid == complaint.handler_id or ctx.principal.role is Role.ADMIN)
    )
    return render(
        request,
        "complaint_detail.html",
        ctx.principal,
        status_code=422 if problems else 200,
        c=out,
        can_decide=can_decide,
        filed=request.query_params.get("filed") == "1",
        decided=request.query_params.get("decided") == "1",
        problems={p.field: p for p in problems},
    )


@router.get("/complaints/{complaint_id}", response_class=HTMLResponse)
def complaint_page(request: Request, ctx: PageCtx, complaint_id: int) -> Response:
    return _detail(request, ctx, complaint_id)


@router.post("/complaints/{complaint_id}/decision", response_class=HTMLResponse, dependencies=[Csrf])
def decide(request: Request, ctx: PageCtx, complaint_id: int, form: FormData) -> Response:
    keys = ("outcome", "facts", "basis", "reasons", "remedy", "root_cause", "action")
    values = {k: form.get(k, "").strip() for k in keys}
    for optional in ("root_cause", "action"):
        if not values[optional]:
            values.pop(optional)
    try:
        service.decide(ctx, complaint_id, DecisionIn.model_validate(values))
    except ValidationError as exc:
        return _detail(request, ctx, complaint_id, problems_from_pydantic(list(exc.errors())))
    return RedirectResponse(f"/complaints/{complaint_id}?decided=1", status_code=303)


@router.get("/complaints/{complaint_id}/letter.pdf")
def letter(ctx: PageCtx, complaint_id: int) -> Response:
    found = service.letter(ctx, complaint_id)
    return _pdf(found.pdf, f"complaint-{complaint_id}-letter.pdf")


@router.get("/complaints-queue", response_class=HTMLResponse)
def complaints_queue(request: Request, ctx: PageCtx) -> Response:
    return render(request, "complaint_queue.html", ctx.principal, rows=queries.queue(ctx))


def _charts(lang: str, summary: dict[str, Any], unit: str = "%") -> tuple[str, str]:
    names = LABELS_ZH if lang == "zh" else LABELS_EN
    regions = REGION_ZH if lang == "zh" else {k: k.capitalize() for k in REGION_ZH}
    cats = sorted(summary["by_category"].items(), key=lambda kv: -kv[1]["count"])
    regs = sorted(summary["by_region"].items(), key=lambda kv: -kv[1]["count"])
    title_c, title_r = (
        ("按投诉类别（占比）", "按地区（占比）") if lang == "zh" else ("By category (share)", "By region (share)")
    )
    return (
        bar_chart([(names.get(k, k), v["share"]) for k, v in cats], title=title_c, unit=unit),
        bar_chart([(regions.get(k, k), v["share"]) for k, v in regs], title=title_r, unit=unit),
    )


def _month(request: Request, ctx: ServiceContext) -> str:
    value = request.query_params.get("month", "")
    if (
        len(value) == 7
        and value[4] == "-"
        and value[:4].isdigit()
        and value[5:].isdigit()
        and 1 <= int(value[5:]) <= 12
    ):
        return value
    return f"{ctx.clock.today():%Y-%m}"


@router.get("/reports/complaints-monthly", response_class=HTMLResponse)
def monthly_report(request: Request, ctx: PageCtx) -> Response:
    """月度投诉分析报告: counts and shares by category and region, the regulator's measures, time to resolution,
    overdue cases, root causes and actions, and the month's warnings."""
    _ensure_reports(ctx)
    month = _month(request, ctx)
    report = analysis.monthly(ctx.session, month)
    lang = ctx.principal.language
    chart_c, chart_r = _charts(lang, {"by_category": report.by_category, "by_region": report.by_region})
    warnings = early_warning.month_warnings(ctx.session, month)
    return render(
        request,
        "complaint_monthly.html",
        ctx.principal,
        r=report,
        chart_c=chart_c,
        chart_r=chart_r,
        warnings=warnings,
        month=month,
    )


@router.get("/reports/complaints-monthly.pdf")
def monthly_report_pdf(request: Request, ctx: PageCtx) -> Response:
    _ensure_reports(ctx)
    month = _month(request, ctx)
    return _pdf(monthly_pdf(ctx.session, month), f"complaints-{month}.pdf")


def _year(request: Request, ctx: ServiceContext) -> int:
    value = request.query_params.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else ctx.clock.today().year


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, ctx: PageCtx) -> Response:
    """The management dashboard: every KPI of the year (the same computation as ``jiabao report kpi``)."""
    _ensure_reports(ctx)
    year = _year(request, ctx)
    report = annual_report(ctx.session, year)
    complaints = report["kpis"]["complaints_total"]
    chart_c, chart_r = _charts(ctx.principal.language, complaints)
    lang = ctx.principal.language
    rates = [
        ((v["name_zh"] if lang == "zh" else v["name_en"]), float(v["value"]))
        for v in report["kpis"].values()
        if v["unit"] == "percent" and v["value"] is not None
    ]
    chart_rates = bar_chart(rates, title="比率类指标" if lang == "zh" else "Rates", unit="%", width=520)
    return render(
        request,
        "dashboard.html",
        ctx.principal,
        report=report,
        year=year,
        chart_c=chart_c,
        chart_r=chart_r,
        chart_rates=chart_rates,
    )


@router.get("/reports/esg.pdf")
def esg_pdf(request: Request, ctx: PageCtx) -> Response:
    _ensure_reports(ctx)
    year = _year(request, ctx)
    return _pdf(esg_report(ctx.session, year), f"esg-{year}.pdf")
