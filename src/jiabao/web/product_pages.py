"""Product pages (产品信息): every catalog product with its cover, exclusions, waiting and cooling-off periods, the
premiums for the customer's own family, the cash values, the terms (条款) and the 投保须知 — generated from the
catalog. Opening the terms and the notice is recorded (products.reading); the application needs both."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from jiabao.api.deps import runtime_of
from jiabao.core.auth import HOUSEHOLD_WRITERS, Role
from jiabao.core.errors import JiabaoError, NotFound
from jiabao.db.context import ServiceContext
from jiabao.family import queries
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberOut
from jiabao.products import documents, reading
from jiabao.products import service as products
from jiabao.products.schema import Product
from jiabao.products.service import HouseholdQuoteIn, QuoteLineOut
from jiabao.web.deps import PageCtx, render

router = APIRouter(include_in_schema=False)


def household_of(ctx: ServiceContext, household: int | None) -> HouseholdOut | None:
    """The household the pages are for: the one asked for (if the caller may see it) or a customer's own."""
    if household is not None:
        return family.get_overview(ctx, household)
    if ctx.principal.role is not Role.CUSTOMER:  # staff and partners name the household they work for
        return None
    mine = queries.list_households(ctx, limit=1)
    return family.get_overview(ctx, mine[0].id) if mine else None


def _product(request: Request, ctx: ServiceContext, code: str) -> Product:
    on_sale = {p.code for p in products.list_products(runtime_of(request).products, as_of=ctx.clock.today())}
    product = runtime_of(request).products.catalog.get(code)
    if product is None or code not in on_sale:
        raise NotFound(code="product_not_found")
    return product


def default_line(product: Product, member: MemberOut) -> dict[str, Any]:
    """A quote line with the product's usual choices: the smallest round amount ≥ ¥100,000 it allows, the first
    cover option, the longest payment term, annual premiums and the member's own work and social insurance."""
    amounts = product.amounts
    target = max(amounts.min, min(amounts.max, Decimal(100000)))
    if member.age < 18 and amounts.max_minor is not None:
        target = min(target, amounts.max_minor)
    line: dict[str, Any] = {
        "person_id": member.person_id,
        "product_code": product.code,
        "sum_assured": str(target),
        "payment_term": max(product.payment.terms),
    }
    if product.coverage.options:
        line["coverage"] = product.coverage.options[0]
    needs = documents.needs(product)
    if "social_insurance" in needs:
        line["social_insurance"] = member.social_insurance
    if "occupation_class" in needs:
        line["occupation_class"] = member.occupation_class or min(product.occupation_classes)
    if "health_rating" in needs:
        line["health_rating"] = "standard"
    if "payout_age" in needs:
        line["payout_age"] = product.payout_ages[0]
    return line


def family_premiums(
    request: Request, ctx: ServiceContext, product: Product, household: HouseholdOut
) -> list[dict[str, Any]]:
    """Each member's premium for the usual choices, or the reason the product is not open to them."""
    engine = runtime_of(request).products
    main = engine.catalog.get(product.rider_of[0]) if product.rider_of else None
    rows = []
    for member in household.members:
        lines = [default_line(product, member)]
        if main is not None:
            lines.insert(0, default_line(main, member))
        row: dict[str, Any] = {"member": member, "line": None, "problems": []}
        try:
            quote = products.quote(ctx, engine, household.id, HouseholdQuoteIn.model_validate({"lines": lines}))
            row["line"] = next(ln for ln in quote.members[0].lines if ln.product_code == product.code)
        except ValidationError:
            row["problems"] = []
        except JiabaoError as exc:
            row["problems"] = list(exc.fields)
        rows.append(row)
    return rows


@router.get("/products", response_class=HTMLResponse)
def catalog_page(request: Request, ctx: PageCtx, household: int | None = None) -> Response:
    """The products on sale side by side: what each covers, for whom, waiting period and cooling-off."""
    engine = runtime_of(request).products
    sheets = []
    for p in products.list_products(engine, as_of=ctx.clock.today()):
        product = engine.catalog.get(p.code)
        if product is not None:
            sheets.append(documents.sheet(product))
    return render(request, "products.html", ctx.principal, sheets=sheets, household=household_of(ctx, household))


@router.get("/products/{code}", response_class=HTMLResponse)
def product_page(request: Request, ctx: PageCtx, code: str, household: int | None = None) -> Response:
    product = _product(request, ctx, code)
    home = household_of(ctx, household)
    premiums = family_premiums(request, ctx, product, home) if home else []
    values: QuoteLineOut | None = next((r["line"] for r in premiums if r["line"] is not None), None)
    seen = reading.opened(ctx, household_id=home.id, code=code, version=product.version) if home else {}
    return render(
        request,
        "product.html",
        ctx.principal,
        sheet=documents.sheet(product),
        household=home,
        premiums=premiums,
        values=values,
        seen=seen,
        can_apply=ctx.principal.role in HOUSEHOLD_WRITERS,
    )


@router.get("/products/{code}/{document}", response_class=HTMLResponse)
def document_page(
    request: Request,
    ctx: PageCtx,
    code: str,
    document: str,
    household: int | None = None,
    fa: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Response:
    """The terms (条款) or the 投保须知; opening it for a household is recorded for the application and the visit.
    Opened from a family application (``fa``), its button leads back there."""
    if document not in documents.DOCUMENTS:
        raise NotFound(code="document_not_found")
    product = _product(request, ctx, code)
    home = household_of(ctx, household)
    if home is not None and ctx.principal.role in HOUSEHOLD_WRITERS:
        reading.record_opened(ctx, household_id=home.id, code=code, version=product.version, document=document)
    return render(
        request,
        "product_document.html",
        ctx.principal,
        sheet=documents.sheet(product),
        document=document,
        household=home,
        back_to_fa=fa if home is not None else None,
    )
