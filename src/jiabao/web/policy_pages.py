"""Confirm-and-pay pages (投保确认、缴费) and the policy page (保单详情, electronic policy PDF)."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.policies.application import service as applications
from jiabao.policies.application.confirmation import ConfirmIn
from jiabao.policies.common import views
from jiabao.policies.issuance import service as issuance
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


def _confirm_context(request: Request, ctx: ServiceContext, application_id: int) -> dict[str, Any]:
    engine = runtime_of(request).products
    return {
        "application": applications.view(ctx, engine, application_id),
        "needed": applications.requirements(ctx, engine, application_id),
    }


@router.get("/applications/{application_id}/confirm", response_class=HTMLResponse)
def confirm_page(request: Request, ctx: PageCtx, application_id: int) -> Response:
    return render(
        request, "confirm.html", ctx.principal, form={}, problems=[], **_confirm_context(request, ctx, application_id)
    )


def _confirm_in(form: dict[str, str], context: dict[str, Any]) -> dict[str, Any]:
    beneficiaries: dict[str, Any] = {}
    for insured in context["application"].insureds:
        pid = insured.person_id
        if form.get(f"ben-{pid}-mode") == "named":
            named = [
                {"name": form.get(f"ben-{pid}-name-{i}", "").strip(), "share": form.get(f"ben-{pid}-share-{i}") or None}
                for i in range(2)
                if form.get(f"ben-{pid}-name-{i}", "").strip()
            ]
            beneficiaries[str(pid)] = {"legal_heirs": False, "beneficiaries": named}
    consents = [
        {"person_id": c["person_id"], "kind": c["kind"]}
        for c in context["needed"]["consents"]
        if form.get(f"consent-{c['person_id']}-{c['kind']}") == "on"
    ]
    advice = [f["code"] for f in context["needed"]["findings"] if form.get(f"advice-{f['code']}") == "on"]
    return {
        "beneficiaries": beneficiaries,
        "consents": consents,
        "confirm_advice": advice,
        "disclosures_acknowledged": form.get("disclosures") == "on",
    }


@router.post("/applications/{application_id}/confirm", response_class=HTMLResponse, dependencies=[Csrf])
def confirm(request: Request, ctx: PageCtx, application_id: int, form: FormData) -> Response:
    context = _confirm_context(request, ctx, application_id)
    problems: tuple[FieldProblem, ...] = ()
    try:
        applications.confirm(
            ctx, runtime_of(request).products, application_id, ConfirmIn.model_validate(_confirm_in(form, context))
        )
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/applications/{application_id}/pay", status_code=303)
    return render(request, "confirm.html", ctx.principal, status_code=422, form=form, problems=problems, **context)


@router.get("/applications/{application_id}/pay", response_class=HTMLResponse)
def pay_page(request: Request, ctx: PageCtx, application_id: int) -> Response:
    application = applications.view(ctx, runtime_of(request).products, application_id)
    # One key per rendered form: a double click or a resubmitted form pays once.
    return render(
        request,
        "pay.html",
        ctx.principal,
        application=application,
        problems=[],
        idempotency_key=secrets.token_urlsafe(16),
    )


@router.post("/applications/{application_id}/pay", response_class=HTMLResponse, dependencies=[Csrf])
def pay(request: Request, ctx: PageCtx, application_id: int, form: FormData) -> Response:
    engine = runtime_of(request).products
    key = form.get("idempotency_key", "")
    try:
        result = issuance.pay_first_premium(
            ctx, engine, application_id, idempotency_key=key, account=form.get("account", "")
        )
    except JiabaoError as exc:
        if not exc.fields:
            raise
        application = applications.view(ctx, engine, application_id)
        return render(
            request,
            "pay.html",
            ctx.principal,
            status_code=422,
            application=application,
            problems=exc.fields,
            idempotency_key=key,
        )
    ctx.session.commit()  # release the application's row lock in this thread (see api/policies.py)
    return RedirectResponse(f"/policies/{result.policy_id}?paid=1", status_code=303)


@router.get("/policies/{policy_id}", response_class=HTMLResponse)
def policy_page(request: Request, ctx: PageCtx, policy_id: int, paid: int = 0) -> Response:
    policy = views.view(ctx, runtime_of(request).products, policy_id)
    return render(request, "policy.html", ctx.principal, policy=policy, paid=bool(paid))


@router.get("/policies/{policy_id}/policy.pdf")
def policy_pdf(request: Request, ctx: PageCtx, policy_id: int) -> Response:
    language = "en" if ctx.principal.language == "en" else "zh"
    pdf = views.document(ctx, runtime_of(request).products, policy_id, language=language)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="policy-{policy_id}.pdf"'}
    )
