"""/api/v1 complaints (客户声音) and the management reports (complaints, warnings, KPIs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from jiabao.api.deps import require
from jiabao.core.auth import Role
from jiabao.core.errors import invalid
from jiabao.db.context import ServiceContext
from jiabao.reporting.kpis import annual_report
from jiabao.voice import analysis, early_warning, queries, service
from jiabao.voice.schemas import (
    ActionIn,
    CategoryIn,
    ClockIn,
    ComplaintIn,
    ComplaintOut,
    DecisionIn,
    ReviewDecisionIn,
    ReviewIn,
)
from jiabao.voice.taxonomy import Channel

router = APIRouter(tags=["complaints"])

READERS = (Role.CUSTOMER, Role.UNDERWRITER, Role.CLAIMS, Role.SERVICE, Role.RISK, Role.ADMIN, Role.AUDITOR)
HANDLERS = (Role.SERVICE, Role.CLAIMS, Role.UNDERWRITER, Role.ADMIN)
REPORT_READERS = (Role.SERVICE, Role.RISK, Role.ACTUARY, Role.ADMIN, Role.AUDITOR)
Filer = Annotated[ServiceContext, Depends(require(Role.CUSTOMER, Role.SERVICE, Role.ADMIN))]
Reader = Annotated[ServiceContext, Depends(require(*READERS))]
Handler = Annotated[ServiceContext, Depends(require(*HANDLERS))]
Supervisor = Annotated[ServiceContext, Depends(require(Role.ADMIN))]
Actioner = Annotated[ServiceContext, Depends(require(Role.SERVICE, Role.ADMIN))]
ReportReader = Annotated[ServiceContext, Depends(require(*REPORT_READERS))]
HouseholdId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ComplaintId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not allowed, or recused (art. 17)"},
    404: {"description": "No such complaint or household for this caller"},
    409: {"description": "Not allowed in the complaint's state or by the time limits"},
    422: {"description": "Invalid fields"},
}


@router.post("/households/{household_id}/complaints", operation_id="complaints_file", status_code=201, responses=ERRORS)
def file_complaint(ctx: Filer, household_id: HouseholdId, data: ComplaintIn) -> ComplaintOut:
    """File a complaint (online by the customer; hotline, counter, letter or regulator by staff). It is classified
    (a suggestion), routed with recusal and gets its time limit (15 calendar days)."""
    return queries.view(ctx, service.file_complaint(ctx, household_id, data))


@router.get("/households/{household_id}/complaints", operation_id="complaints_household", responses=ERRORS)
def household_complaints(ctx: Reader, household_id: HouseholdId) -> list[ComplaintOut]:
    """The family's complaints, newest first."""
    return queries.for_household(ctx, household_id)


@router.get("/complaints/{complaint_id}", operation_id="complaints_get", responses=ERRORS)
def get_complaint(ctx: Reader, complaint_id: ComplaintId) -> ComplaintOut:
    return queries.get(ctx, complaint_id)


@router.get("/complaints-queue", operation_id="complaints_queue", responses=ERRORS)
def complaints_queue(ctx: Handler) -> list[ComplaintOut]:
    """Open complaints: major first, then elderly complainants, then the nearest deadline."""
    return queries.queue(ctx)


@router.post("/complaints/{complaint_id}/clock", operation_id="complaints_clock", responses=ERRORS)
def clock(ctx: Handler, complaint_id: ComplaintId, data: ClockIn) -> ComplaintOut:
    """Extend to 30 days, a further 30 with approval, pause for appraisal or mediation, resume, restart."""
    return queries.view(ctx, service.clock(ctx, complaint_id, data))


@router.post("/complaints/{complaint_id}/category", operation_id="complaints_category", responses=ERRORS)
def confirm_category(ctx: Handler, complaint_id: ComplaintId, data: CategoryIn) -> ComplaintOut:
    return queries.view(ctx, service.confirm_category(ctx, complaint_id, data))


@router.post("/complaints/{complaint_id}/decision", operation_id="complaints_decide", responses=ERRORS)
def decide(ctx: Handler, complaint_id: ComplaintId, data: DecisionIn) -> ComplaintOut:
    """The decision with facts, basis, reasons and remedies; the letter (PDF) is sent with proof kept."""
    return queries.view(ctx, service.decide(ctx, complaint_id, data))


@router.get(
    "/complaints/{complaint_id}/letter.pdf",
    operation_id="complaints_letter",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"application/pdf": {}}}},
)
def letter(ctx: Reader, complaint_id: ComplaintId) -> Response:
    found = service.letter(ctx, complaint_id)
    return Response(found.pdf, media_type="application/pdf", headers={"Cache-Control": "no-store"})


@router.post("/complaints/{complaint_id}/review", operation_id="complaints_review", responses=ERRORS)
def request_review(ctx: Filer, complaint_id: ComplaintId, data: ReviewIn) -> ComplaintOut:
    """Ask for a review (核查) within 30 days of the decision."""
    return queries.view(ctx, service.request_review(ctx, complaint_id, data))


@router.post("/complaints/{complaint_id}/review-decision", operation_id="complaints_review_decide", responses=ERRORS)
def decide_review(ctx: Supervisor, complaint_id: ComplaintId, data: ReviewDecisionIn) -> ComplaintOut:
    return queries.view(ctx, service.decide_review(ctx, complaint_id, data))


@router.post("/complaints/{complaint_id}/action", operation_id="complaints_action", responses=ERRORS)
def set_action(ctx: Actioner, complaint_id: ComplaintId, data: ActionIn) -> ComplaintOut:
    """Root cause and corrective action, followed up until done."""
    return queries.view(ctx, service.set_action(ctx, complaint_id, data))


@router.post("/complaints/{complaint_id}/withdraw", operation_id="complaints_withdraw", responses=ERRORS)
def withdraw(ctx: Filer, complaint_id: ComplaintId) -> ComplaintOut:
    return queries.view(ctx, service.withdraw(ctx, complaint_id))


@router.get("/reports/complaints", operation_id="reports_complaints", responses=ERRORS)
def report_complaints(
    ctx: ReportReader,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    channel: Channel | None = None,
) -> dict[str, Any]:
    """The year's complaints by category and region (as ``jiabao report complaints``)."""
    return analysis.annual(ctx.session, year or ctx.clock.today().year, channel.value if channel else None)


@router.get("/reports/complaint-warnings", operation_id="reports_complaint_warnings", responses=ERRORS)
def report_warnings(
    ctx: ReportReader, month: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)] = None
) -> dict[str, Any]:
    month = month or f"{ctx.clock.today():%Y-%m}"
    if not 2000 <= int(month[:4]) <= 2100:
        raise invalid("month", "out_of_range", "月份须在2000年至2100年之间", "The month must be in 2000–2100")
    return {"month": month, "warnings": early_warning.month_warnings(ctx.session, month)}


@router.get("/reports/kpi", operation_id="reports_kpi", responses=ERRORS)
def report_kpi(ctx: ReportReader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict[str, Any]:
    """Every KPI with numerator and denominator (as ``jiabao report kpi``)."""
    return annual_report(ctx.session, year or ctx.clock.today().year)
