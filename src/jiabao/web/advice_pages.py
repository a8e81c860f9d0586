"""Protection pages (家庭保障规划): each member's cover against the gap (SVG chart), the score and its history,
the plan within the budget (each line opens the existing application flow), the facts form and life events.
The family home pulls a summary fragment from here with htmx."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from jiabao.advice import service
from jiabao.advice.access import ADVICE_ROLES
from jiabao.advice.engine import GapKind
from jiabao.advice.schemas import AdviceEventIn, AssessmentOut, FactsIn, SnapshotOut
from jiabao.api.deps import runtime_of
from jiabao.api.errors import problems_from_pydantic
from jiabao.core.errors import FieldProblem, JiabaoError
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.web.deps import Csrf, FormData, PageCtx, render

router = APIRouter(include_in_schema=False)
HouseholdId = Annotated[int, Path(ge=1, le=2**63 - 1)]
SHARES = ("0.05", "0.08", "0.10", "0.15", "0.20")
KINDS = [k.value for k in GapKind]
DECLARED_COVER = (GapKind.DEATH, GapKind.CI, GapKind.ACCIDENT, GapKind.MEDICAL)


def bars(result: AssessmentOut) -> list[dict[str, Any]]:
    """Per member, per kind with a need: the share of the need covered (0–100) for the SVG chart."""
    charts = []
    for m in result.members:
        rows = []
        for k in m.kinds:
            if k.need <= 0:
                continue
            covered = min(Decimal(100), k.cover / k.need * 100)
            rows.append({"kind": k.kind.value, "need": k.need, "cover": k.cover, "gap": k.gap, "pct": float(covered)})
        charts.append({"person_id": m.person_id, "name": m.name, "age": m.age, "tier": m.tier.value, "rows": rows})
    return charts


def history_points(history: list[SnapshotOut]) -> str:
    """Polyline points of the score over time in a 300 × 100 box (oldest left)."""
    if not history:
        return ""
    n = len(history)
    step = 280 / max(1, n - 1)
    return " ".join(f"{10 + i * step:.1f},{100 - s.score:.1f}" for i, s in enumerate(history))


def _share(raw: str | None) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if Decimal("0.01") <= value <= Decimal("0.5") else None


def _context(request: Request, ctx: ServiceContext, household_id: int, share: Decimal | None) -> dict[str, Any]:
    engine = runtime_of(request).products
    assessment = service.assessment(ctx, engine, household_id)
    history = service.history(ctx, household_id)
    return {
        "household": family.get_overview(ctx, household_id),
        "assessment": assessment,
        "charts": bars(assessment),
        "plan": service.plan(ctx, engine, household_id, share),
        "facts": service.get_facts(ctx, household_id),
        "history": history,
        "history_points": history_points(history),
        "shares": SHARES,
        "declared_kinds": [k.value for k in DECLARED_COVER],
    }


@router.get("/households/{household_id}/protection", response_class=HTMLResponse)
def protection_page(
    request: Request, ctx: PageCtx, household_id: HouseholdId, budget_share: str | None = Query(None, max_length=6)
) -> Response:
    context = _context(request, ctx, household_id, _share(budget_share))
    return render(
        request, "advice.html", ctx.principal, problems=[], saved=request.query_params.get("saved"), **context
    )


@router.get("/households/{household_id}/protection/summary", response_class=HTMLResponse)
def protection_summary(request: Request, ctx: PageCtx, household_id: HouseholdId) -> Response:
    """The family home's fragment: score, each member's cover against the gap, the plan's first lines."""
    if ctx.principal.role not in ADVICE_ROLES:
        return HTMLResponse("")
    engine = runtime_of(request).products
    assessment = service.assessment(ctx, engine, household_id)
    plan = service.plan(ctx, engine, household_id, None)
    history = service.history(ctx, household_id)
    return render(
        request,
        "partials/advice_summary.html",
        ctx.principal,
        household_id=household_id,
        assessment=assessment,
        charts=bars(assessment),
        plan=plan,
        history=history,
        history_points=history_points(history),
    )


def _money(form: dict[str, str], key: str) -> str | None:
    value = form.get(key, "").strip().replace(",", "")
    return value or None


def facts_from_form(form: dict[str, str], person_ids: list[int]) -> dict[str, Any]:
    members = []
    for pid in person_ids:
        entry: dict[str, Any] = {"person_id": pid}
        income = _money(form, f"income-{pid}")
        if income is not None:
            entry["annual_income"] = income
        social = form.get(f"social-{pid}")
        if social in ("yes", "no"):
            entry["social_insurance"] = social == "yes"
        for key, field in (("education", "education_cost"), ("premiums", "premiums_elsewhere")):
            value = _money(form, f"{key}-{pid}")
            if value is not None:
                entry[field] = value
        cover = {k.value: v for k in DECLARED_COVER if (v := _money(form, f"cover-{k.value}-{pid}")) is not None}
        if cover:
            entry["cover_elsewhere"] = cover
        members.append(entry)
    debts = [
        {"kind": kind, "outstanding": value}
        for kind in ("mortgage", "car_loan", "consumer_loan", "other")
        if (value := _money(form, f"debt-{kind}")) is not None
    ]
    data: dict[str, Any] = {"members": members, "debts": debts}
    if (assets := _money(form, "liquid_assets")) is not None:
        data["liquid_assets"] = assets
    if form.get("budget_share"):
        data["budget_share"] = form["budget_share"]
    return data


@router.post("/households/{household_id}/protection/facts", response_class=HTMLResponse, dependencies=[Csrf])
def save_facts(request: Request, ctx: PageCtx, household_id: HouseholdId, form: FormData) -> Response:
    overview = family.get_overview(ctx, household_id)
    problems: tuple[FieldProblem, ...] = ()
    try:
        data = FactsIn.model_validate(facts_from_form(form, [m.person_id for m in overview.members]))
        service.save_facts(ctx, runtime_of(request).products, household_id, data)
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/households/{household_id}/protection?saved=facts", status_code=303)
    context = _context(request, ctx, household_id, None)
    return render(request, "advice.html", ctx.principal, status_code=422, problems=problems, saved=None, **context)


@router.post("/households/{household_id}/protection/events", response_class=HTMLResponse, dependencies=[Csrf])
def life_event(request: Request, ctx: PageCtx, household_id: HouseholdId, form: FormData) -> Response:
    problems: tuple[FieldProblem, ...] = ()
    try:
        raw: dict[str, Any] = {"kind": form.get("kind", ""), "occurred_on": form.get("occurred_on", "")}
        if form.get("person_id"):
            raw["person_id"] = form["person_id"]
        service.record_event(ctx, runtime_of(request).products, household_id, AdviceEventIn.model_validate(raw))
    except ValidationError as exc:
        problems = problems_from_pydantic(list(exc.errors()))
    except JiabaoError as exc:
        if not exc.fields:
            raise
        problems = exc.fields
    if not problems:
        return RedirectResponse(f"/households/{household_id}/protection?saved=event", status_code=303)
    context = _context(request, ctx, household_id, None)
    return render(request, "advice.html", ctx.principal, status_code=422, problems=problems, saved=None, **context)
