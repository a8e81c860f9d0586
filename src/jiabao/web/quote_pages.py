"""The quote page inside the household view (家庭报价): choose products per member, see premiums and cash values,
and go from the quote straight to a prefilled application (issue 11 item 5)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut
from jiabao.products import documents
from jiabao.products import service as products
from jiabao.products.service import HouseholdQuoteIn, HouseholdQuoteOut, ProductEngine
from jiabao.web.deps import Csrf, FormData, PageCtx, render
from jiabao.web.product_pages import default_line

router = APIRouter(include_in_schema=False)
LINES = 6
SHOWN_LINES = 2
"""Lines open on arrival; the others wait in a 'more' section so that a phone screen is not a wall of fields."""
EXTRAS = ("social_insurance", "occupation_class", "health_rating", "payout_age")


def _context(request: Request, ctx: PageCtx, household_id: int) -> dict[str, Any]:
    engine = runtime_of(request).products
    catalog = products.list_products(engine, as_of=ctx.clock.today())
    needs = {p.code: documents.needs(product) for p in catalog if (product := engine.catalog.get(p.code))}
    return {
        "household": family.get_overview(ctx, household_id),
        "catalog": catalog,
        "needs": needs,
        "line_count": LINES,
        "shown_lines": SHOWN_LINES,
        "health_ratings": ("standard", "impaired", "severely_impaired"),
    }


@router.get("/households/{household_id}/quote", response_class=HTMLResponse)
def quote_page(request: Request, ctx: PageCtx, household_id: int, product: str = "") -> Response:
    """A product chosen on its product page comes preselected for every member."""
    context = _context(request, ctx, household_id)
    form: dict[str, str] = {}
    if product in context["needs"]:
        for i, member in enumerate(context["household"].members[:LINES]):
            form |= {f"line-{i}-person_id": str(member.person_id), f"line-{i}-product_code": product}
    return render(request, "quote.html", ctx.principal, form=form, problems=[], quote=None, applies=[], **context)


def _lines(engine: ProductEngine, household: HouseholdOut, form: dict[str, str]) -> list[dict[str, Any]]:
    """The chosen lines; inputs a product needs and the customer left open come from the member's record."""
    members = {str(m.person_id): m for m in household.members}
    lines = []
    for i in range(LINES):
        code = form.get(f"line-{i}-product_code", "")
        if not code:
            continue
        line: dict[str, Any] = {"product_code": code}
        for key in ("person_id", "sum_assured", "coverage", "payment_term", "frequency", *EXTRAS):
            value = form.get(f"line-{i}-{key}", "").strip()
            if value:
                line[key] = {"yes": True, "no": False}.get(value, value) if key == "social_insurance" else value
        product, member = engine.catalog.get(code), members.get(str(line.get("person_id", "")))
        if product is not None and member is not None:
            defaults = default_line(product, member)
            for key in documents.needs(product):
                line.setdefault(key, defaults[key])
        lines.append(line)
    return lines


def apply_links(household_id: int, data: HouseholdQuoteIn, result: HouseholdQuoteOut) -> list[dict[str, Any]]:
    """One prefilled application per product and terms quoted: the policy covers every member quoted on it."""
    names = {m.person_id: m.name for m in result.members}
    products_named = {ln.product_code: (ln.name_zh, ln.name_en) for m in result.members for ln in m.lines}
    groups: dict[tuple[str, int | None, int, str], dict[str, Any]] = {}
    for line in data.lines:
        key = (line.product_code, line.coverage, line.payment_term, line.frequency.value)
        zh, en = products_named.get(line.product_code, (line.product_code, line.product_code))
        group = groups.setdefault(key, {"code": line.product_code, "zh": zh, "en": en, "names": [], "params": {}})
        group["names"].append(names.get(line.person_id, ""))
        group["params"] |= {f"insured-{line.person_id}": "on", f"sum-{line.person_id}": f"{line.sum_assured:f}"}
    links = []
    for (code, coverage, term, frequency), group in groups.items():
        params: dict[str, Any] = {"product_code": code, "payment_term": term, "frequency": frequency}
        if coverage is not None:
            params["coverage"] = coverage
        group["url"] = f"/households/{household_id}/apply?{urlencode(params | group['params'])}"
        links.append(group)
    return links


@router.post("/households/{household_id}/quote", response_class=HTMLResponse, dependencies=[Csrf])
def quote(request: Request, ctx: PageCtx, household_id: int, form: FormData) -> Response:
    """Price the chosen lines; refusals (age, term, amount limits) are shown beside the form."""
    problems: tuple[FieldProblem, ...] = ()
    result: HouseholdQuoteOut | None = None
    data: HouseholdQuoteIn | None = None
    context = _context(request, ctx, household_id)
    engine = runtime_of(request).products
    try:
        data = HouseholdQuoteIn.model_validate({"lines": _lines(engine, context["household"], form)})
        result = products.quote(ctx, engine, household_id, data)
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
        applies=apply_links(household_id, data, result) if data and result else [],
        **context,
    )
