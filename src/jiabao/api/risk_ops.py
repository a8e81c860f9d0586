"""/api/v1/risk (风控): figures, the application and claim risk queues, the fraud model, AML cases, scans,
reports and due diligence, and fraud rings. Watch-list screening has its own router."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from jiabao.api.deps import require
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.risk.aml import service as aml
from jiabao.risk.aml.schemas import CaseOut, CddOut, ReportIn, ReportOut, ReviewIn, ScanIn, ScanOut
from jiabao.risk.fraud import service as fraud
from jiabao.risk.fraud.schemas import ApplicationDecisionIn, AssessmentOut, ClaimLabelIn
from jiabao.risk.rings import service as rings

router = APIRouter(prefix="/risk", tags=["risk"])
Officer = Annotated[ServiceContext, Depends(require(Role.RISK, Role.ADMIN))]
Reader = Annotated[ServiceContext, Depends(require(Role.RISK, Role.ADMIN, Role.AUDITOR))]
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Not found"},
    409: {"description": "Already decided, or nothing to do"},
    422: {"description": "Invalid input (field, code, reason)"},
}


@router.get("/figures", operation_id="risk_figures")
def figures(ctx: Reader) -> dict[str, Any]:
    """Screenings, interceptions and the interception rate, claim alerts and outcomes, AML cases and reports
    filed on time."""
    return {"fraud": fraud.figures(ctx), "aml": aml.figures(ctx)}


@router.get("/applications", operation_id="risk_applications")
def applications(
    ctx: Reader,
    status: Literal["open", "passed", "cleared", "intercepted"] = "open",
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[AssessmentOut]:
    return [AssessmentOut.of(r) for r in fraud.queue(ctx, "application", status=status, limit=limit, offset=offset)]


@router.post("/applications/{assessment_id}/decision", operation_id="risk_application_decide", responses=ERRORS)
def decide_application(ctx: Officer, assessment_id: Id, data: ApplicationDecisionIn) -> AssessmentOut:
    return AssessmentOut.of(fraud.decide_application(ctx, assessment_id, clear=data.clear, note=data.note))


@router.get("/claims", operation_id="risk_claims")
def claims(
    ctx: Reader,
    status: Literal["open", "passed", "cleared", "confirmed_fraud"] = "open",
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[AssessmentOut]:
    return [AssessmentOut.of(r) for r in fraud.queue(ctx, "claim", status=status, limit=limit, offset=offset)]


@router.post("/claims/{claim_assessment_id}/label", operation_id="risk_claim_label", responses=ERRORS)
def label_claim(ctx: Officer, claim_assessment_id: Id, data: ClaimLabelIn) -> AssessmentOut:
    """Confirmed fraud or not: the label the model learns from (the claim's payment stays with the adjuster)."""
    return AssessmentOut.of(fraud.decide_claim(ctx, claim_assessment_id, fraud=data.fraud, note=data.note))


@router.get("/fraud-model", operation_id="risk_fraud_model")
def fraud_model(ctx: Reader) -> dict[str, Any]:
    """Labels so far, whether rules or the model decide, and the active model's held-out AUC and calibration."""
    return fraud.model_status(ctx)


@router.post("/fraud-model", operation_id="risk_fraud_model_train", status_code=201, responses=ERRORS)
def train_model(ctx: Officer) -> dict[str, Any]:
    fraud.train(ctx)
    return fraud.model_status(ctx)


@router.get("/aml/cases", operation_id="risk_aml_cases")
def aml_cases(
    ctx: Reader,
    kind: Literal["large_value", "suspicious"] | None = None,
    status: Literal["pending", "open", "to_report", "reported", "dismissed"] | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[CaseOut]:
    today = ctx.clock.today()
    return [CaseOut.of(c, today) for c in aml.cases(ctx, kind=kind, status=status, limit=limit, offset=offset)]


@router.post("/aml/cases/{case_id}/review", operation_id="risk_aml_review", responses=ERRORS)
def aml_review(ctx: Officer, case_id: Id, data: ReviewIn) -> CaseOut:
    """Manual review of a suspicious case: report it, or record why not (the analysis is kept either way)."""
    return CaseOut.of(aml.review(ctx, case_id, report=data.report, analysis=data.analysis), ctx.clock.today())


@router.post("/aml/scan", operation_id="risk_aml_scan", responses=ERRORS)
def aml_scan(ctx: Officer, data: ScanIn) -> ScanOut:
    result = aml.scan(ctx, day_from=data.day_from, day_to=data.day_to)
    return ScanOut(
        transactions=result.transactions, large_value=result.large_value, suspicious=result.suspicious, cdd=result.cdd
    )


@router.get("/aml/reports", operation_id="risk_aml_reports")
def aml_reports(ctx: Reader, limit: Limit = 100, offset: Offset = 0) -> list[ReportOut]:
    return [ReportOut.of(r) for r in aml.reports(ctx, limit=limit, offset=offset)]


@router.post("/aml/reports", operation_id="risk_aml_report_generate", status_code=201, responses=ERRORS)
def aml_generate(ctx: Officer, data: ReportIn) -> ReportOut:
    return ReportOut.of(aml.generate_report(ctx, data.kind))


@router.get(
    "/aml/reports/{report_id}/file",
    operation_id="risk_aml_report_file",
    responses={200: {"content": {"text/csv": {}}}, 404: {"description": "Not found"}},
)
def aml_report_file(ctx: Officer, report_id: Id) -> Response:
    """The report file as filed (format in docs/risk.md); it holds clear identity numbers, so each download is
    audited."""
    name, content = aml.report_file(ctx, report_id)
    return Response(
        content.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get("/aml/cdd", operation_id="risk_aml_cdd")
def aml_cdd(ctx: Reader, status: Literal["required", "completed"] = "required", limit: Limit = 100) -> list[CddOut]:
    return [CddOut.of(r) for r in aml.cdd_list(ctx, status=status, limit=limit)]


@router.post("/aml/cdd/{cdd_id}/complete", operation_id="risk_aml_cdd_complete", responses=ERRORS)
def aml_cdd_complete(ctx: Officer, cdd_id: Id) -> CddOut:
    return CddOut.of(aml.complete_cdd(ctx, cdd_id))


class RingOut(BaseModel):
    rank: int
    households: list[int]
    score: float
    shared: list[dict[str, Any]]
    claims: int
    early_claims: int


@router.get("/rings", operation_id="risk_rings")
def ring_list(ctx: Reader, limit: Limit = 50) -> dict[str, Any]:
    """Rings ranked by score, with what their households share (masked) and the hubs pruned."""
    analysis = rings.analyse(ctx)
    return {
        "households": analysis.households,
        "cross_links": analysis.cross_links,
        "pruned_hubs": [{"kind": k, "label": label, "households": n} for k, label, n in analysis.pruned_hubs],
        "rings": [
            RingOut(
                rank=r.rank,
                households=list(r.households),
                score=r.score,
                shared=[{"kind": k, "label": label, "households": list(hh)} for k, _, label, hh in r.shared],
                claims=r.claims.claims,
                early_claims=r.claims.early_claims,
            ).model_dump()
            for r in analysis.rings[:limit]
        ],
    }
