"""Risk pages: the screening review queue (名单筛查复核) at ``/risk/screening``: each open case with the customer
and the matched list entries side by side, and the reviewer's decision."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.risk.screening import service as screening
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)


def _render(request: Request, ctx: ServiceContext, problems: dict[int, tuple[FieldProblem, ...]] | None = None
            ) -> Response:  # fmt: skip
    cases = [screening.case_detail(ctx, c.id) for c in screening.queue(ctx, status="open", limit=50)]
    return render(request, "risk_screening.html", ctx.principal, status_code=422 if problems else 200, cases=cases,
                  problems=problems or {}, decided=request.query_params.get("decided"))  # fmt: skip


@router.get("/risk/screening", response_class=HTMLResponse)
def queue(request: Request, ctx: PageCtx) -> Response:
    return _render(request, ctx)


@router.post("/risk/screening/{case_id}/review", response_class=HTMLResponse, dependencies=[Csrf])
def review(request: Request, ctx: PageCtx, case_id: int, form: FormData) -> Response:
    decision = form.get("decision", "")
    note = form.get("note", "").strip()
    problems: list[FieldProblem] = []
    if decision not in ("clear", "confirm"):
        problems.append(FieldProblem("decision", "required", "请选择结论", "Choose a decision"))
    if not 2 <= len(note) <= 500 or any(ord(ch) < 32 for ch in note):
        problems.append(
            FieldProblem("note", "required", "请填写复核说明（2–500字）", "Write a note (2–500 characters)")
        )
    if problems:
        return _render(request, ctx, {case_id: tuple(problems)})
    try:
        screening.review(ctx, case_id, "clear" if decision == "clear" else "confirm", note)
    except JiabaoError as exc:
        if not exc.fields:
            raise
        return _render(request, ctx, {case_id: exc.fields})
    return RedirectResponse(f"/risk/screening?decided={case_id}", status_code=303)
