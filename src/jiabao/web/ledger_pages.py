"""The family statement page (家庭账户对账单) and its PDF."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.core.money import from_fen
from jiabao.ledger import statement as ledger_statement
from jiabao.ledger.statement import Statement, StatementRow
from jiabao.ledger.statement_pdf import PdfRow, StatementDoc, render_statement_pdf
from jiabao.web.deps import PageCtx, language, render
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
