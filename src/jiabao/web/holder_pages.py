"""Family-level servicing pages (issue 12 item 4): the family-wide change (address, a mobile or the payment account
on every policy of the family in one request, all or nothing, showing what will change and what is skipped), and
the change of policyholder (变更投保人): the holder's request, the new holder's consent or refusal, for the customer
online and for service staff at the counter (who record the identity check and the customer's confirmation)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.auth import HOUSEHOLD_WRITERS, Role
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.policies.billing import family as family_billing
from jiabao.policies.common import views
from jiabao.policies.rules.servicing import HOLDER_CHANGE_CONSENT_DAYS
from jiabao.policies.rules.suitability import ADULT_AGE
from jiabao.policies.servicing import holder
from jiabao.policies.servicing import service as servicing
from jiabao.policies.servicing.schemas import FamilyChangeIn, FamilyChangeOut, HolderChangeIn, HolderConsentIn
from jiabao.web.claim_pages import grouped_problems
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
STAFF = frozenset({Role.SERVICE, Role.ADMIN})
FAMILY_KINDS = ("address", "contact_details", "payment_account")
FAMILY_ADAPTER: TypeAdapter[Any] = TypeAdapter(FamilyChangeIn)


def _names(request: Request, code: str) -> tuple[str, str]:
    product = runtime_of(request).products.catalog.products.get(code)
    return (product.name_zh, product.name_en) if product is not None else (code, code)


# -- the family-wide change -----------------------------------------------------------------------------------------


def _family_page(
    request: Request,
    ctx: ServiceContext,
    household_id: int,
    *,
    form: dict[str, str] | None = None,
    problems: tuple[FieldProblem, ...] = (),
    result: FamilyChangeOut | None = None,
) -> Response:
    overview = family.get_overview(ctx, household_id)
    preview = servicing.family_preview(ctx, household_id)
    for row in preview:
        row["name_zh"], row["name_en"] = _names(request, str(row["product_code"]))
    holders = sorted({int(str(r["holder_person_id"])) for r in preview if r["changes"]})
    return render(
        request,
        "family_change.html",
        ctx.principal,
        status_code=422 if problems else 200,
        household_id=household_id,
        preview=preview,
        holders=[m for m in overview.members if m.person_id in holders],
        me=ctx.principal.person_id,
        staff=ctx.principal.role in STAFF,
        can_edit=ctx.principal.role in HOUSEHOLD_WRITERS,
        form=form or {"kind": "address"},
        problems=grouped_problems(problems),
        result=result,
        numbers={int(str(r["policy_id"])): str(r["policy_no"]) for r in preview},
    )


@router.get("/households/{household_id}/servicing/family", response_class=HTMLResponse)
def family_page(request: Request, ctx: PageCtx, household_id: int) -> Response:
    return _family_page(request, ctx, household_id)


def _family_body(form: dict[str, str], staff: bool) -> dict[str, Any]:
    kind = form.get("kind", "")
    if kind == "contact_details":
        return {"kind": kind, "phone": form.get("phone", "").strip()}
    if kind == "payment_account":
        return {
            "kind": kind,
            "account": form.get("account", "").strip(),
            "debit_authorised": "debit_authorised" in form,
        }
    body: dict[str, Any] = {"kind": kind, "address": form.get("address", "").strip()}
    if staff:
        body |= {"identity_verified": "identity_verified" in form, "customer_confirmed": "customer_confirmed" in form}
    return body


@router.post("/households/{household_id}/servicing/family", response_class=HTMLResponse, dependencies=[Csrf])
def family_submit(request: Request, ctx: PageCtx, household_id: int, form: FormData) -> Response:
    runtime = runtime_of(request)
    staff = ctx.principal.role in STAFF
    who = form.get("holder", "")
    holder_id = int(who) if form.get("kind") == "contact_details" and who.isdigit() else None
    if holder_id is None and form.get("kind") == "contact_details" and ctx.principal.role is Role.CUSTOMER:
        holder_id = ctx.principal.person_id  # a mobile is a person's: the caller's own by default
    problems: tuple[FieldProblem, ...] = ()
    result: FamilyChangeOut | None = None
    try:
        data = FAMILY_ADAPTER.validate_python(_family_body(form, staff))
        result = servicing.submit_family(ctx, runtime.products, runtime.knowledge.get(), household_id, data,
                                         holder_person_id=holder_id)  # fmt: skip
    except ValidationError as exc:
        problems = problems_from_pydantic([e | {"loc": tuple(e["loc"])[1:]} for e in exc.errors()])
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if problems:
        ctx.session.rollback()
    return _family_page(request, ctx, household_id, form=form, problems=problems, result=result)


# -- the change of policyholder ---------------------------------------------------------------------------------------


def _holder_page(
    request: Request,
    ctx: ServiceContext,
    policy_id: int,
    *,
    form: dict[str, str] | None = None,
    problems: tuple[FieldProblem, ...] = (),
    which: str = "",
    done: str = "",
) -> Response:
    policy = views.view(ctx, runtime_of(request).products, policy_id)
    row, overview = views.load(ctx, policy_id)
    pending = [p for p in holder.pending_for(ctx, row.household_id, ctx.principal.person_id)
               if p["policy_id"] == policy_id]  # fmt: skip
    names = {m.person_id: m.name for m in overview.members + overview.former_members}
    staff = ctx.principal.role in STAFF
    current = row.policyholder_person_id
    return render(
        request,
        "holder_change.html",
        ctx.principal,
        status_code=422 if problems else 200,
        policy=policy,
        holder_name=names.get(current, ""),
        is_holder=ctx.principal.person_id == current,
        candidates=[m for m in overview.members if m.person_id != current and m.age >= ADULT_AGE],
        insureds=[i for i in policy.insureds if i.status == "active" and i.person_id != current],
        pending=pending[0] if pending else None,
        names=names,
        family_account=family_billing.current_account(ctx, row.household_id),
        staff=staff,
        me=ctx.principal.person_id,
        consent_days=HOLDER_CHANGE_CONSENT_DAYS,
        form=form or {},
        problems=grouped_problems(problems),
        which=which,
        done=done,
    )


@router.get("/policies/{policy_id}/servicing/holder", response_class=HTMLResponse)
def holder_page(request: Request, ctx: PageCtx, policy_id: int, done: str = "") -> Response:
    return _holder_page(request, ctx, policy_id, done=done if done in ("asked", "consented", "declined") else "")


def _checks(form: dict[str, str], staff: bool) -> dict[str, Any]:
    if not staff:
        return {}
    return {"identity_verified": "identity_verified" in form, "customer_confirmed": "customer_confirmed" in form}


def _run(request: Request, ctx: ServiceContext, policy_id: int, form: dict[str, str], which: str,
         action: Any) -> Response:  # fmt: skip
    try:
        action()
    except ValidationError as exc:
        problems = problems_from_pydantic([e | {"loc": tuple(e["loc"])} for e in exc.errors()])
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    else:
        done = {"request": "asked", "consent": "consented", "decline": "declined"}[which]
        return RedirectResponse(f"/policies/{policy_id}/servicing/holder?done={done}", status_code=303)
    ctx.session.rollback()
    return _holder_page(request, ctx, policy_id, form=form, problems=problems, which=which)


@router.post("/policies/{policy_id}/servicing/holder", response_class=HTMLResponse, dependencies=[Csrf])
def holder_request(request: Request, ctx: PageCtx, policy_id: int, form: FormData) -> Response:
    staff = ctx.principal.role in STAFF
    body = {
        "new_holder_person_id": form.get("new_holder_person_id", ""),
        "insured_consents": [k.removeprefix("insured-") for k in form if k.startswith("insured-")],
        **_checks(form, staff),
    }
    products = runtime_of(request).products

    def act() -> object:
        return holder.request_change(ctx, products, policy_id, HolderChangeIn.model_validate(body))

    return _run(request, ctx, policy_id, form, "request", act)


@router.post("/policies/{policy_id}/servicing/holder/consent", response_class=HTMLResponse, dependencies=[Csrf])
def holder_consent(request: Request, ctx: PageCtx, policy_id: int, form: FormData) -> Response:
    staff = ctx.principal.role in STAFF
    family_account = form.get("use_family_account") == "on"
    body = {
        "capacity_declared": "capacity_declared" in form,
        "use_family_account": family_account,
        "account": None if family_account else form.get("account", "").strip(),
        "debit_authorised": "debit_authorised" in form,
        **_checks(form, staff),
    }
    products = runtime_of(request).products
    return _run(request, ctx, policy_id, form, "consent",
                lambda: holder.consent(ctx, products, policy_id, HolderConsentIn.model_validate(body)))  # fmt: skip


@router.post("/policies/{policy_id}/servicing/holder/decline", response_class=HTMLResponse, dependencies=[Csrf])
def holder_decline(request: Request, ctx: PageCtx, policy_id: int, form: FormData) -> Response:
    return _run(request, ctx, policy_id, form, "decline", lambda: holder.decline(ctx, policy_id))
