"""The family statement page (家庭账户对账单) and its PDF; the family bill page (家庭账单) with the family payment
account, and its fragment on the family home."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiabao.core.auth import HOUSEHOLD_WRITERS
from jiabao.core.errors import FieldProblem, InvalidInput, JiabaoError
from jiabao.core.money import from_fen
from jiabao.family import proxies as family_proxies
from jiabao.family import service as family
from jiabao.ledger import statement as ledger_statement
from jiabao.ledger.statement import Statement, StatementRow
from jiabao.ledger.statement_pdf import PdfRow, StatementDoc, render_statement_pdf
from jiabao.policies.billing import family as family_billing
from jiabao.web.deps import Csrf, FormData, PageCtx, language, render
from jiabao.web.i18n import translator

router = APIRouter(include_in_schema=False)
HouseholdId = Annotated[int, Path(ge=1, le=2**63 - 1)]
DateText = Annotated[str | None, Query(max_length=10)]


def yuan(fen: int) -> str:
    return f"¥{from_fen(fen):,.2f}"


def _date(raw: str | None, default: date, field: str) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            fields=(
                FieldProblem(field, "invalid_date", "请输入有效日期（年-月-日）", "Enter a valid date (YYYY-MM-DD)"),
            )
        ) from None


def period(ctx: PageCtx, start: str | None, end: str | None) -> tuple[date, date]:
    first, last = ledger_statement.default_period(ctx.clock.today())
    return _date(start, first, "start"), _date(end, last, "end")


def describe(row: StatementRow, t: Any) -> str:
    """The movement in words, with the payment kind or the instalments it concerns."""
    text = str(t(f"ledger.movement.{row.movement.value}"))
    kind = row.memo.get("kind")
    if kind:
        text += f" · {t(f'ledger.kind.{kind}')}"
    if row.memo.get("bill_no"):
        text += f" {row.memo['bill_no']}"
    return text


def _context(ctx: PageCtx, household_id: int, start: str | None, end: str | None) -> dict[str, Any]:
    first, last = period(ctx, start, end)
    result = ledger_statement.statement(ctx, household_id, first, last)
    return {"statement": result, "household_id": household_id, "yuan": yuan}


@router.get("/households/{household_id}/statement", response_class=HTMLResponse)
def statement_page(
    request: Request, ctx: PageCtx, household_id: HouseholdId, start: DateText = None, end: DateText = None
) -> Response:
    context = _context(ctx, household_id, start, end)
    t = translator(language(request, ctx.principal))
    descriptions = {id(r): describe(r, t) for r in context["statement"].rows}
    return render(request, "statement.html", ctx.principal, describe=lambda r: descriptions[id(r)], **context)


def pdf_doc(result: Statement, t: Any) -> StatementDoc:
    return StatementDoc(
        account_no=result.account_no,
        period=f"{result.start.isoformat()} – {result.end.isoformat()}",
        opening=yuan(result.opening.net),
        closing=yuan(result.closing.net),
        outstanding=yuan(result.closing.outstanding),
        waived=yuan(result.closing.waived),
        rows=[
            PdfRow(
                on=r.on.isoformat(),
                member=r.member,
                policy_no=r.policy_no,
                description=describe(r, t),
                amount_in=yuan(r.amount_in) if r.amount_in else "",
                amount_out=yuan(r.amount_out) if r.amount_out else "",
                running=yuan(r.balance.net),
            )
            for r in result.rows
        ],
        by_member=[(m or "—", yuan(i), yuan(o)) for m, (i, o) in sorted(result.by_member.items())],
        reconciled=result.balanced,
    )


@router.get("/households/{household_id}/statement.pdf")
def statement_pdf(
    request: Request, ctx: PageCtx, household_id: HouseholdId, start: DateText = None, end: DateText = None
) -> Response:
    lang = language(request, ctx.principal)
    first, last = period(ctx, start, end)
    result = ledger_statement.statement(ctx, household_id, first, last)
    ctx.audit("ledger.statement_pdf", "household", household_id, {"start": first.isoformat(), "end": last.isoformat()})
    body = render_statement_pdf(pdf_doc(result, translator(lang)), language=lang)
    name = f"statement-{result.account_no}-{first:%Y%m%d}-{last:%Y%m%d}.pdf"
    return Response(
        body, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# ---- the family bill (家庭账单) and the family payment account -------------------------------------------------


def _bill_context(ctx: PageCtx, household_id: int) -> dict[str, Any]:
    overview = family.get_overview(ctx, household_id)
    return {
        "household": overview,
        "household_id": household_id,
        "account": family_billing.current_account(ctx, household_id),
        "bills": family_billing.bills(ctx, household_id),
        "adults": [m for m in overview.members if m.age >= 18],
        "next_month": _month_after(ctx.clock.today()),
        "idempotency_key": secrets.token_urlsafe(16),
        "can_edit": ctx.principal.role in HOUSEHOLD_WRITERS,
        "yuan_d": lambda d: f"¥{d:,.2f}",
    }


def _month_after(day: date) -> str:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return f"{year:04d}-{month:02d}"


def _month(raw: str) -> tuple[date, date]:
    try:
        year, month = (int(x) for x in raw.split("-", 1))
        start = date(year, month, 1)
    except ValueError:
        raise InvalidInput(
            fields=(FieldProblem("month", "invalid_month", "请选择账单月份", "Choose the bill's month"),)
        ) from None
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, following - timedelta(days=1)


@router.get("/households/{household_id}/family-bill", response_class=HTMLResponse)
def family_bill_page(request: Request, ctx: PageCtx, household_id: HouseholdId, done: str | None = None) -> Response:
    context = _bill_context(ctx, household_id)
    return render(request, "family_bill.html", ctx.principal, problems=[], done=done, **context)


@router.get("/households/{household_id}/family-bill/summary", response_class=HTMLResponse)
def family_bill_summary(request: Request, ctx: PageCtx, household_id: HouseholdId) -> Response:
    """The family home's fragment: the latest bill, the payment account and the statement link."""
    context = _bill_context(ctx, household_id)
    return render(request, "partials/family_bill_summary.html", ctx.principal, **context)


def _form_problem(request: Request, ctx: PageCtx, household_id: int, action: Callable[[], object]) -> Response | None:
    try:
        action()
    except JiabaoError as exc:
        if not exc.fields:
            raise
        ctx.session.rollback()
        context = _bill_context(ctx, household_id)
        return render(
            request, "family_bill.html", ctx.principal, status_code=422, problems=exc.fields, done=None, **context
        )
    return None


@router.post("/households/{household_id}/family-bill/account", response_class=HTMLResponse, dependencies=[Csrf])
def designate(request: Request, ctx: PageCtx, household_id: HouseholdId, form: FormData) -> Response:
    try:
        holder = int(form.get("holder_person_id", "0"))
    except ValueError:
        holder = 0
    failed = _form_problem(
        request,
        ctx,
        household_id,
        lambda: family_billing.designate_account(
            ctx, household_id, account=form.get("account", ""), holder_person_id=holder
        ),
    )
    if failed is not None:
        return failed
    return RedirectResponse(f"/households/{household_id}/family-bill?done=account", status_code=303)


@router.post("/households/{household_id}/family-bill", response_class=HTMLResponse, dependencies=[Csrf])
def draw_up(request: Request, ctx: PageCtx, household_id: HouseholdId, form: FormData) -> Response:
    def act() -> object:
        start, end = _month(form.get("month", ""))
        return family_billing.draw_up(ctx, household_id, start, end)

    failed = _form_problem(request, ctx, household_id, act)
    if failed is not None:
        return failed
    return RedirectResponse(f"/households/{household_id}/family-bill?done=drawn", status_code=303)


@router.post("/family-bills/{bill_id}/collect", response_class=HTMLResponse, dependencies=[Csrf])
def collect(
    request: Request, ctx: PageCtx, bill_id: Annotated[int, Path(ge=1, le=2**63 - 1)], form: FormData
) -> Response:
    result = family_billing.collect(ctx, bill_id, idempotency_key=form.get("idempotency_key", ""))
    household_id = result.bill.household_id
    ctx.session.commit()  # release the bill's and the policies' row locks in this thread (see api/policies.py)
    done = "paid" if result.outcome == "paid" else "declined"
    return RedirectResponse(f"/households/{household_id}/family-bill?done={done}", status_code=303)


# ---- family proxies (家人代办授权) -------------------------------------------------------------------------------


def _proxy_context(ctx: PageCtx, household_id: int) -> dict[str, Any]:
    overview = family.get_overview(ctx, household_id)
    return {
        "household_id": household_id,
        "members": overview.members,
        "adults": [m for m in overview.members if m.age >= 18],
        "proxies": family_proxies.list_for_household(ctx, household_id),
        "acts": family_proxies.ACTS,
        "default_expiry": (ctx.clock.today() + timedelta(days=365)).isoformat(),
        "can_edit": ctx.principal.role in HOUSEHOLD_WRITERS,
    }


@router.get("/households/{household_id}/proxies", response_class=HTMLResponse)
def proxies_page(request: Request, ctx: PageCtx, household_id: HouseholdId, done: str | None = None) -> Response:
    context = _proxy_context(ctx, household_id)
    return render(request, "proxies.html", ctx.principal, problems=[], done=done, form={}, **context)


@router.post("/households/{household_id}/proxies", response_class=HTMLResponse, dependencies=[Csrf])
def grant_proxy(request: Request, ctx: PageCtx, household_id: HouseholdId, form: FormData) -> Response:
    try:
        family_proxies.grant(
            ctx,
            household_id,
            principal_person_id=int(form.get("principal_person_id") or 0),
            proxy_person_id=int(form.get("proxy_person_id") or 0),
            scope=[a for a in family_proxies.ACTS if form.get(f"scope-{a}") == "on"],
            expires_on=_date(form.get("expires_on"), date.min, "expires_on"),
            principal_consent=form.get("principal_consent") == "on",
            proxy_consent=form.get("proxy_consent") == "on",
        )
    except ValueError:
        return render(
            request, "proxies.html", ctx.principal, status_code=422, done=None, form=form,
            problems=[FieldProblem("principal_person_id", "invalid", "请选择家庭成员", "Choose a member")],
            **_proxy_context(ctx, household_id),
        )  # fmt: skip
    except JiabaoError as exc:
        if not exc.fields:
            raise
        ctx.session.rollback()
        return render(
            request, "proxies.html", ctx.principal, status_code=422, done=None, form=form, problems=exc.fields,
            **_proxy_context(ctx, household_id),
        )  # fmt: skip
    return RedirectResponse(f"/households/{household_id}/proxies?done=granted", status_code=303)


@router.post("/households/{household_id}/proxies/{proxy_id}/revoke", dependencies=[Csrf])
def revoke_proxy(
    ctx: PageCtx, household_id: HouseholdId, proxy_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> Response:
    family_proxies.revoke(ctx, household_id, proxy_id)
    return RedirectResponse(f"/households/{household_id}/proxies?done=revoked", status_code=303)
