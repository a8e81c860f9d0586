"""/api/v1 products and household quotes (报价)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from jiabao.api.deps import runtime_of, service_context
from jiabao.api.households import Reader
from jiabao.db.context import ServiceContext
from jiabao.policies.common import views
from jiabao.products import service as products
from jiabao.products.service import HouseholdQuoteIn, HouseholdQuoteOut, ProductOut

router = APIRouter(tags=["products"])
Anyone = Annotated[ServiceContext, Depends(service_context)]


@router.get("/products", operation_id="products_list")
def list_products(request: Request, ctx: Anyone, include_closed: Annotated[bool, Query()] = False) -> list[ProductOut]:
    """The product catalog on sale today, each product with the age/term cells it does not offer (7号 ratio);
    ``include_closed`` adds products closed to new business (pricing rate above today's cap)."""
    return products.list_products(runtime_of(request).products, as_of=ctx.clock.today(), include_closed=include_closed)


@router.post("/households/{household_id}/quote", operation_id="households_quote")
def quote(request: Request, ctx: Reader, household_id: int, data: HouseholdQuoteIn) -> HouseholdQuoteOut:
    """Price a bundle for the household's members: per-member premiums, totals by frequency, basis, cash values.

    A line outside a product's age, term or amount limits is refused (422) with the field and the reason.
    """
    engine = runtime_of(request).products
    held = views.death_cover_in_force(ctx, engine, household_id)  # minors' cap: the household's cover in force
    return products.quote(ctx, engine, household_id, data, in_force_death_cover=held)
