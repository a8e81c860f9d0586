"""The underwriters' referral queue (转人工核保): the case, the answers, the engine's reasoning, the household,
and a decision with a reason (audited)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiabao.api.deps import runtime_of
from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.family import service as family
from jiabao.policies.application import referrals as referral_outcomes
from jiabao.policies.application import service as applications
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import Conclusion
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


@router.get("/underwriting/referrals", response_class=HTMLResponse)
def queue(request: Request, ctx: PageCtx) -> Response:
    return render(request, "referrals.html", ctx.principal, referrals=uw.open_referrals(ctx))


def _case(
    request: Request,
    ctx: PageCtx,
    referral_id: int,
    problems: tuple[FieldProblem, ...] = (),
    form: dict[str, str] | None = None,
) -> Response:
    found, decision = uw.referral(ctx, referral_id)
    application = applications.view(ctx, runtime_of(request).products, found.application_id)
    kb = runtime_of(request).knowledge.get()
    facts = uw.facts_of(ctx, decision)
    zh, en = uw.disclosed_conditions(kb, facts)
    return render(
        request,
        "referral.html",
        ctx.principal,
        status_code=422 if problems else 200,
        referral=found,
        application=application,
        household=family.get_overview(ctx, application.household_id),
        facts=facts,
        result=uw.result_of(ctx, decision),
        problems=problems,
        form=form or {},
        lines=uw.case_lines(ctx, decision),
        conclusions=[c.value for c in uw.HUMAN_CONCLUSIONS],
        exclusion_choices=uw.exclusion_choices(kb, zh, en),
    )


@router.get("/underwriting/referrals/{referral_id}", response_class=HTMLResponse)
def case(request: Request, ctx: PageCtx, referral_id: int) -> Response:
    return _case(request, ctx, referral_id)


def _extra(form: dict[str, str]) -> tuple[dict[str, int], list[FieldProblem]]:
    extra, problems = {}, []
    for key, value in form.items():
        if key.startswith("extra-") and value.strip():
            line = key.removeprefix("extra-")
            try:
                extra[line] = int(value.strip())
            except ValueError:
                problems.append(
                    FieldProblem(f"extra_premium_percent.{line}", "not_integer", "请填写整数", "Enter a whole number")
                )
    return extra, problems


@router.post("/underwriting/referrals/{referral_id}/decision", response_class=HTMLResponse, dependencies=[Csrf])
def decide(request: Request, ctx: PageCtx, referral_id: int, form: FormData) -> Response:
    """The decision with its terms; on any problem the form comes back with every choice kept."""
    extra, problems = _extra(form)
    exclusions = [k.removeprefix("exclusion-") for k, v in form.items() if k.startswith("exclusion-") and v == "on"]
    try:
        conclusion = Conclusion(form.get("conclusion", ""))
    except ValueError:
        problems.append(FieldProblem("conclusion", "invalid", "请选择结论", "Choose a conclusion"))
    if problems:
        return _case(request, ctx, referral_id, tuple(problems), form)
    try:
        human = uw.resolve(
            ctx,
            runtime_of(request).knowledge.get(),
            referral_id,
            conclusion=conclusion,
            reason=form.get("reason", ""),
            extra_premium_percent=extra,
            exclusions=exclusions,
        )
    except InvalidInput as exc:
        return _case(request, ctx, referral_id, exc.fields, form)
    referral_outcomes.apply_human_decision(ctx, runtime_of(request).products, human)
    return RedirectResponse(f"/underwriting/referrals/{referral_id}", status_code=303)
