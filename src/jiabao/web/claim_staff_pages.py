"""Claims staff pages: the adjuster queue with the engine's reasoning and decisions, and the claims panel."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.errors import problems_from_pydantic
from jiabao.claims import queries, workflow
from jiabao.claims.schemas import AdjusterDecisionIn, ClaimOut
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.web.claim_pages import document_names, grouped_problems, household_policies
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


def _engine_amounts(assessment: dict[str, Any]) -> dict[int, Decimal]:
    """Per policy, what the engine found payable and not yet advanced (the adjuster's default)."""
    amounts: dict[int, Decimal] = {}
    for line in assessment.get("lines", []):
        if not line.get("advance"):
            pid = int(line["policy_id"])
            amounts[pid] = amounts.get(pid, Decimal(0)) + Decimal(line["amount"])
    return amounts


def _render_queue(
    request: Request, ctx: ServiceContext, problems: dict[int, tuple[FieldProblem, ...]] | None = None
) -> Response:
    claims: list[ClaimOut] = queries.queue(ctx)
    cases = []
    for claim in claims:
        reasoning = queries.engine_reasoning(ctx, claim.id)
        assessment = reasoning["assessment"]
        cases.append(
            {
                "claim": claim,
                "assessment": assessment,
                "facts": reasoning["facts"]["claim"],
                "missing": document_names(request, list(assessment.get("missing_documents", []))),
                "amounts": _engine_amounts(assessment),
                "policies": household_policies(request, ctx, claim.household_id),
                "problems": grouped_problems((problems or {}).get(claim.id, ())),
            }
        )
    return render(
        request,
        "claim_queue.html",
        ctx.principal,
        status_code=422 if problems else 200,
        cases=cases,
        advances_due=workflow.due_advances(ctx, ctx.clock.today()),
        decided=request.query_params.get("decided"),
    )


@router.get("/claims-queue", response_class=HTMLResponse)
def claims_queue(request: Request, ctx: PageCtx) -> Response:
    return _render_queue(request, ctx)


def _decision(form: dict[str, str]) -> dict[str, Any]:
    approve = form.get("decision") == "approve"
    amounts: dict[str, str] = {}
    if approve:
        for name, value in form.items():
            if name.startswith("amount-") and value.strip():
                amounts[name.removeprefix("amount-")] = value.strip()
    return {"approve": approve, "amounts": amounts, "reason": form.get("reason", "").strip()}


@router.post("/claims/{claim_id}/decision", response_class=HTMLResponse, dependencies=[Csrf])
def decide(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    """The adjuster's decision beside the engine's: approve with an amount per policy, or decline with a reason."""
    problems: tuple[FieldProblem, ...] = ()
    if form.get("decision") not in ("approve", "decline"):
        problems = (FieldProblem("decision", "required", "请选择结论", "Choose a decision"),)
    else:
        try:
            for value in _decision(form)["amounts"].values():
                Decimal(value)
            queries.decide(ctx, claim_id, AdjusterDecisionIn.model_validate(_decision(form)))
        except InvalidOperation:
            problems = (FieldProblem("amounts", "invalid", "金额格式不正确", "Enter amounts as numbers"),)
        except ValidationError as exc:
            problems = tuple(
                FieldProblem("reason" if p.field == "reason" else "amounts", p.code, p.message_zh, p.message_en)
                for p in problems_from_pydantic(list(exc.errors()))
            )
        except JiabaoError as exc:
            if not exc.fields:
                raise
            problems = exc.fields
    if problems:
        return _render_queue(request, ctx, {claim_id: problems})
    ctx.session.commit()  # the payment instructions are committed in this thread, like the filing
    return RedirectResponse(f"/claims-queue?decided={claim_id}", status_code=303)


@router.get("/claims-panel", response_class=HTMLResponse)
def claims_panel(request: Request, ctx: PageCtx) -> Response:
    return render(request, "claim_panel.html", ctx.principal, panel=queries.panel(ctx))
