"""The family statement (家庭账户对账单) as a PDF (pure: same input, same bytes). The caller formats the amounts;
this module lays them out on A4 with the running head and "第 x 页 / 共 y 页" of the policy document."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from jiabao.documents.layout import FRAME_WIDTH, PageFurniture, build_pdf
from jiabao.documents.privacy import ensure_no_clear_pii
from jiabao.documents.styles import Styles, grid_style, make_styles

COLUMNS = {
    "zh": (["日期", "成员", "保单", "摘要", "收款", "付款", "累计净缴"], ["成员", "收款", "付款"]),
    "en": (["Date", "Member", "Policy", "Description", "In", "Out", "Net paid"], ["Member", "In", "Out"]),
}
TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "家庭账户对账单",
        "head": "家保人寿 · 家庭账户对账单",
        "page": "第 {page} 页 / 共 {total} 页",
        "account": "家庭账户",
        "period": "对账期间",
        "opening": "期初",
        "closing": "期末",
        "summary": "按成员汇总",
        "totals": "期初净缴 {opening}，期末净缴 {closing}，期末待缴 {outstanding}，累计豁免 {waived}",
        "reconciled": "本对账单各行与期初、期末余额核对一致。",
        "none": "本期间没有资金往来。",
    },
    "en": {
        "title": "Family account statement",
        "head": "Jiabao Life · Family account statement",
        "page": "Page {page} of {total}",
        "account": "Family account",
        "period": "Period",
        "opening": "Opening",
        "closing": "Closing",
        "summary": "By member",
        "totals": "Opening net paid {opening}, closing net paid {closing}, outstanding {outstanding}, waived {waived}",
        "reconciled": "Every line agrees with the opening and closing balances.",
        "none": "No money moved in this period.",
    },
}


@dataclass(frozen=True)
class PdfRow:
    on: str
    member: str
    policy_no: str
    description: str
    amount_in: str
    amount_out: str
    running: str


@dataclass(frozen=True)
class StatementDoc:
    account_no: str
    period: str
    opening: str
    closing: str
    outstanding: str
    waived: str
    rows: list[PdfRow]
    by_member: list[tuple[str, str, str]]
    reconciled: bool


def _p(text: str, st: Styles, *, right: bool = False, head: bool = False) -> Paragraph:
    style = st.head_cell if head else (st.cell_right if right else st.cell)
    return Paragraph(escape(ensure_no_clear_pii(text, where="statement")), style)


def _story(doc: StatementDoc, lang: str) -> list[Flowable]:
    t, st = TEXT[lang], make_styles(lang)
    story: list[Flowable] = [
        Paragraph(escape(t["title"]), st.title),
        Paragraph(escape(f"{t['account']} {doc.account_no} · {t['period']} {doc.period}"), st.subtitle),
        Paragraph(
            escape(
                t["totals"].format(
                    opening=doc.opening, closing=doc.closing, outstanding=doc.outstanding, waived=doc.waived
                )
            ),
            st.body,
        ),
        Spacer(1, 3 * mm),
    ]
    if not doc.rows:
        story.append(Paragraph(escape(t["none"]), st.body))
    else:
        rows = [[_p(c, st, head=True) for c in COLUMNS[lang][0]]]
        for r in doc.rows:
            rows.append(
                [
                    _p(r.on, st),
                    _p(r.member, st),
                    _p(r.policy_no, st),
                    _p(r.description, st),
                    _p(r.amount_in, st, right=True),
                    _p(r.amount_out, st, right=True),
                    _p(r.running, st, right=True),
                ]
            )
        widths = [x * FRAME_WIDTH for x in (0.12, 0.11, 0.19, 0.22, 0.12, 0.12, 0.12)]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(grid_style(len(rows)))
        story.append(table)
    if doc.by_member:
        story.append(Paragraph(escape(t["summary"]), st.heading))
        rows = [[_p(c, st, head=True) for c in COLUMNS[lang][1]]]
        rows += [[_p(m, st), _p(i, st, right=True), _p(o, st, right=True)] for m, i, o in doc.by_member]
        table = Table(rows, colWidths=[x * FRAME_WIDTH for x in (0.4, 0.3, 0.3)], repeatRows=1)
        table.setStyle(grid_style(len(rows)))
        story.append(table)
    if doc.reconciled:
        story += [Spacer(1, 3 * mm), Paragraph(escape(t["reconciled"]), st.body)]
    return story


def render_statement_pdf(doc: StatementDoc, *, language: str = "zh") -> bytes:
    lang = "en" if language == "en" else "zh"
    t = TEXT[lang]
    furniture = PageFurniture(
        running_head=t["head"],
        page_label=lambda page, total: t["page"].format(page=page, total=total),
        title=t["title"],
        subject=f"{doc.account_no} {doc.period}",
        language=lang,
    )
    return build_pdf(lambda: _story(doc, lang), furniture)
