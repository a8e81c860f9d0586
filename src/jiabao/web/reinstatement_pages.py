"""The underwriter's reinstatement review page (复效核保): referred reinstatements with the day silence becomes
consent, and a form to accept or refuse each (SPC Interp. III art. 8). The same service as the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.policies.billing import reinstatement_review
from jiabao.web.claim_pages import grouped_problems
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
PolicyId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _render(
    request: Request,
    ctx: ServiceContext,
    *,
    errors: dict[int, dict[str, list[FieldProblem]]] | None = None,
    kept: dict[int, dict[str, str]] | None = None,
) -> Response:
    return render(
        request,
        "reinstatements.html",
        ctx.principal,
        status_code=422 if errors else 200,
        referrals=reinstatement_review.referrals(ctx),
        errors=errors or {},
        kept=kept or {},
        decided=request.query_params.get("decided"),
    )


@router.get("/reinstatements", response_class=HTMLResponse)
def reinstatements(request: Request, ctx: PageCtx) -> Response:
    return _render(request, ctx)


@router.post("/reinstatements/{policy_id}/decision", response_class=HTMLResponse, dependencies=[Csrf])
def decide(request: Request, ctx: PageCtx, policy_id: PolicyId, form: FormData) -> Response:
    """Accept or refuse; the chosen conclusion and the reason are kept on the form when it is refused."""
    decision, reason = form.get("decision", ""), form.get("reason", "").strip()
    problems: list[FieldProblem] = []
    if decision not in ("accept", "refuse"):
        problems.append(FieldProblem("decision", "required", "请选择结论", "Choose a decision"))
    if not 4 <= len(reason) <= 500 or any(ord(ch) < 32 for ch in reason):
        problems.append(
            FieldProblem("reason", "invalid", "请填写4至500字的理由", "Give a reason of 4 to 500 characters")
        )
    if not problems:
        try:
            reinstatement_review.decide(ctx, policy_id, accept=decision == "accept", reason=reason)
        except JiabaoError as exc:
            if exc.status in (401, 403):
                raise
            problems = list(exc.fields) or [FieldProblem("decision", exc.code, exc.message_zh, exc.message_en)]
    if problems:
        kept = {policy_id: {"decision": decision, "reason": reason}}
        return _render(request, ctx, errors={policy_id: grouped_problems(tuple(problems))}, kept=kept)
    ctx.session.commit()  # the back-premium collection is committed in this thread (the policy row is locked)
    return RedirectResponse(f"/reinstatements?decided={policy_id}", status_code=303)
