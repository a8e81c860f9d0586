"""Server-rendered SVG charts for the pages (no JavaScript). Pure: labels and values in, SVG text out."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

PALETTE = ("#1f6feb", "#d1242f", "#2da44e", "#bf8700", "#8250df", "#0a7ea4", "#cf222e", "#57606a")


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 360) -> str:
    """A horizontal bar chart: one row per item with its label, bar and value."""
    row, label_w, pad = 26, 96, 8
    height = row * len(items) + 34
    top = max((v for _, v in items), default=0) or 1
    bar_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" style="max-width:100%;height:auto">',
        f'<text x="{pad}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = 30 + i * row
        w = 0 if value <= 0 else max(2, round(bar_w * value / top))
        color = PALETTE[i % len(PALETTE)]
        shown = f"{value:g}{unit}"
        parts.append(f'<text x="{pad}" y="{y + 15}" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="16" fill="{color}" rx="2"/>')
        parts.append(
            f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12" data-value="{value:g}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
