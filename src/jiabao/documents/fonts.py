"""The document font: reportlab's built-in CID font ``STSong-Light``.

A CID font needs no font file (the PDF names the Adobe-GB1 font and viewers supply it), so rendering works
the same on every machine, and pypdf extracts the Chinese text back faithfully through the UniGB-UCS2-H
encoding. It also carries Latin letters, digits and ``¥``, so one font serves both languages.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"


def register_fonts() -> str:
    """Register the CID font once per process (idempotent) and return its name."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT
