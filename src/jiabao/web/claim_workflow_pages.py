"""Claims workflow pages (issue 17): the family uploads requested documents, appeals a decline and gives each
death-benefit recipient's account on the claim page; the adjuster handles a claim on ``/claims/{id}/handle`` —
request documents, investigations, 二次核保, the art. 25 advance, the decision and the appeal decision."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.claims import beneficiaries, evidence, queries, workflow
from jiabao.claims.schemas import AdjusterDecisionIn
from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.web.claim_pages import FormFiles, document_names, grouped_problems, household_policies, render_claim
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


def _problems_of(exc: Exception) -> tuple[FieldProblem, ...] | None:
    """The problems to show beside the form, or None for an error the error page handles."""
    if isinstance(exc, ValidationError):
        return tuple(problems_from_pydantic(list(exc.errors())))
    if isinstance(exc, JiabaoError):
        if exc.fields:
            return exc.fields
        if exc.status == 409:
            return (FieldProblem("form", exc.code, exc.message_zh, exc.message_en),)
    return None


def _attempt(ctx: ServiceContext, action: Callable[[], object]) -> tuple[FieldProblem, ...]:
    try:
        action()
    except (ValidationError, JiabaoError) as exc:
        problems = _problems_of(exc)
        if problems is None:
            raise
        ctx.session.rollback()  # nothing is kept from a refused step
        return problems
    return ()


# ------------------------------------------------------------------------------------------------ the family


@router.post("/claims/{claim_id}/documents", response_class=HTMLResponse, dependencies=[Csrf])
def send_documents(request: Request, ctx: PageCtx, claim_id: int, form: FormData, files: FormFiles) -> Response:
    """Upload each requested document (checked by content, stored encrypted) and file them on the claim."""
    claim = queries.view(ctx, queries.load(ctx, claim_id))
    codes = claim.open_request_kinds
    known = set(runtime_of(request).claim_rules.docs.documents)

    def act() -> None:
        ids = []
        for code in codes:
            data = files.get(f"doc-{code}")
            if data is not None:
                ids.append(evidence.upload(ctx, claim.household_id, kind=code, data=data, known_kinds=known).id)
        if not ids:
            raise InvalidInput(
                fields=(FieldProblem("documents", "required", "请选择要上传的资料", "Choose the files to upload"),)
            )
        workflow.submit_documents(ctx, claim_id, ids)

    problems = _attempt(ctx, act)
    if problems:
        return render_claim(request, ctx, claim_id, problems=problems, status_code=422)
    ctx.session.commit()
    return RedirectResponse(f"/claims/{claim_id}?sent=1", status_code=303)


@router.post("/claims/{claim_id}/appeal", response_class=HTMLResponse, dependencies=[Csrf])
def appeal(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    problems = _attempt(ctx, lambda: workflow.file_appeal(ctx, claim_id, form.get("grounds", "")))
    if problems:
        return render_claim(request, ctx, claim_id, problems=problems, status_code=422)
    ctx.session.commit()
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


@router.post("/claims/{claim_id}/beneficiary-account", response_class=HTMLResponse, dependencies=[Csrf])
def beneficiary_account(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    raw = form.get("beneficiary_id", "")
    chosen = int(raw) if raw.isdigit() else 0

    def act() -> None:
        account = form.get("account", "").replace(" ", "")
        beneficiaries.set_account(ctx, queries.load(ctx, claim_id), chosen, account)

    problems = _attempt(ctx, act)
    if problems:
        return render_claim(request, ctx, claim_id, problems=problems, status_code=422)
    ctx.session.commit()
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


# ----------------------------------------------------------------------------------------------- the adjuster


def _render_handle(
    request: Request, ctx: ServiceContext, claim_id: int, problems: tuple[FieldProblem, ...] = ()
) -> Response:
    workflow.ensure_adjuster(ctx)
    row = queries.load(ctx, claim_id)
    claim = queries.view(ctx, row)
    advanced = set(row.details.get("advanced", []))
    rules = runtime_of(request).claim_rules
    amounts: dict[int, Decimal] = {}
    withheld = workflow.withheld_policies(ctx, claim_id)
    for line in workflow.engine_assessment(ctx, claim_id).get("lines", []):
        pid = int(line["policy_id"])
        if not line.get("advance") and f"{pid}:{line['benefit']}" not in advanced:
            amounts[pid] = amounts.get(pid, Decimal(0)) + (Decimal(0) if pid in withheld else Decimal(line["amount"]))
    return render(
        request,
        "claim_handle.html",
        ctx.principal,
        status_code=(409 if problems and problems[0].field == "form" else 422) if problems else 200,
        claim=claim,
        assessment=workflow.engine_assessment(ctx, claim_id),
        policies=household_policies(request, ctx, claim.household_id),
        all_documents=[(code, d.zh, d.en) for code, d in rules.docs.documents.items()],
        missing=document_names(request, claim.missing_documents),
        investigations=workflow.investigations(ctx, claim_id),
        reunderwritings=workflow.reunderwritings(ctx, claim_id),
        appeal=workflow.appeal_view(ctx, claim_id),
        staff=workflow.investigators(ctx),
        amounts=amounts,
        problems=grouped_problems(problems),
        problem_list=problems,
        done=request.query_params.get("done"),
        me=ctx.principal.user_id,
    )


@router.get("/claims/{claim_id}/handle", response_class=HTMLResponse)
def handle(request: Request, ctx: PageCtx, claim_id: int) -> Response:
    return _render_handle(request, ctx, claim_id)


def _after(request: Request, ctx: ServiceContext, claim_id: int, problems: tuple[FieldProblem, ...]) -> Response:
    if problems:
        return _render_handle(request, ctx, claim_id, problems)
    ctx.session.commit()
    return RedirectResponse(f"/claims/{claim_id}/handle?done=1", status_code=303)


def _multi(form: dict[str, str], prefix: str) -> list[str]:
    return [name.removeprefix(prefix) for name, value in form.items() if name.startswith(prefix) and value == "on"]


@router.post("/claims/{claim_id}/handle/request", response_class=HTMLResponse, dependencies=[Csrf])
def handle_request(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    kinds = _multi(form, "kind-")
    rules = runtime_of(request).claim_rules
    return _after(
        request, ctx, claim_id, _attempt(ctx, lambda: workflow.request_documents(ctx, rules, claim_id, kinds))
    )


@router.post("/claims/{claim_id}/handle/investigation", response_class=HTMLResponse, dependencies=[Csrf])
def handle_investigation(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    raw = form.get("assignee", "")

    def act() -> None:
        if not raw.isdigit():
            raise InvalidInput(fields=(FieldProblem("assignee", "required", "请选择调查人员", "Choose who"),))
        instructions = form.get("instructions", "").strip()
        if len(instructions) < 4:
            raise InvalidInput(
                fields=(FieldProblem("instructions", "required", "请填写调查要求", "Give instructions"),)
            )
        workflow.open_investigation(
            ctx, claim_id, kind=form.get("kind", ""), assignee=int(raw), instructions=instructions
        )

    return _after(request, ctx, claim_id, _attempt(ctx, act))


@router.post("/claims/{claim_id}/handle/outcome", response_class=HTMLResponse, dependencies=[Csrf])
def handle_outcome(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    raw = form.get("investigation_id", "")
    chosen = int(raw) if raw.isdigit() else 0
    return _after(
        request,
        ctx,
        claim_id,
        _attempt(
            ctx,
            lambda: workflow.record_outcome(
                ctx, claim_id, chosen, outcome=form.get("outcome", ""), findings=form.get("findings", "")
            ),
        ),
    )


def _answers(text: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            found[key.strip()] = value.strip()
    return found


@router.post("/claims/{claim_id}/handle/reunderwriting", response_class=HTMLResponse, dependencies=[Csrf])
def handle_reunderwriting(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    raw = form.get("policy_id", "")
    store = runtime_of(request).knowledge

    def act() -> None:
        if not raw.isdigit():
            raise InvalidInput(fields=(FieldProblem("policy_id", "required", "请选择保单", "Choose the policy"),))
        causal = [c.strip().upper() for c in form.get("causal_icd", "").replace("，", ",").split(",") if c.strip()]
        workflow.reunderwrite(
            ctx,
            store,
            claim_id,
            policy_id=int(raw),
            impairment=form.get("impairment", "").strip().upper(),
            answers=_answers(form.get("answers", "")),
            causal_icd=causal,
        )

    return _after(request, ctx, claim_id, _attempt(ctx, act))


@router.post("/claims/{claim_id}/handle/advance", response_class=HTMLResponse, dependencies=[Csrf])
def handle_advance(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    rules = runtime_of(request).claim_rules
    return _after(request, ctx, claim_id, _attempt(ctx, lambda: workflow.pay_advance(ctx, rules, claim_id)))


def _amounts(form: dict[str, str]) -> dict[int, Decimal]:
    amounts: dict[int, Decimal] = {}
    for name, value in form.items():
        if name.startswith("amount-") and value.strip():
            try:
                amounts[int(name.removeprefix("amount-"))] = Decimal(value.strip())
            except (InvalidOperation, ValueError) as exc:
                raise InvalidInput(
                    fields=(FieldProblem("amounts", "invalid", "金额格式不正确", "Enter amounts as numbers"),)
                ) from exc
    return amounts


@router.post("/claims/{claim_id}/handle/decision", response_class=HTMLResponse, dependencies=[Csrf])
def handle_decision(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    def act() -> None:
        if form.get("decision") not in ("approve", "decline"):
            raise InvalidInput(fields=(FieldProblem("decision", "required", "请选择结论", "Choose a decision"),))
        approve = form["decision"] == "approve"
        data = {
            "approve": approve,
            "amounts": {str(k): str(v) for k, v in _amounts(form).items()} if approve else {},
            "reason": form.get("reason", "").strip(),
        }
        queries.decide(ctx, claim_id, AdjusterDecisionIn.model_validate(data))

    return _after(request, ctx, claim_id, _attempt(ctx, act))


@router.post("/claims/{claim_id}/handle/appeal", response_class=HTMLResponse, dependencies=[Csrf])
def handle_appeal(request: Request, ctx: PageCtx, claim_id: int, form: FormData) -> Response:
    def act() -> None:
        if form.get("appeal") not in ("overturn", "uphold"):
            raise InvalidInput(fields=(FieldProblem("appeal", "required", "请选择复核结论", "Choose a decision"),))
        overturn = form["appeal"] == "overturn"
        workflow.decide_appeal(
            ctx,
            claim_id,
            overturn=overturn,
            reason=form.get("reason", ""),
            amounts=_amounts(form) if overturn else None,
        )

    return _after(request, ctx, claim_id, _attempt(ctx, act))
