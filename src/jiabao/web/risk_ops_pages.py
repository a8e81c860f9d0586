"""Risk control pages (风控) for the ``risk`` role: the home with its figures, the application and claim risk
queues, AML cases, reports and due diligence, and the ring explorer with its picture. Watch-list screening
review lives at ``/risk/screening`` (its own module)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from jiabao.api.errors import problems_from_pydantic
from jiabao.core.auth import Role
from jiabao.core.errors import FieldProblem, JiabaoError, PermissionDenied
from jiabao.db.context import ServiceContext
from jiabao.risk.aml import service as aml
from jiabao.risk.aml.schemas import CaseOut, ReviewIn, ScanIn
from jiabao.risk.fraud import service as fraud
from jiabao.risk.fraud.schemas import ApplicationDecisionIn, AssessmentOut, ClaimLabelIn
from jiabao.risk.rings import service as rings
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
READERS = (Role.RISK, Role.ADMIN, Role.AUDITOR)
OFFICERS = (Role.RISK, Role.ADMIN)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _allow(ctx: ServiceContext, roles: tuple[Role, ...]) -> None:
    if ctx.principal.role not in roles:
        raise PermissionDenied("Only risk staff", "仅风控人员可访问")


def _problems(exc: Exception) -> tuple[FieldProblem, ...]:
    if isinstance(exc, ValidationError):
        return problems_from_pydantic(list(exc.errors()))
    if isinstance(exc, JiabaoError):
        return exc.fields or (FieldProblem("", exc.code, exc.message_zh, exc.message_en),)
    raise exc


def _chosen(form: Mapping[str, str], yes: str, no: str) -> bool:
    """The officer's choice between two decisions (``True`` for ``yes``); neither chosen is a field problem."""
    decision = form.get("decision")
    if decision not in (yes, no):
        raise JiabaoError(code="decision_required", message_zh="请选择处理结果", message_en="Choose a decision")
    return decision == yes


@router.get("/risk", response_class=HTMLResponse)
def home(request: Request, ctx: PageCtx) -> Response:
    _allow(ctx, READERS)
    return render(
        request,
        "risk_home.html",
        ctx.principal,
        fraud=fraud.figures(ctx),
        aml=aml.figures(ctx),
        model=fraud.model_status(ctx),
    )


# --- applications -----------------------------------------------------------------------------------------


def _applications(request: Request, ctx: ServiceContext, problems: tuple[FieldProblem, ...] = ()) -> Response:
    rows = [AssessmentOut.of(r) for r in fraud.queue(ctx, "application")]
    return render(
        request,
        "risk_applications.html",
        ctx.principal,
        status_code=422 if problems else 200,
        rows=rows,
        problems=problems,
        decided=request.query_params.get("decided"),
    )


@router.get("/risk/applications", response_class=HTMLResponse)
def applications(request: Request, ctx: PageCtx) -> Response:
    _allow(ctx, READERS)
    return _applications(request, ctx)


@router.post("/risk/applications/{assessment_id}/decision", response_class=HTMLResponse, dependencies=[Csrf])
def decide_application(request: Request, ctx: PageCtx, assessment_id: Id, form: FormData) -> Response:
    _allow(ctx, OFFICERS)
    try:
        data = ApplicationDecisionIn(clear=form.get("decision") == "clear", note=form.get("note", ""))
        _chosen(form, "clear", "intercept")
        fraud.decide_application(ctx, assessment_id, clear=data.clear, note=data.note)
    except (ValidationError, JiabaoError) as exc:
        return _applications(request, ctx, _problems(exc))
    return RedirectResponse(f"/risk/applications?decided={assessment_id}", status_code=303)


# --- claims -------------------------------------------------------------------------------------------------


def _claims(request: Request, ctx: ServiceContext, problems: tuple[FieldProblem, ...] = ()) -> Response:
    rows = [AssessmentOut.of(r) for r in fraud.queue(ctx, "claim")]
    return render(
        request,
        "risk_claims.html",
        ctx.principal,
        status_code=422 if problems else 200,
        rows=rows,
        model=fraud.model_status(ctx),
        problems=problems,
        decided=request.query_params.get("decided"),
    )


@router.get("/risk/claims", response_class=HTMLResponse)
def claims(request: Request, ctx: PageCtx) -> Response:
    _allow(ctx, READERS)
    return _claims(request, ctx)


@router.post("/risk/claims/{assessment_id}/label", response_class=HTMLResponse, dependencies=[Csrf])
def label_claim(request: Request, ctx: PageCtx, assessment_id: Id, form: FormData) -> Response:
    _allow(ctx, OFFICERS)
    try:
        data = ClaimLabelIn(fraud=_chosen(form, "fraud", "not_fraud"), note=form.get("note", ""))
        fraud.decide_claim(ctx, assessment_id, fraud=data.fraud, note=data.note)
    except (ValidationError, JiabaoError) as exc:
        return _claims(request, ctx, _problems(exc))
    return RedirectResponse(f"/risk/claims?decided={assessment_id}", status_code=303)


@router.post("/risk/fraud-model", response_class=HTMLResponse, dependencies=[Csrf])
def train(request: Request, ctx: PageCtx) -> Response:
    _allow(ctx, OFFICERS)
    try:
        fraud.train(ctx)
    except JiabaoError as exc:
        return _claims(request, ctx, _problems(exc))
    return RedirectResponse("/risk/claims", status_code=303)


# --- AML ----------------------------------------------------------------------------------------------------


def _aml(request: Request, ctx: ServiceContext, problems: tuple[FieldProblem, ...] = ()) -> Response:
    today = ctx.clock.today()
    large = [CaseOut.of(c, today) for c in aml.cases(ctx, kind="large_value", status="pending")]
    review = [CaseOut.of(c, today) for c in aml.cases(ctx, kind="suspicious", status="open")]
    waiting = [CaseOut.of(c, today) for c in aml.cases(ctx, kind="suspicious", status="to_report")]
    cdd = aml.cdd_list(ctx)
    names = aml.person_labels(ctx, {c.person_id for c in large + review + waiting} | {c.person_id for c in cdd})
    return render(
        request,
        "risk_aml.html",
        ctx.principal,
        status_code=422 if problems else 200,
        large=large,
        review=review,
        waiting=waiting,
        cdd=cdd,
        names=names,
        reports=aml.reports(ctx, limit=20),
        figures=aml.figures(ctx),
        problems=problems,
        scan_from=(today - timedelta(days=7)).isoformat(),
        scan_to=today.isoformat(),
        done=request.query_params.get("done"),
    )


@router.get("/risk/aml", response_class=HTMLResponse)
def aml_page(request: Request, ctx: PageCtx) -> Response:
    _allow(ctx, READERS)
    return _aml(request, ctx)


@router.post("/risk/aml/cases/{case_id}/review", response_class=HTMLResponse, dependencies=[Csrf])
def review_case(request: Request, ctx: PageCtx, case_id: Id, form: FormData) -> Response:
    _allow(ctx, OFFICERS)
    try:
        data = ReviewIn(report=_chosen(form, "report", "dismiss"), analysis=form.get("analysis", ""))
        aml.review(ctx, case_id, report=data.report, analysis=data.analysis)
    except (ValidationError, JiabaoError) as exc:
        return _aml(request, ctx, _problems(exc))
    return RedirectResponse("/risk/aml?done=review", status_code=303)


@router.post("/risk/aml/scan", response_class=HTMLResponse, dependencies=[Csrf])
def scan(request: Request, ctx: PageCtx, form: FormData) -> Response:
    _allow(ctx, OFFICERS)
    try:
        data = ScanIn(
            day_from=date.fromisoformat(form.get("day_from", "")), day_to=date.fromisoformat(form.get("day_to", ""))
        )
        aml.scan(ctx, day_from=data.day_from, day_to=data.day_to)
    except ValueError:
        return _aml(
            request, ctx, (FieldProblem("day_from", "invalid_date", "日期格式不正确", "Enter dates as YYYY-MM-DD"),)
        )
    except JiabaoError as exc:
        return _aml(request, ctx, _problems(exc))
    return RedirectResponse("/risk/aml?done=scan", status_code=303)


@router.post("/risk/aml/reports", response_class=HTMLResponse, dependencies=[Csrf])
def generate(request: Request, ctx: PageCtx, form: FormData) -> Response:
    _allow(ctx, OFFICERS)
    try:
        aml.generate_report(ctx, form.get("kind", ""))
    except JiabaoError as exc:
        return _aml(request, ctx, _problems(exc))
    return RedirectResponse("/risk/aml?done=report", status_code=303)


@router.get("/risk/aml/reports/{report_id}/file")
def report_file(ctx: PageCtx, report_id: Id) -> Response:
    _allow(ctx, OFFICERS)
    name, content = aml.report_file(ctx, report_id)
    return Response(
        content.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.post("/risk/aml/cdd/{cdd_id}/complete", response_class=HTMLResponse, dependencies=[Csrf])
def complete_cdd(request: Request, ctx: PageCtx, cdd_id: Id) -> Response:
    _allow(ctx, OFFICERS)
    try:
        aml.complete_cdd(ctx, cdd_id)
    except JiabaoError as exc:
        return _aml(request, ctx, _problems(exc))
    return RedirectResponse("/risk/aml?done=cdd", status_code=303)


# --- rings --------------------------------------------------------------------------------------------------


@router.get("/risk/rings", response_class=HTMLResponse)
def ring_list(request: Request, ctx: PageCtx) -> Response:
    _allow(ctx, READERS)
    analysis = rings.analyse(ctx)
    return render(request, "risk_rings.html", ctx.principal, analysis=analysis, rings=analysis.rings[:100])


@router.get("/risk/rings/{rank}", response_class=HTMLResponse)
def ring_page(request: Request, ctx: PageCtx, rank: Annotated[int, Path(ge=1, le=100_000)]) -> Response:
    _allow(ctx, READERS)
    found, picture = rings.ring(ctx, rank)
    context: dict[str, Any] = {"ring": found, "picture": Markup(picture)}  # noqa: S704 - built by svg.render, every label escaped
    return render(request, "risk_ring.html", ctx.principal, **context)
