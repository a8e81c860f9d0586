"""Application pages (投保): apply for household members, answer each insured's health questionnaire
(健康告知, reflexive questions appear as conditions are ticked), and see the conclusion (承保结论)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.policies.application import service as applications
from jiabao.policies.application.schemas import ApplicationIn, QuestionnaireIn
from jiabao.products import reading
from jiabao.products import service as products
from jiabao.underwriting import views
from jiabao.underwriting.engine import AnswerType
from jiabao.web import questionnaire_flow as flow
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


def _apply_context(request: Request, ctx: ServiceContext, household_id: int) -> dict[str, Any]:
    return {
        "household": family.get_overview(ctx, household_id),
        "catalog": products.list_products(runtime_of(request).products, as_of=ctx.clock.today()),
    }


@router.get("/households/{household_id}/apply", response_class=HTMLResponse)
def apply_page(request: Request, ctx: PageCtx, household_id: int) -> Response:
    """The application form; a quote's link fills it (product, members, amounts, terms: issue 11 item 5)."""
    form = {k: v[:40] for k, v in request.query_params.items() if k in _PREFILL or k.startswith(("insured-", "sum-"))}
    context = _apply_context(request, ctx, household_id)
    unread = _unread(request, ctx, household_id, form.get("product_code", ""))
    return render(request, "apply.html", ctx.principal, form=form, problems=[], unread=unread, **context)


_PREFILL = ("product_code", "coverage", "payment_term", "frequency")


def _unread(request: Request, ctx: ServiceContext, household_id: int, code: str) -> list[str]:
    """The product's documents (terms, 投保须知) the household has not opened yet: the application needs both."""
    product = runtime_of(request).products.catalog.get(code)
    if product is None:
        return []
    return reading.missing(ctx, household_id=household_id, code=code, version=product.version)


def _application_in(form: dict[str, str]) -> dict[str, Any]:
    insureds = []
    for key, value in form.items():
        if key.startswith("insured-") and value == "on":
            pid = key.removeprefix("insured-")
            insured = {"person_id": pid, "sum_assured": form.get(f"sum-{pid}", "")}
            if form.get(f"other-{pid}", "").strip():  # death cover elsewhere, declared for a minor
                insured["declared_death_cover"] = form[f"other-{pid}"].strip()
            insureds.append(insured)
    data: dict[str, Any] = {"product_code": form.get("product_code", ""), "insureds": insureds}
    for key in ("coverage", "payment_term", "frequency"):
        if form.get(key, "").strip():
            data[key] = form[key].strip()
    return data


@router.post("/households/{household_id}/apply", response_class=HTMLResponse, dependencies=[Csrf])
def apply(request: Request, ctx: PageCtx, household_id: int, form: FormData) -> Response:
    """Open the application; refusals (limits, members) come back beside the form."""
    problems: tuple[FieldProblem, ...] = ()
    unread = _unread(request, ctx, household_id, form.get("product_code", ""))
    try:
        if unread:
            raise InvalidInput(fields=(FieldProblem("product_code", "documents_not_opened", *_MUST_READ),))
        data = ApplicationIn.model_validate(_application_in(form))
        created = applications.start(ctx, runtime_of(request).products, household_id, data)
        reading.attach_to_application(ctx, application_id=created.id, household_id=household_id, code=data.product_code)
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/applications/{created.id}", status_code=303)
    context = _apply_context(request, ctx, household_id)
    return render(
        request, "apply.html", ctx.principal, status_code=422, form=form, problems=problems, unread=unread, **context
    )


_MUST_READ = (
    "投保前请先打开阅读本产品的《保险条款》和《投保须知》（链接见下方）",
    "Please open the product's terms and application notice first (links below)",
)


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def application_page(request: Request, ctx: PageCtx, application_id: int) -> Response:
    application = applications.view(ctx, runtime_of(request).products, application_id)
    return render(request, "application.html", ctx.principal, application=application)


def _questionnaire(request: Request, ctx: ServiceContext, application_id: int, person_id: int) -> dict[str, Any]:
    runtime = runtime_of(request)
    kb = runtime.knowledge.get()
    _, qctx = applications.questionnaire_context(ctx, runtime.products, application_id, person_id)
    application = applications.view(ctx, runtime.products, application_id)
    insured = next(i for i in application.insureds if i.person_id == person_id)
    return {"application": application, "insured": insured, "questionnaire": views.questionnaire(kb, qctx, person_id)}


def _reflexive(request: Request, form: dict[str, str], questionnaire: views.QuestionnaireOut) -> list[dict[str, Any]]:
    """The reflexive blocks for every condition ticked in the form (in the order of the questions)."""
    kb = runtime_of(request).knowledge.get()
    blocks = []
    for question in questionnaire.questions:
        if question.type is not AnswerType.IMPAIRMENTS:
            continue
        for option in question.options:
            if form.get(f"q-{question.id}-{option.code}") == "on":
                zh, en = views.impairment_name(kb, option.code)
                blocks.append({"code": option.code, "zh": zh, "en": en, "questions": views.reflexive(kb, option.code)})
    return blocks


def _follow_ups(request: Request, codes: list[str]) -> dict[str, list[views.QuestionOut]]:
    kb = runtime_of(request).knowledge.get()
    return {code: views.reflexive(kb, code) for code in codes}


def _render_step(
    request: Request,
    ctx: ServiceContext,
    context: dict[str, Any],
    form: dict[str, str],
    index: int,
    problems: list[FieldProblem] | tuple[FieldProblem, ...] = (),
) -> Response:
    """One step of the questionnaire (or, at index = number of steps, the summary), answers carried along."""
    all_steps = flow.steps(context["questionnaire"])
    kb = runtime_of(request).knowledge.get()
    step = all_steps[index] if index < len(all_steps) else None
    codes = [o.code for s in all_steps for q in s.questions if q.type is AnswerType.IMPAIRMENTS for o in q.options]
    chosen = [c for c in codes if any(form.get(f"q-{q.id}-{c}") == "on" for q in context["questionnaire"].questions)]
    follow_ups = _follow_ups(request, chosen)
    grouped: dict[str, list[FieldProblem]] = {}
    for p in problems:
        grouped.setdefault(p.field, []).append(p)
    lang = "en" if ctx.principal.language == "en" else "zh"
    return render(
        request,
        "questionnaire.html",
        ctx.principal,
        status_code=422 if problems else 200,
        form=form,
        problems=grouped,
        step=step,
        index=index,
        count=len(all_steps),
        keys=[s.key for s in all_steps],
        hidden=flow.carried(form, step),
        follow_ups=follow_ups,
        names={c: views.impairment_name(kb, c) for c in chosen},
        summary=flow.summary(form, all_steps, follow_ups, lang) if step is None else [],
        **context,
    )


@router.get("/applications/{application_id}/insureds/{person_id}/questionnaire", response_class=HTMLResponse)
def questionnaire_page(request: Request, ctx: PageCtx, application_id: int, person_id: int) -> Response:
    context = _questionnaire(request, ctx, application_id, person_id)
    return _render_step(request, ctx, context, {}, 0)


@router.post(
    "/applications/{application_id}/insureds/{person_id}/questionnaire/step",
    response_class=HTMLResponse,
    dependencies=[Csrf],
)
def questionnaire_step(request: Request, ctx: PageCtx, application_id: int, person_id: int, form: FormData) -> Response:
    """Move between steps: forward only when the step is complete (a tick or 否, follow-ups answered)."""
    return step_response(request, ctx, _questionnaire(request, ctx, application_id, person_id), form)


def step_response(request: Request, ctx: ServiceContext, context: dict[str, Any], form: dict[str, str]) -> Response:
    """The next (or previous) step of a questionnaire, or the same one with what keeps the customer on it; shared
    by the single application and the family application (``context`` names the questionnaire and its URLs)."""
    all_steps = flow.steps(context["questionnaire"])
    current = min(max(int(form.get("step", "0")) if form.get("step", "0").isdigit() else 0, 0), len(all_steps))
    go = form.get("go", "next")
    answers = flow.answers_only(form)
    if go == "next" and current < len(all_steps):
        step = all_steps[current]
        problems = flow.step_problems(answers, step, _follow_ups(request, flow.ticked(answers, step)))
        if problems:
            return _render_step(request, ctx, context, answers, current, problems)
    return _render_step(request, ctx, context, answers, flow.target_step(go, current, len(all_steps)))


@router.post(
    "/applications/{application_id}/insureds/{person_id}/reflexive", response_class=HTMLResponse, dependencies=[Csrf]
)
def reflexive_block(
    request: Request, ctx: PageCtx, application_id: int, person_id: int, form: FormData, only: str = ""
) -> Response:
    """htmx: the follow-up questions (追问) for the conditions ticked so far — or, with ``only``, for that one
    condition, placed right under it — keeping answers already typed."""
    context = _questionnaire(request, ctx, application_id, person_id)
    blocks = _reflexive(request, form, context["questionnaire"])
    if only:
        blocks = [b for b in blocks if b["code"] == only]
    return render(request, "partials/reflexive.html", ctx.principal, form=form, problems={}, reflexive=blocks)


def _answers(
    form: dict[str, str], questionnaire: views.QuestionnaireOut, blocks: list[dict[str, Any]]
) -> QuestionnaireIn:
    answers: dict[str, Any] = {}
    for q in questionnaire.questions:
        if q.type in (AnswerType.IMPAIRMENTS, AnswerType.MULTI_CHOICE):
            answers[q.id] = [o.code for o in q.options if form.get(f"q-{q.id}-{o.code}") == "on"]
        else:
            answers[q.id] = form.get(f"q-{q.id}", "").strip() or None
    reflexive = {
        b["code"]: {rq.id: form.get(f"r-{b['code']}-{rq.id}", "").strip() or None for rq in b["questions"]}
        for b in blocks
    }
    return QuestionnaireIn(answers=answers, reflexive=reflexive)


@router.post(
    "/applications/{application_id}/insureds/{person_id}/questionnaire",
    response_class=HTMLResponse,
    dependencies=[Csrf],
)
def submit_questionnaire(
    request: Request, ctx: PageCtx, application_id: int, person_id: int, form: FormData
) -> Response:
    """Submit from the summary; a problem the engine finds brings the customer back to the step it is about."""
    runtime = runtime_of(request)
    context = _questionnaire(request, ctx, application_id, person_id)
    blocks = _reflexive(request, form, context["questionnaire"])
    problems: tuple[FieldProblem, ...] = ()
    try:
        data = _answers(form, context["questionnaire"], blocks)
        applications.submit_questionnaire(
            ctx, runtime.products, runtime.knowledge.get(), application_id, person_id, data
        )
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/applications/{application_id}#insured-{person_id}", status_code=303)
    return refused_response(request, ctx, context, form, problems)


def refused_response(
    request: Request,
    ctx: ServiceContext,
    context: dict[str, Any],
    form: dict[str, str],
    problems: tuple[FieldProblem, ...],
) -> Response:
    """A submission the engine refused: back to the step the first problem is about, answers kept."""
    all_steps = flow.steps(context["questionnaire"])
    found = [i for p in problems if (i := flow.step_of_problem(all_steps, p.field)) is not None]
    return _render_step(request, ctx, context, flow.answers_only(form), min(found, default=len(all_steps)), problems)


def first_step(request: Request, ctx: ServiceContext, context: dict[str, Any]) -> Response:
    return _render_step(request, ctx, context, {}, 0)


@router.post(
    "/applications/{application_id}/insureds/{person_id}/review", response_class=HTMLResponse, dependencies=[Csrf]
)
def request_review(request: Request, ctx: PageCtx, application_id: int, person_id: int) -> Response:
    """申请人工核保: the customer's right to have a person review an automated conclusion."""
    applications.request_review(ctx, runtime_of(request).products, application_id, person_id)
    return RedirectResponse(f"/applications/{application_id}#insured-{person_id}", status_code=303)
