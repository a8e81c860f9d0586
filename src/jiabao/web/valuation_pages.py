"""The actuary's valuation page: totals of the latest run, movements from the previous run, and two server-rendered
SVG charts (reserves by product, CSM by cohort). Aggregates only: the actuary sees no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from jiabao.api.deps import runtime_of
from jiabao.valuation import queries
from jiabao.web.deps import PageCtx, language, render

router = APIRouter(include_in_schema=False)
CHART_WIDTH = 640
BAR_HEIGHT = 14
LABEL_WIDTH = 170


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: float
    width: float
    y: float
    css: str


def bars(rows: list[tuple[str, list[tuple[Decimal, str]]]]) -> tuple[list[Bar], float, float]:
    """Horizontal grouped bars on one linear scale from zero (negative values grow to the left of the axis).

    Returns the bars, the x of the zero axis and the chart height."""
    values = [v for _, series in rows for v, _ in series] or [Decimal(0)]
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
    span = float(high - low) or 1.0
    plot = CHART_WIDTH - LABEL_WIDTH - 10
    zero = LABEL_WIDTH + plot * float(-low) / span
    out, y = [], 6.0
    for label, series in rows:
        for index, (value, css) in enumerate(series):
            width = plot * abs(float(value)) / span
            out.append(Bar(label if index == 0 else "", value, zero if value >= 0 else zero - width, width, y, css))
            y += BAR_HEIGHT + 2
        y += 8
    return out, zero, y + 4


@router.get("/valuation", response_class=HTMLResponse)
def valuation_page(
    request: Request, ctx: PageCtx, run: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None
) -> Response:
    data = queries.view(ctx.session, ctx.principal, run)
    catalog = runtime_of(request).products.catalog
    english = language(request, ctx.principal) == "en"

    def name(code: str) -> str:
        product = catalog.get(code)
        if product is None:
            return code
        return product.name_en if english else product.name_zh

    reserve_chart = cohort_chart = None
    if data is not None:
        reserve_chart = bars(
            [(name(p.product_code), [(p.statutory, "statutory"), (p.bel + p.ra, "fulfilment")]) for p in data.products]
        )
        cohort_chart = bars([(str(c), [(csm, "csm"), (-loss, "loss")]) for c, csm, loss in data.cohorts])
    return render(
        request,
        "valuation.html",
        ctx.principal,
        data=data,
        name=name,
        reserve_chart=reserve_chart,
        cohort_chart=cohort_chart,
        chart_width=CHART_WIDTH,
        bar_height=BAR_HEIGHT,
        label_width=LABEL_WIDTH,
    )
