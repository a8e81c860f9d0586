"""/api/v1 personal-information rights (PIPL arts. 44-47): download, consents, deletion requests."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jiabao.api.deps import require, runtime_of
from jiabao.claims import queries as claim_queries
from jiabao.core.auth import HOUSEHOLD_READERS, Role
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views as policy_views
from jiabao.security import privacy
from jiabao.security.privacy import ConsentIn, ConsentOut, DeletionIn, DeletionOut

router = APIRouter(tags=["privacy"])
Customer = Annotated[ServiceContext, Depends(require(Role.CUSTOMER))]
Anyone = Annotated[ServiceContext, Depends(require(*HOUSEHOLD_READERS, Role.ACTUARY))]


@router.get(
    "/households/{household_id}/personal-data",
    operation_id="privacy_export",
    responses={200: {"content": {"application/json": {}}, "description": "The household's data as JSON"}},
)
def export(request: Request, ctx: Customer, household_id: int) -> Response:
    """Download everything the platform holds about the household's members (PIPL art. 45), as one JSON file."""
    engine = runtime_of(request).products
    extra = {
        "policies": [p.model_dump(mode="json") for p in policy_views.for_household(ctx, engine, household_id)],
        "claims": [c.model_dump(mode="json") for c in claim_queries.for_household(ctx, household_id)],
    }
    document = privacy.export(ctx, household_id, extra)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=1),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="jiabao-household-{household_id}.json"'},
    )


@router.get("/privacy/consents", operation_id="privacy_consents")
def consents(ctx: Anyone) -> list[ConsentOut]:
    """The optional consents and what withdrawing each one means."""
    return privacy.consents_for(ctx)


@router.post("/persons/{person_id}/consents/withdraw", operation_id="privacy_consent_withdraw")
def withdraw(ctx: Customer, person_id: int, data: ConsentIn) -> ConsentOut:
    """Withdraw an optional consent (PIPL art. 15); the answer repeats its consequences."""
    return privacy.withdraw_consent(ctx, person_id, data)


@router.post("/households/{household_id}/deletion-requests", operation_id="privacy_deletion", status_code=202)
def deletion(ctx: Customer, household_id: int, data: DeletionIn) -> DeletionOut:
    """Ask for deletion (PIPL art. 47): what is anonymised, what the law requires keeping, and by when."""
    return privacy.request_deletion(ctx, household_id, data)
