"""证件号码更正 pages (issue 17): the customer (online) or service staff at the counter (identity check and the
customer's confirmation recorded) file the corrected number with an uploaded evidence document; service staff
other than who accepted it review the queue and approve or refuse with a reason. The same services as the API
(``policies.servicing.id_correction``); whether a number belongs to someone else is never shown to a customer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.claims import evidence
from jiabao.core.auth import Role
from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views
from jiabao.policies.servicing import id_correction
from jiabao.policies.servicing import service as servicing
from jiabao.policies.servicing.schemas import IdCorrectionDecisionIn, IdNumberCorrectionIn
from jiabao.web.claim_pages import FormFiles, grouped_problems
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
STAFF = frozenset({Role.SERVICE, Role.ADMIN})
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


_LABELS = {
    "person_id": ("证件号码需更正的人", "the person"),
    "id_number": ("正确的证件号码", "the correct ID number"),
    "reason": ("审核意见", "the reason"),
}


def _problems(exc: ValidationError) -> tuple[FieldProblem, ...]:
    """Form problems in words (no field path on a Chinese page)."""
    out = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "id_number"
        zh, en = _LABELS.get(field, ("该项", "this field"))
        out.append(FieldProblem(field, err["type"], f"请正确填写{zh}", f"Please fill in {en} correctly"))
    return tuple(out)


def _parties(ctx: ServiceContext, policy_id: int) -> list[dict[str, Any]]:
    """The policyholder and the insureds in cover, with their masked numbers (the people one may correct)."""
    policy, overview = views.load(ctx, policy_id)
    wanted = [policy.policyholder_person_id, *(i.person_id for i in policy.insureds if i.status == "active")]
    members = {m.person_id: m for m in overview.members}
    return [
        {"person_id": p, "name": members[p].name, "masked": members[p].id_number_masked}
        for p in dict.fromkeys(wanted)
        if p in members
    ]


def _form_page(
    request: Request,
    ctx: ServiceContext,
    policy_id: int,
    *,
    form: dict[str, str] | None = None,
    problems: tuple[FieldProblem, ...] = (),
    done: str = "",
) -> Response:
    policy = views.view(ctx, runtime_of(request).products, policy_id)
    return render(
        request,
        "id_correction.html",
        ctx.principal,
        status_code=422 if problems else 200,
        policy=policy,
        parties=_parties(ctx, policy_id),
        kinds=id_correction.EVIDENCE_KINDS,
        staff=ctx.principal.role in STAFF,
        form=form or {},
        problems=grouped_problems(problems),
        done=done,
    )


@router.get("/policies/{policy_id}/servicing/id-number", response_class=HTMLResponse)
def form_page(request: Request, ctx: PageCtx, policy_id: Id, done: str = "") -> Response:
    return _form_page(request, ctx, policy_id, done=done if done.isdigit() else "")


@router.post("/policies/{policy_id}/servicing/id-number", response_class=HTMLResponse, dependencies=[Csrf])
def file_correction(request: Request, ctx: PageCtx, policy_id: Id, form: FormData, files: FormFiles) -> Response:
    """Upload the evidence and file the request; any problem keeps nothing (the upload included)."""
    staff = ctx.principal.role in STAFF
    problems: tuple[FieldProblem, ...] = ()
    body: dict[str, Any] = {
        "kind": "id_number_correction",
        "person_id": form.get("person_id", ""),
        "id_number": form.get("id_number", "").strip(),
        "document_ids": [],
    }
    if staff:
        body |= {
            "identity_verified": form.get("identity_verified") == "on",
            "customer_confirmed": form.get("customer_confirmed") == "on",
            "via": "phone" if form.get("via") == "phone" else "counter",
        }
    runtime = runtime_of(request)
    try:
        data = files.get("evidence")
        if not data:
            raise InvalidInput(
                fields=(FieldProblem("document_ids", "required", "请上传证明材料", "Upload the evidence document"),)
            )
        policy, _ = views.load(ctx, policy_id)
        kind = form.get("evidence_kind", "")
        try:
            uploaded = evidence.upload(
                ctx, policy.household_id, kind=kind, data=data, known_kinds=set(id_correction.EVIDENCE_KINDS)
            )
        except InvalidInput as exc:
            raise InvalidInput(
                fields=tuple(FieldProblem("document_ids", p.code, p.message_zh, p.message_en) for p in exc.fields)
            ) from exc
        body["document_ids"] = [uploaded.id]
        request_in = IdNumberCorrectionIn.model_validate(body)
        out = servicing.submit(ctx, runtime.products, runtime.knowledge.get(), policy_id, request_in)
    except ValidationError as exc:
        problems = _problems(exc)
    except JiabaoError as exc:
        if exc.status in (401, 403, 404):
            raise
        problems = exc.fields or (FieldProblem("id_number", exc.code, exc.message_zh, exc.message_en),)
    if problems:
        ctx.session.rollback()
        return _form_page(request, ctx, policy_id, form=form, problems=problems)
    return RedirectResponse(f"/policies/{policy_id}/servicing/id-number?done={out.id}", status_code=303)


def _queue_page(
    request: Request,
    ctx: ServiceContext,
    *,
    errors: dict[int, dict[str, list[FieldProblem]]] | None = None,
    kept: dict[int, dict[str, str]] | None = None,
) -> Response:
    return render(
        request,
        "id_corrections.html",
        ctx.principal,
        status_code=422 if errors else 200,
        rows=id_correction.queue(ctx),
        kinds=id_correction.EVIDENCE_KINDS,
        errors=errors or {},
        kept=kept or {},
        decided=request.query_params.get("decided", ""),
    )


@router.get("/service/id-corrections", response_class=HTMLResponse)
def queue_page(request: Request, ctx: PageCtx) -> Response:
    """The review queue (service staff): masked numbers, the evidence to open, approve or refuse."""
    return _queue_page(request, ctx)


@router.post("/service/id-corrections/{request_id}/decision", response_class=HTMLResponse, dependencies=[Csrf])
def decide(request: Request, ctx: PageCtx, request_id: Id, form: FormData) -> Response:
    decision = form.get("decision", "")
    problems: tuple[FieldProblem, ...] = ()
    if decision not in ("approve", "refuse"):
        problems = (FieldProblem("decision", "required", "请选择审核结论", "Choose a decision"),)
    else:
        try:
            data = IdCorrectionDecisionIn.model_validate(
                {
                    "approve": decision == "approve",
                    "reason": form.get("reason", "").strip(),
                    "proportional": form.get("proportional") == "on",
                }
            )
            servicing.decide_id_correction(ctx, runtime_of(request).products, request_id, data)
        except ValidationError as exc:
            problems = _problems(exc)
        except JiabaoError as exc:
            if exc.status in (401, 404):
                raise
            problems = exc.fields or (FieldProblem("decision", exc.code, exc.message_zh, exc.message_en),)
    if problems:
        ctx.session.rollback()
        return _queue_page(request, ctx, errors={request_id: grouped_problems(problems)}, kept={request_id: form})
    ctx.session.commit()
    return RedirectResponse(f"/service/id-corrections?decided={request_id}", status_code=303)
