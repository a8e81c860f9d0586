"""Page furniture and the two-pass build that knows the page count for "第 x 页 / 共 y 页".

The first pass lays the story out to count pages; the second draws the same story with the total. The
footer does not change the frame, so both passes paginate identically. ``invariant`` keeps the PDF's dates
and ID fixed: the bytes depend only on the input (no clock reads).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from jiabao.documents.fonts import FONT

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN


@dataclass(frozen=True)
class PageFurniture:
    """What each page carries besides the story."""

    running_head: str
    page_label: Callable[[int, int], str]  # (page, total) -> "第 1 页 / 共 3 页"
    title: str
    subject: str
    language: str


def _decorate(furniture: PageFurniture, total: int) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setStrokeGray(0.6)
        canvas.drawString(MARGIN, height - MARGIN + 6 * mm, furniture.running_head)
        canvas.line(MARGIN, height - MARGIN + 4 * mm, width - MARGIN, height - MARGIN + 4 * mm)
        canvas.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        canvas.drawCentredString(width / 2, MARGIN - 9 * mm, furniture.page_label(doc.page, total))
        canvas.restoreState()

    return on_page


def _build(story: list[Flowable], furniture: PageFurniture, total: int) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=furniture.title,
        subject=furniture.subject,
        author="家保 Jiabao",
        creator="jiabao.documents",
        lang="zh-CN" if furniture.language == "zh" else "en",
        invariant=1,
    )
    decorate = _decorate(furniture, total)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue(), doc.page


def build_pdf(make_story: Callable[[], list[Flowable]], furniture: PageFurniture) -> bytes:
    """Lay out a fresh story twice: once to count the pages, once to print "page x of y"."""
    _, pages = _build(make_story(), furniture, total=0)
    pdf, final_pages = _build(make_story(), furniture, total=pages)
    if final_pages != pages:  # pragma: no cover - the footer never changes the frame
        raise RuntimeError("pagination changed between passes")
    return pdf
