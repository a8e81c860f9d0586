"""The family application page (家庭投保单): the products and members in one application, one stepped questionnaire
per member (the single application's steps, follow-ups and summary), the terms and 投保须知 of every product to open,
one confirmation and one payment; once paid, the family plan's policies. The advice plan's button opens it."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.advice import service as advice
from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.policies.application import family as family_application
from jiabao.policies.application.confirmation import ConfirmIn
from jiabao.web.application_pages import _answers, _reflexive, first_step, refused_response, step_response
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _context(request: Request, ctx: PageCtx, fa_id: int) -> dict[str, Any]:
    engine = runtime_of(request).products
    current = family_application.view(ctx, engine, fa_id)
    needed = (
        family_application.requirements(ctx, engine, fa_id)
        if current.status == "awaiting_confirmation"
        else {"consents": [], "findings": [], "recordings": []}
    )
    insureds = {i.person_id: i.name for a in current.applications for i in a.insureds if i.covered}
    return {
        "fa": current,
        "documents": family_application.documents(ctx, engine, fa_id) if current.status != "issued" else [],
        "needed": needed,
        "insureds": insureds,
        "idempotency_key": secrets.token_urlsafe(16),
        "yuan_d": lambda d: f"¥{d:,.2f}",
    }


@router.post("/households/{household_id}/protection/family-application", dependencies=[Csrf])
def from_plan(request: Request, ctx: PageCtx, household_id: Id, form: FormData) -> Response:
    """The advice plan's one click: the whole plan becomes one family application."""
    share: Decimal | None = None
    try:
        share = Decimal(form["budget_share"]) if form.get("budget_share") else None
    except InvalidOperation:
        share = None
    if share is not None and not Decimal("0.01") <= share <= Decimal("0.5"):
        share = None
    frequency = "monthly" if form.get("frequency") == "monthly" else "annual"
    fa_id = advice.to_family_application(ctx, runtime_of(request).products, household_id, share, frequency)
    return RedirectResponse(f"/family-applications/{fa_id}", status_code=303)


@router.get("/family-applications/{fa_id}", response_class=HTMLResponse)
def page(request: Request, ctx: PageCtx, fa_id: Id) -> Response:
    return render(
        request, "family_application.html", ctx.principal, form={}, problems=[], **_context(request, ctx, fa_id)
    )


def _questionnaire(request: Request, ctx: PageCtx, fa_id: int, person_id: int) -> dict[str, Any]:
    """The member's one questionnaire (the union of what their products ask), shown in steps like a single
    application's, with the family application's URLs and the products the answers serve."""
    runtime = runtime_of(request)
    first, questionnaire = family_application.questions(
        ctx, runtime.products, runtime.knowledge.get(), fa_id, person_id
    )
    current = family_application.view(ctx, runtime.products, fa_id)
    application = next(a for a in current.applications if a.id == first)
    insured = next(i for i in application.insureds if i.person_id == person_id)
    zh = ctx.principal.language != "en"
    member = next(m for m in current.members if m.person_id == person_id)
    names = {a.product_code: a.product_name_zh if zh else a.product_name_en for a in current.applications}
    return {
        "application": application,
        "insured": insured,
        "questionnaire": questionnaire,
        "q_base": f"/family-applications/{fa_id}/members/{person_id}",
        "q_back": f"/family-applications/{fa_id}",
        "q_back_label": "fa.title",
        "q_products": [names[c] for c in dict.fromkeys(member.products)],
    }


_Q = "/family-applications/{fa_id}/members/{person_id}"


@router.get(_Q + "/questionnaire", response_class=HTMLResponse)
def questionnaire_page(request: Request, ctx: PageCtx, fa_id: Id, person_id: Id) -> Response:
    return first_step(request, ctx, _questionnaire(request, ctx, fa_id, person_id))


@router.post(_Q + "/questionnaire/step", response_class=HTMLResponse, dependencies=[Csrf])
def questionnaire_step(request: Request, ctx: PageCtx, fa_id: Id, person_id: Id, form: FormData) -> Response:
    """One group per step, 否 per list, follow-ups under a ticked condition, a summary before submitting."""
    return step_response(request, ctx, _questionnaire(request, ctx, fa_id, person_id), form)


@router.post(_Q + "/reflexive", response_class=HTMLResponse, dependencies=[Csrf])
def reflexive_block(
    request: Request, ctx: PageCtx, fa_id: Id, person_id: Id, form: FormData, only: str = ""
) -> Response:
    """htmx: the follow-up questions of a condition just ticked, placed right under it."""
    context = _questionnaire(request, ctx, fa_id, person_id)
    blocks = [b for b in _reflexive(request, form, context["questionnaire"]) if not only or b["code"] == only]
    return render(request, "partials/reflexive.html", ctx.principal, form=form, problems={}, reflexive=blocks)


@router.post(_Q + "/questionnaire", response_class=HTMLResponse, dependencies=[Csrf])
def answer(request: Request, ctx: PageCtx, fa_id: Id, person_id: Id, form: FormData) -> Response:
    """Submit from the summary: the one set of answers goes to every product that insures the member."""
    runtime = runtime_of(request)
    context = _questionnaire(request, ctx, fa_id, person_id)
    blocks = _reflexive(request, form, context["questionnaire"])
    problems: tuple[FieldProblem, ...] = ()
    try:
        data = _answers(form, context["questionnaire"], blocks)
        family_application.answer(ctx, runtime.products, runtime.knowledge.get(), fa_id, person_id, data)
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/family-applications/{fa_id}#member-{person_id}", status_code=303)
    ctx.session.rollback()  # an answer another product refused: none of the products keeps this submission
    return refused_response(request, ctx, _questionnaire(request, ctx, fa_id, person_id), form, problems)


def _confirm_in(form: dict[str, str], context: dict[str, Any]) -> dict[str, Any]:
    beneficiaries: dict[str, Any] = {}
    for pid in context["insureds"]:
        name = form.get(f"ben-{pid}-name-0", "").strip()
        if form.get(f"ben-{pid}-mode") == "named" and name:
            share = form.get(f"ben-{pid}-share-0") or "100"
            beneficiaries[str(pid)] = {"legal_heirs": False, "beneficiaries": [{"name": name, "share": share}]}
    return {
        "beneficiaries": beneficiaries,
        "consents": [
            {"person_id": c["person_id"], "kind": c["kind"]}
            for c in context["needed"]["consents"]
            if form.get(f"consent-{c['person_id']}-{c['kind']}") == "on"
        ],
        "confirm_advice": [f["code"] for f in context["needed"]["findings"] if form.get(f"advice-{f['code']}") == "on"],
        "disclosures_acknowledged": form.get("disclosures") == "on",
    }


@router.post("/family-applications/{fa_id}/confirm", response_class=HTMLResponse, dependencies=[Csrf])
def confirm(request: Request, ctx: PageCtx, fa_id: Id, form: FormData) -> Response:
    context = _context(request, ctx, fa_id)
    problems: tuple[FieldProblem, ...] = ()
    try:
        data = ConfirmIn.model_validate(_confirm_in(form, context))
        family_application.confirm(ctx, runtime_of(request).products, fa_id, data)
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/family-applications/{fa_id}#pay", status_code=303)
    ctx.session.rollback()
    return render(
        request, "family_application.html", ctx.principal, status_code=422, form=form, problems=problems,
        **_context(request, ctx, fa_id),
    )  # fmt: skip


@router.post("/family-applications/{fa_id}/pay", response_class=HTMLResponse, dependencies=[Csrf])
def pay(request: Request, ctx: PageCtx, fa_id: Id, form: FormData) -> Response:
    try:
        family_application.pay(
            ctx,
            runtime_of(request).products,
            fa_id,
            idempotency_key=form.get("idempotency_key", ""),
            account=form.get("account", ""),
        )
    except JiabaoError as exc:
        if not exc.fields:
            raise
        ctx.session.rollback()
        return render(
            request, "family_application.html", ctx.principal, status_code=422, form=form, problems=exc.fields,
            **_context(request, ctx, fa_id),
        )  # fmt: skip
    ctx.session.commit()  # release the row locks in this thread (see api/policies.py)
    return RedirectResponse(f"/family-applications/{fa_id}?paid=1", status_code=303)
