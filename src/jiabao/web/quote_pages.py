"""The quote page inside the household view (家庭报价): choose products per member, see premiums and cash values."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.family import service as family
from jiabao.products import service as products
from jiabao.products.service import HouseholdQuoteIn, HouseholdQuoteOut
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
LINES = 6


def _context(request: Request, ctx: PageCtx, household_id: int) -> dict[str, Any]:
    return {
        "household": family.get_overview(ctx, household_id),
        "catalog": products.list_products(runtime_of(request).products, as_of=ctx.clock.today()),
        "line_count": LINES,
    }


@router.get("/households/{household_id}/quote", response_class=HTMLResponse)
def quote_page(request: Request, ctx: PageCtx, household_id: int) -> Response:
    return render(
        request, "quote.html", ctx.principal, form={}, problems=[], quote=None, **_context(request, ctx, household_id)
    )


def _lines(form: dict[str, str]) -> list[dict[str, str]]:
    lines = []
    for i in range(LINES):
        code = form.get(f"line-{i}-product_code", "")
        if not code:
            continue
        line = {"product_code": code}
        for key in ("person_id", "sum_assured", "coverage", "payment_term", "frequency"):
            value = form.get(f"line-{i}-{key}", "").strip()
            if value:
                line[key] = value
        lines.append(line)
    return lines


@router.post("/households/{household_id}/quote", response_class=HTMLResponse, dependencies=[Csrf])
def quote(request: Request, ctx: PageCtx, household_id: int, form: FormData) -> Response:
    """Price the chosen lines; refusals (age, term, amount limits) are shown beside the form."""
    problems: tuple[FieldProblem, ...] = ()
    result: HouseholdQuoteOut | None = None
    try:
        data = HouseholdQuoteIn.model_validate({"lines": _lines(form)})
        result = products.quote(ctx, runtime_of(request).products, household_id, data)
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    return render(
        request,
        "quote.html",
        ctx.principal,
        status_code=422 if problems else 200,
        form=form,
        problems=problems,
        quote=result,
        **_context(request, ctx, household_id),
    )
