"""A partner's monthly commission statement (佣金结算单) as a PDF, in Chinese. Pure: same statement, same bytes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jiabao.documents.fonts import register_fonts

COMPANY = "家保人寿保险股份有限公司"
KIND_LABELS = {
    "first_year": ("首年佣金", "First-year commission"),
    "renewal": ("续期佣金", "Renewal commission"),
    "override": ("管理津贴", "Override"),
    "persistency_13": ("13个月继续率奖金", "13th-month persistency bonus"),
    "persistency_25": ("25个月继续率奖金", "25th-month persistency bonus"),
    "quality": ("品质奖金", "Quality bonus"),
    "clawback": ("佣金追回", "Clawback"),
    "tax": ("代扣个人所得税", "Tax withheld"),
    "brought_forward": ("上月结转", "Brought forward"),
}
STATUS_ZH = {"not_run": "未计算", "running": "计算中", "computed": "待审批", "approved": "已审批", "paid": "已支付"}


@dataclass(frozen=True, slots=True)
class StatementLine:
    kind: str
    policy_no: str | None
    ref: str
    base: Decimal
    rate: Decimal
    amount: Decimal
    adjustment: bool


@dataclass(frozen=True, slots=True)
class Statement:
    partner_id: int
    partner_name: str
    month: str
    lines: list[StatementLine]
    by_kind: dict[str, Decimal]
    gross: Decimal
    tax: Decimal
    net: Decimal
    status: str  # not_run | running | computed | approved | paid

    @property
    def payable(self) -> Decimal:
        return max(Decimal("0.00"), self.net)


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def render_statement(st: Statement) -> bytes:
    font = register_fonts()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    year, month = st.month.split("-")
    story: list[Flowable] = [
        Paragraph(escape(COMPANY), body),
        Paragraph(escape(f"合伙人佣金结算单（{year}年{int(month)}月）"), title),
        Paragraph(
            escape(f"合伙人：{st.partner_name}（编号 {st.partner_id}）　状态：{STATUS_ZH.get(st.status, st.status)}"),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[str]] = [["项目", "保单号", "计算基数", "比例", "金额", "说明"]]
    for ln in st.lines:
        rows.append(
            [
                KIND_LABELS.get(ln.kind, (ln.kind, ""))[0],
                ln.policy_no or "—",
                yuan(ln.base) if ln.base else "—",
                f"{ln.rate:.2%}" if ln.rate else "—",
                yuan(ln.amount),
                "更正调整" if ln.adjustment else "",
            ]
        )
    table = Table(rows, colWidths=[34 * mm, 34 * mm, 28 * mm, 18 * mm, 28 * mm, 24 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (2, 1), (4, -1), "RIGHT"),
            ]
        )
    )
    story += [table, Spacer(1, 5 * mm)]
    for label, value in (
        ("应发合计", st.gross),
        ("代扣个人所得税", st.tax),
        ("本月净额", st.net),
        ("本月应付", st.payable),
    ):
        story.append(Paragraph(escape(f"{label}：{yuan(value)}"), body))
    if st.net < 0:
        story.append(Paragraph(escape("本月净额为负，将结转至下月抵扣。"), body))
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="合伙人佣金结算单",
        author=COMPANY,
        invariant=True,
    )
    doc.build(story)
    return out.getvalue()
