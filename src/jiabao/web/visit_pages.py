"""The electronic return visit page (电子回访): request the SMS code, enter it, answer the questions, see the result.

The questions about the brochure and the cover name what the customer actually opened before applying (the
terms and the 投保须知, with the date, as recorded on the policy's application — single or family) and the
exclusions, waiting and cooling-off periods they stated.

Refusals (wrong code, code expired, too many attempts) come back on the page; a refusal that changed the visit
(an attempt counted, the visit sent to a person) is committed first, as in the API.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.api.policy_visits import keep_refusals
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views
from jiabao.policies.common.models import Policy
from jiabao.policies.return_visit import service as visits
from jiabao.policies.rules.return_visit import Answer
from jiabao.products import documents, reading
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
ANSWERS = [a.value for a in Answer]


def _page(
    request: Request,
    ctx: ServiceContext,
    policy_id: int,
    *,
    problems: tuple[FieldProblem, ...] = (),
    sent: bool = False,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    policy = views.view(ctx, runtime_of(request).products, policy_id)
    product = runtime_of(request).products.catalog.get(policy.product_code)
    return render(
        request,
        "return_visit.html",
        ctx.principal,
        status_code=status_code,
        policy=policy,
        sheet=documents.sheet(product) if product else None,
        shown=_shown(ctx, policy_id, policy.household_id, policy.product_code),
        visit=visits.status(ctx, policy_id),
        problems=problems,
        sent=sent,
        form=form or {},
        answers=ANSWERS,
    )


def _shown(ctx: ServiceContext, policy_id: int, household_id: int, code: str) -> dict[str, reading.Opened]:
    """What the customer had opened when applying for this policy — recorded on its own application, whether it
    was applied for alone or in a family application — or, for an application made before that record existed,
    what the household opened of the product."""
    application_id = ctx.session.scalar(select(Policy.application_id).where(Policy.id == policy_id))
    shown = reading.shown_for_application(ctx, application_id) if application_id is not None else {}
    return shown or reading.opened(ctx, household_id=household_id, code=code)


def _problems(ctx: ServiceContext, exc: InvalidInput | Conflict) -> tuple[FieldProblem, ...]:
    """What went wrong, for the page. Nothing else of the refused request is kept (kept refusals committed)."""
    ctx.session.rollback()
    return exc.fields or (FieldProblem("visit", exc.code, exc.message_zh, exc.message_en),)


@router.get("/policies/{policy_id}/return-visit", response_class=HTMLResponse)
def visit_page(request: Request, ctx: PageCtx, policy_id: int, sent: int = 0) -> Response:
    return _page(request, ctx, policy_id, sent=bool(sent))


@router.post("/policies/{policy_id}/return-visit/code", response_class=HTMLResponse, dependencies=[Csrf])
def send_code(request: Request, ctx: PageCtx, policy_id: int) -> Response:
    try:
        with keep_refusals(ctx):
            visits.start(ctx, policy_id)
    except (InvalidInput, Conflict) as exc:
        return _page(request, ctx, policy_id, problems=_problems(ctx, exc), status_code=exc.status)
    return RedirectResponse(f"/policies/{policy_id}/return-visit?sent=1", status_code=303)


@router.post("/policies/{policy_id}/return-visit/verify", response_class=HTMLResponse, dependencies=[Csrf])
def verify(request: Request, ctx: PageCtx, policy_id: int, form: FormData) -> Response:
    try:
        with keep_refusals(ctx):
            visits.verify(ctx, policy_id, form.get("code", ""))
    except (InvalidInput, Conflict) as exc:
        return _page(request, ctx, policy_id, problems=_problems(ctx, exc), status_code=exc.status)
    return RedirectResponse(f"/policies/{policy_id}/return-visit", status_code=303)


@router.post("/policies/{policy_id}/return-visit/answers", response_class=HTMLResponse, dependencies=[Csrf])
def answer(request: Request, ctx: PageCtx, policy_id: int, form: FormData) -> Response:
    chosen = {k.removeprefix("answer-"): v for k, v in form.items() if k.startswith("answer-") and v}
    try:
        data = visits.AnswersIn.model_validate({"answers": chosen})
        with keep_refusals(ctx):
            visits.complete(ctx, policy_id, data.answers)
    except ValidationError as exc:
        ctx.session.rollback()
        problems = problems_from_pydantic(list(exc.errors()))
        return _page(request, ctx, policy_id, problems=problems, form=form, status_code=422)
    except (InvalidInput, Conflict) as exc:
        return _page(request, ctx, policy_id, problems=_problems(ctx, exc), form=form, status_code=exc.status)
    return RedirectResponse(f"/policies/{policy_id}/return-visit", status_code=303)
