"""Servicing pages (保全服务): a policy's requests with their service levels, and the online forms for a
beneficiary change (受益人变更, with the insured's consent) and the policyholder's contact number."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views
from jiabao.policies.servicing import service as servicing
from jiabao.policies.servicing.schemas import REQUEST_ADAPTER
from jiabao.web.claim_pages import grouped_problems
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
ROWS = 3
"""Beneficiary rows offered by the form."""


def _context(request: Request, ctx: ServiceContext, policy_id: int) -> dict[str, Any]:
    policy = views.view(ctx, runtime_of(request).products, policy_id)
    return {
        "policy": policy,
        "insureds": [i for i in policy.insureds if i.status == "active"],
        "requests": list(reversed(servicing.list_requests(ctx, policy_id))),
        "rows": ROWS,
    }


def _page(
    request: Request,
    ctx: ServiceContext,
    policy_id: int,
    *,
    form: dict[str, str] | None = None,
    problems: tuple[FieldProblem, ...] = (),
    which: str = "",
    done: str = "",
) -> Response:
    grouped = grouped_problems(problems)
    return render(
        request,
        "servicing.html",
        ctx.principal,
        status_code=422 if problems else 200,
        form=form or {},
        problems=grouped,
        which=which,
        done=done,
        **_context(request, ctx, policy_id),
    )


@router.get("/policies/{policy_id}/servicing", response_class=HTMLResponse)
def servicing_page(request: Request, ctx: PageCtx, policy_id: int, done: str = "") -> Response:
    return _page(request, ctx, policy_id, done=done if done in ("beneficiary", "contact") else "")


def _beneficiary_body(form: dict[str, str]) -> dict[str, Any]:
    heirs = form.get("mode", "named") == "heirs"
    named = [
        {
            "name": form.get(f"name-{i}", "").strip(),
            "share": form.get(f"share-{i}", "").strip() or None,
            "order": form.get(f"order-{i}", "").strip() or 1,
        }
        for i in range(ROWS)
        if form.get(f"name-{i}", "").strip()
    ]
    return {
        "kind": "beneficiary",
        "insured_person_id": form.get("insured_person_id", ""),
        "legal_heirs": heirs,
        "beneficiaries": [] if heirs else named,
        "insured_consent": form.get("insured_consent") == "on",
    }


def _submit(request: Request, ctx: ServiceContext, policy_id: int, body: dict[str, Any]) -> tuple[FieldProblem, ...]:
    """Carry the request out; the field problems to show beside the form, if any."""
    runtime = runtime_of(request)
    try:
        data = REQUEST_ADAPTER.validate_python(body)
        servicing.submit(ctx, runtime.products, runtime.knowledge.get(), policy_id, data)
    except ValidationError as exc:
        errors = [e | {"loc": tuple(e["loc"])[1:]} for e in exc.errors()]  # drop the union's tag
        return problems_from_pydantic(errors)
    except JiabaoError as exc:
        if not exc.fields:
            raise
        return exc.fields
    return ()


@router.post("/policies/{policy_id}/servicing/beneficiary", response_class=HTMLResponse, dependencies=[Csrf])
def change_beneficiary(request: Request, ctx: PageCtx, policy_id: int, form: FormData) -> Response:
    problems = _submit(request, ctx, policy_id, _beneficiary_body(form))
    if not problems:
        return RedirectResponse(f"/policies/{policy_id}/servicing?done=beneficiary", status_code=303)
    return _page(request, ctx, policy_id, form=form, problems=problems, which="beneficiary")


@router.post("/policies/{policy_id}/servicing/contact", response_class=HTMLResponse, dependencies=[Csrf])
def change_contact(request: Request, ctx: PageCtx, policy_id: int, form: FormData) -> Response:
    problems = _submit(request, ctx, policy_id, {"kind": "contact_details", "phone": form.get("phone", "")})
    if not problems:
        return RedirectResponse(f"/policies/{policy_id}/servicing?done=contact", status_code=303)
    return _page(request, ctx, policy_id, form=form, problems=problems, which="contact")
