"""Page texts of the family application's documents and stepped questionnaire (branch famapp), merged into
``i18n.TEXTS``."""

from __future__ import annotations

FAMAPP_TEXTS: dict[str, tuple[str, str]] = {
    "famapp.for_products": ("本次告知用于：", "These answers serve: "),
    "famapp.documents": ("阅读条款和投保须知", "Read the terms and the application notice"),
    "famapp.documents_intro": (
        "确认投保前，请逐一打开每个产品的《保险条款》和《投保须知》。您打开的内容会被记录，回访时会向您核实。",
        "Before confirming, open the terms and the application notice of each product. What you open is recorded "
        "and the return visit will ask you about it.",
    ),
    "famapp.opened": ("已阅读", "Opened"),
    "famapp.not_opened": ("未阅读", "Not opened yet"),
    "famapp.documents_left": (
        "还有产品的条款或投保须知未阅读，阅读后才能确认投保。",
        "Some terms or notices are not opened yet; you can confirm once they are.",
    ),
    "famapp.back_to_application": ("返回家庭投保单", "Back to the family application"),
}
