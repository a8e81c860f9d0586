"""The annual ESG-style report (年度ESG报告) and the monthly complaint analysis as PDFs, in Chinese, with bar
charts (reportlab graphics), generated from the KPI and complaint queries (nothing typed in by hand)."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from jiabao.documents.fonts import register_fonts
from jiabao.reporting.kpis import annual_report
from jiabao.voice.analysis import monthly
from jiabao.voice.taxonomy import CHANNEL_ZH, LABELS_ZH, REGION_ZH

COMPANY = "家保人寿保险股份有限公司"


def _styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    return {
        "title": ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=10),
        "h": ParagraphStyle("h", fontName=font, fontSize=13, leading=19, spaceBefore=10, spaceAfter=4),
        "p": ParagraphStyle("p", fontName=font, fontSize=10, leading=15, wordWrap="CJK"),
    }


def _chart(title: str, items: list[tuple[str, float]]) -> Drawing:
    font = register_fonts()
    height = 40 + 18 * max(1, len(items))
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60, 10, 170 * mm - 110, height - 35
    chart.data = [[v for _, v in items] or [0]]
    chart.categoryAxis.categoryNames = [label for label, _ in items] or ["—"]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#b8202c")
    chart.barLabelFormat = "%g"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 10
    drawing.add(chart)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10))
    return drawing


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    font = register_fonts()
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cccccc")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2efe9")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _fmt(value: Any, unit: str) -> str:
    if value is None:
        return "暂无数据"
    if unit == "percent":
        return f"{value:.2f}%"
    if unit == "hours":
        return f"{value:g} 小时"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _build(story: list[Flowable], title: str) -> bytes:
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=COMPANY,
        invariant=True,
    )
    doc.build(story)
    return out.getvalue()


def _shares(breakdown: dict[str, dict[str, Any]], names: dict[str, str]) -> list[tuple[str, float]]:
    items = sorted(breakdown.items(), key=lambda kv: kv[1]["count"])
    return [(names.get(k, k), float(v["share"])) for k, v in items]


def esg_report(session: Session, year: int) -> bytes:
    """年度ESG报告: the year's operating figures with their definitions, and the complaint charts."""
    st = _styles()
    report = annual_report(session, year)
    kpis = report["kpis"]
    story: list[Flowable] = [
        Paragraph(escape(f"{COMPANY}"), st["p"]),
        Paragraph(escape(f"{year}年度环境、社会及治理（ESG）报告"), st["title"]),
        Paragraph(
            escape(
                f"本报告所列经营指标均由业务系统按统一口径自动计算（统计期间：{year}年1月1日至12月31日），"
                "口径定义见附表，未经人工填报。"
            ),
            st["p"],
        ),
        Paragraph("一、家庭账户与普惠保障", st["h"]),
    ]
    rows = [["指标", "数值", "分子", "分母"]]
    for code, item in kpis.items():
        if code == "complaints_total":
            continue
        rows.append(
            [
                Paragraph(escape(item["name_zh"]), st["p"]),
                _fmt(item["value"], item["unit"]),
                "—" if item["numerator"] is None else f"{item['numerator']:,}",
                "—" if item["denominator"] is None else f"{item['denominator']:,}",
            ]
        )
    story.append(_table(rows, [70 * mm, 35 * mm, 34 * mm, 34 * mm]))
    complaints = kpis["complaints_total"]
    story += [
        Paragraph("二、消费者权益保护：客户声音", st["h"]),
        Paragraph(escape(f"全年受理客户投诉 {complaints['value']} 件，按投诉类别和地区分布如下（占比，%）。"), st["p"]),
        Spacer(1, 3 * mm),
        _chart("按投诉类别（%）", _shares(complaints["by_category"], LABELS_ZH)),
        _chart("按地区（%）", _shares(complaints["by_region"], REGION_ZH)),
        Paragraph("三、指标口径", st["h"]),
    ]
    for item in kpis.values():
        definition = item["definition"]
        text = f"{item['name_zh']}：分子 — {definition['numerator']}"
        if definition["denominator"]:
            text += f"；分母 — {definition['denominator']}"
        if not item["available"]:
            text += f"（暂无数据：{item.get('reason', '')}）"
        story.append(Paragraph(escape(text), st["p"]))
    return _build(story, f"{year}年度ESG报告")


def monthly_pdf(session: Session, month: str) -> bytes:
    """月度投诉分析报告 as a PDF (the same figures as the page)."""
    st = _styles()
    r = monthly(session, month)
    year, mon = month.split("-")

    def measure(value: float | None) -> str:
        return "暂无数据" if value is None else f"{value:g}"

    story: list[Flowable] = [
        Paragraph(escape(COMPANY), st["p"]),
        Paragraph(escape(f"{year}年{int(mon)}月投诉分析报告"), st["title"]),
        Paragraph(
            escape(
                f"本月受理投诉 {r.total} 件（上月 {r.previous_total} 件），重大投诉 {r.major} 件，"
                f"老年客户投诉 {r.elderly} 件。"
            ),
            st["p"],
        ),
        _chart("按投诉类别（%）", _shares(r.by_category, LABELS_ZH)),
        _chart("按地区（%）", _shares(r.by_region, REGION_ZH)),
        Paragraph("按渠道", st["h"]),
        _table(
            [["渠道", "件数"]] + [[CHANNEL_ZH.get(k, k), str(v)] for k, v in sorted(r.by_channel.items())],
            [60 * mm, 30 * mm],
        ),
        Paragraph("监管口径指标", st["h"]),
        _table(
            [
                ["亿元保费投诉量", "万张保单投诉量", "万人次投诉量"],
                [measure(r.per_100m_premium), measure(r.per_10k_policies), measure(r.per_10k_insured)],
            ],
            [55 * mm, 55 * mm, 55 * mm],
        ),
        Paragraph("处理时效", st["h"]),
        Paragraph(
            escape(
                f"本月办结 {r.decided} 件，处理天数中位数 "
                f"{'—' if r.median_days_to_decision is None else r.median_days_to_decision:}；"
                f"超时办结 {r.decided_late} 件；超时未结 {r.overdue_open} 件。"
            ),
            st["p"],
        ),
        Paragraph("根本原因与整改跟踪", st["h"]),
    ]
    if r.actions:
        status = {"open": "整改中", "done": "已完成", None: "—"}
        rows = [["投诉编号", "根本原因", "整改措施", "状态"]] + [
            [
                a["ref"],
                Paragraph(escape(a["root_cause"] or ""), st["p"]),
                Paragraph(escape(a["action"] or ""), st["p"]),
                status.get(a["status"], str(a["status"])),
            ]
            for a in r.actions
        ]
        story.append(_table(rows, [40 * mm, 50 * mm, 60 * mm, 22 * mm]))
    else:
        story.append(Paragraph("本月无新增根本原因记录。", st["p"]))
    return _build(story, f"{month} 投诉分析报告")
