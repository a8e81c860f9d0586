"""Application pages (投保): apply for household members, answer each insured's health questionnaire
(健康告知, reflexive questions appear as conditions are ticked), and see the conclusion (承保结论)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.policies.application import service as applications
from jiabao.policies.application.schemas import ApplicationIn, QuestionnaireIn
from jiabao.products import service as products
from jiabao.underwriting import views
from jiabao.underwriting.engine import AnswerType
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


def _apply_context(request: Request, ctx: ServiceContext, household_id: int) -> dict[str, Any]:
    return {
        "household": family.get_overview(ctx, household_id),
        "catalog": products.list_products(runtime_of(request).products, as_of=ctx.clock.today()),
    }


@router.get("/households/{household_id}/apply", response_class=HTMLResponse)
def apply_page(request: Request, ctx: PageCtx, household_id: int) -> Response:
    return render(
        request, "apply.html", ctx.principal, form={}, problems=[], **_apply_context(request, ctx, household_id)
    )


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
    try:
        data = ApplicationIn.model_validate(_application_in(form))
        created = applications.start(ctx, runtime_of(request).products, household_id, data)
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/applications/{created.id}", status_code=303)
    context = _apply_context(request, ctx, household_id)
    return render(request, "apply.html", ctx.principal, status_code=422, form=form, problems=problems, **context)


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


@router.get("/applications/{application_id}/insureds/{person_id}/questionnaire", response_class=HTMLResponse)
def questionnaire_page(request: Request, ctx: PageCtx, application_id: int, person_id: int) -> Response:
    context = _questionnaire(request, ctx, application_id, person_id)
    return render(request, "questionnaire.html", ctx.principal, form={}, problems={}, reflexive=[], **context)


@router.post(
    "/applications/{application_id}/insureds/{person_id}/reflexive", response_class=HTMLResponse, dependencies=[Csrf]
)
def reflexive_block(request: Request, ctx: PageCtx, application_id: int, person_id: int, form: FormData) -> Response:
    """htmx: the follow-up questions for the conditions ticked so far (追问), keeping answers already typed."""
    context = _questionnaire(request, ctx, application_id, person_id)
    blocks = _reflexive(request, form, context["questionnaire"])
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
    grouped: dict[str, list[FieldProblem]] = {}
    for p in problems:
        grouped.setdefault(p.field, []).append(p)
    return render(
        request,
        "questionnaire.html",
        ctx.principal,
        status_code=422,
        form=form,
        problems=grouped,
        reflexive=blocks,
        **context,
    )


@router.post(
    "/applications/{application_id}/insureds/{person_id}/review", response_class=HTMLResponse, dependencies=[Csrf]
)
def request_review(request: Request, ctx: PageCtx, application_id: int, person_id: int) -> Response:
    """申请人工核保: the customer's right to have a person review an automated conclusion."""
    applications.request_review(ctx, runtime_of(request).products, application_id, person_id)
    return RedirectResponse(f"/applications/{application_id}#insured-{person_id}", status_code=303)
