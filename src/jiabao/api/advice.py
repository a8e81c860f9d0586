"""/api/v1 family risk assessment, recommendations and dynamic adjustment (家庭风险评估、智能推荐、动态调整)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from jiabao.advice import service
from jiabao.advice.access import ADVICE_ROLES
from jiabao.advice.schemas import (
    AdviceEventIn,
    AssessmentOut,
    BudgetShare,
    FactsIn,
    FactsOut,
    PlanOut,
    ReassessOut,
    SnapshotOut,
)
from jiabao.api.deps import require, runtime_of
from jiabao.db.context import ServiceContext

router = APIRouter(tags=["advice"])
Adviser = Annotated[ServiceContext, Depends(require(*ADVICE_ROLES))]
HouseholdId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Your role may not see a household's finances"},
    404: {"description": "Household not found (or not yours)"},
    422: {"description": "Invalid input, with the field and the reason in Chinese and English"},
}


@router.get("/households/{household_id}/advice/facts", operation_id="advice_facts_get", responses=ERRORS)
def get_facts(ctx: Adviser, household_id: HouseholdId) -> FactsOut:
    """The declared financial facts (incomes, debts, assets, education plans, cover elsewhere). Audited."""
    return service.get_facts(ctx, household_id)


@router.put("/households/{household_id}/advice/facts", operation_id="advice_facts_put", responses=ERRORS)
def put_facts(request: Request, ctx: Adviser, household_id: HouseholdId, data: FactsIn) -> FactsOut:
    """Declare or replace the facts (stored encrypted); the gap is re-assessed at once."""
    return service.save_facts(ctx, runtime_of(request).products, household_id, data)


@router.get("/households/{household_id}/advice/assessment", operation_id="advice_assessment", responses=ERRORS)
def assessment(request: Request, ctx: Adviser, household_id: HouseholdId) -> AssessmentOut:
    """家庭风险评估: need, cover and gap per member and kind; the protection score and its reasons."""
    return service.assessment(ctx, runtime_of(request).products, household_id)


@router.get("/households/{household_id}/advice/plan", operation_id="advice_plan", responses=ERRORS)
def plan(
    request: Request,
    ctx: Adviser,
    household_id: HouseholdId,
    budget_share: Annotated[BudgetShare | None, Query()] = None,
) -> PlanOut:
    """智能推荐: the plan closing the largest gaps first within the budget (default 10% of household income)."""
    share = Decimal(budget_share) if budget_share is not None else None
    return service.plan(ctx, runtime_of(request).products, household_id, share)


@router.post(
    "/households/{household_id}/advice/reassess", operation_id="advice_reassess", status_code=201, responses=ERRORS
)
def reassess(request: Request, ctx: Adviser, household_id: HouseholdId) -> ReassessOut:
    """Re-compute now and store a score snapshot (a message is queued if a gap widened)."""
    return service.reassess(ctx, runtime_of(request).products, household_id, "manual")


@router.post("/households/{household_id}/advice/events", operation_id="advice_event", status_code=201, responses=ERRORS)
def event(request: Request, ctx: Adviser, household_id: HouseholdId, data: AdviceEventIn) -> ReassessOut:
    """A life event (marriage, birth, a child leaving home, retirement, death), then an immediate re-assessment."""
    return service.record_event(ctx, runtime_of(request).products, household_id, data)


@router.get("/households/{household_id}/advice/history", operation_id="advice_history", responses=ERRORS)
def history(
    ctx: Adviser, household_id: HouseholdId, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[SnapshotOut]:
    """The protection score over time (oldest first)."""
    return service.history(ctx, household_id, limit)
