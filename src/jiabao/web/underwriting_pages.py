"""The underwriters' referral queue (转人工核保): the case, the answers, the engine's reasoning, the household,
and a decision with a reason (audited)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.family import service as family
from jiabao.policies import applications
from jiabao.policies import referrals as referral_outcomes
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import Conclusion
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


@router.get("/underwriting/referrals", response_class=HTMLResponse)
def queue(request: Request, ctx: PageCtx) -> Response:
    return render(request, "referrals.html", ctx.principal, referrals=uw.open_referrals(ctx))


def _case(request: Request, ctx: PageCtx, referral_id: int, problems: tuple[FieldProblem, ...] = ()) -> Response:
    found, decision = uw.referral(ctx, referral_id)
    application = applications.view(ctx, runtime_of(request).products, found.application_id)
    return render(
        request,
        "referral.html",
        ctx.principal,
        status_code=422 if problems else 200,
        referral=found,
        application=application,
        household=family.get_overview(ctx, application.household_id),
        facts=uw.facts_of(ctx, decision),
        result=uw.result_of(ctx, decision),
        problems=problems,
    )


@router.get("/underwriting/referrals/{referral_id}", response_class=HTMLResponse)
def case(request: Request, ctx: PageCtx, referral_id: int) -> Response:
    return _case(request, ctx, referral_id)


@router.post("/underwriting/referrals/{referral_id}/decision", response_class=HTMLResponse, dependencies=[Csrf])
def decide(request: Request, ctx: PageCtx, referral_id: int, form: FormData) -> Response:
    try:
        conclusion = Conclusion(form.get("conclusion", ""))
        human = uw.resolve(ctx, referral_id, conclusion=conclusion, reason=form.get("reason", ""))
    except (ValueError, ValidationError):
        return _case(
            request, ctx, referral_id, (FieldProblem("conclusion", "invalid", "请选择结论", "Choose a conclusion"),)
        )
    except InvalidInput as exc:
        return _case(request, ctx, referral_id, exc.fields)
    referral_outcomes.apply_human_decision(ctx, runtime_of(request).products, human)
    return RedirectResponse(f"/underwriting/referrals/{referral_id}", status_code=303)
