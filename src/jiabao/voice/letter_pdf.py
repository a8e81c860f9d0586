"""The complaint decision letter (投诉处理决定告知书) as a PDF, in Chinese. Pure: same input, same bytes.

CBIRC Order 2020 No. 3 art. 19: the decision states the facts found, the basis and the reasons, and tells the
complainant the remedies open to them: a review (核查) within 30 days (art. 20), mediation, arbitration or a lawsuit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from jiabao.documents.fonts import register_fonts

COMPANY = "家保人寿保险股份有限公司"
OUTCOME_ZH = {
    "upheld": "投诉成立",
    "partly_upheld": "投诉部分成立",
    "not_upheld": "投诉不成立",
    "changed": "变更原处理决定",
}


@dataclass(frozen=True, slots=True)
class LetterContent:
    kind: str  # decision | review
    ref: str
    complainant: str
    received_on: date
    decided_on: date
    category_zh: str
    outcome: str
    facts: str
    basis: str
    reasons: str
    remedy: str
    review_deadline: date | None
    hotline: str = "95xxx"


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    font = register_fonts()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    head = ParagraphStyle("head", fontName=font, fontSize=11.5, leading=17, spaceBefore=6, spaceAfter=2)
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return title, head, body


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_letter(content: LetterContent) -> bytes:
    title, head, body = _styles()
    heading = "投诉处理决定告知书" if content.kind == "decision" else "投诉核查决定告知书"
    story = [
        Paragraph(escape(f"{COMPANY}"), body),
        Paragraph(escape(heading), title),
        Paragraph(escape(f"投诉编号：{content.ref}"), body),
        Paragraph(escape(f"尊敬的{content.complainant}："), body),
        Paragraph(
            escape(
                f"我司于{_d(content.received_on)}受理您关于“{content.category_zh}”的投诉，"
                f"经调查核实，于{_d(content.decided_on)}作出处理决定如下："
            ),
            body,
        ),
        Paragraph("一、处理结论", head),
        Paragraph(escape(OUTCOME_ZH.get(content.outcome, content.outcome)), body),
        Paragraph("二、查明的事实", head),
        Paragraph(escape(content.facts), body),
        Paragraph("三、处理依据", head),
        Paragraph(escape(content.basis), body),
        Paragraph("四、处理理由", head),
        Paragraph(escape(content.reasons), body),
    ]
    if content.remedy:
        story += [Paragraph("五、处理措施", head), Paragraph(escape(content.remedy), body)]
    story.append(Paragraph("救济途径", head))
    if content.kind == "decision" and content.review_deadline is not None:
        story.append(
            Paragraph(
                escape(
                    f"如您对本处理决定有异议，可于{_d(content.review_deadline)}前（收到本告知书之日起30日内）"
                    "向我司上级机构提出核查申请；也可申请调解组织调解，或依法申请仲裁、提起诉讼。"
                ),
                body,
            )
        )
    else:
        story.append(
            Paragraph(escape("如您对本核查决定仍有异议，可申请调解组织调解，或依法申请仲裁、提起诉讼。"), body)
        )
    story += [
        Spacer(1, 8 * mm),
        Paragraph(escape(f"客服热线：{content.hotline}"), body),
        Paragraph(escape(f"{COMPANY}　{_d(content.decided_on)}"), body),
    ]
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=heading,
        author=COMPANY,
        invariant=True,
    )
    doc.build(story)
    return out.getvalue()
