"""Paragraph and table styles of the policy document (one CID font, CJK line breaking for Chinese)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from jiabao.documents.fonts import register_fonts

HEADER_FILL = colors.HexColor("#E8EEF4")
ZEBRA_FILL = colors.HexColor("#F7F9FB")
GRID = colors.HexColor("#9AA5B1")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle


def make_styles(language: str) -> Styles:
    font = register_fonts()
    wrap = "CJK" if language == "zh" else None
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap=wrap, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=11, leading=16, alignment=TA_CENTER, spaceAfter=8),
        heading=ParagraphStyle(
            "heading", parent=body, fontSize=12, leading=17, spaceBefore=10, spaceAfter=5, keepWithNext=1
        ),
        body=body,
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        head_cell=ParagraphStyle("head_cell", parent=cell, textColor=colors.HexColor("#1F2D3D")),
    )


def grid_style(zebra_rows: int, *, header: bool = True) -> TableStyle:
    """Thin grid, shaded header row (repeated on every page by ``repeatRows``), light zebra striping."""
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    first = 1 if header else 0
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    commands += [("BACKGROUND", (0, row), (-1, row), ZEBRA_FILL) for row in range(first + 1, zebra_rows, 2)]
    return TableStyle(commands)
