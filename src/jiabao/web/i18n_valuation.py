"""Page texts for the valuation of the book in force (精算评估), merged into ``i18n.TEXTS``."""

from __future__ import annotations

VALUATION_TEXTS: dict[str, tuple[str, str]] = {
    "nav.valuation": ("精算评估", "Valuation"),
    "val.title": ("有效业务精算评估", "Valuation of the book in force"),
    "val.none": ("尚无评估结果。请运行 jiabao valuation run。", "No valuation yet. Run jiabao valuation run."),
    "val.run": ("评估批次", "Run"),
    "val.date": ("评估日", "valuation date"),
    "val.assumptions": ("假设版本", "assumptions"),
    "val.executor": ("执行方式", "executor"),
    "val.policies": ("件保单", "policies"),
    "val.statutory": ("法定准备金", "Statutory reserve"),
    "val.pvr": ("保单价值准备金", "Policy value reserve"),
    "val.cash_value": ("现金价值", "Cash value"),
    "val.bel": ("未来现金流现值（BEL）", "Best-estimate liability"),
    "val.ra": ("非金融风险调整", "Risk adjustment"),
    "val.csm": ("合同服务边际（初始确认）", "CSM at initial recognition"),
    "val.loss": ("亏损部分（初始确认）", "Loss component at initial recognition"),
    "val.by_product": ("按产品", "By product"),
    "val.product": ("产品", "Product"),
    "val.bel_change": ("BEL 较上期变动", "BEL change from the previous run"),
    "val.new": ("新增", "new"),
    "val.chart_reserves": (
        "各产品法定准备金（蓝）与履约现金流 BEL+RA（橙）",
        "Statutory reserve (blue) and fulfilment cash flows BEL+RA (orange) by product",
    ),
    "val.movement": ("较上期变动分析", "Movement from the previous run"),
    "val.first_run": ("这是第一次评估，尚无上期可比。", "This is the first run; there is nothing to compare with."),
    "val.compared_with": ("对比上期评估批次", "Compared with run"),
    "val.new_business": ("新业务", "New business"),
    "val.exits": ("退出（满期、退保、理赔终止）", "Exits (maturity, surrender, claims)"),
    "val.continuing": ("持续有效保单的变动", "Change on continuing policies"),
    "val.by_cohort": ("按年度组合（合同组）", "By annual cohort (groups of contracts)"),
    "val.cohort": ("签发年度", "Issue year"),
    "val.chart_cohorts": ("各年度合同服务边际（绿）与亏损部分（红）", "CSM (green) and loss component (red) by cohort"),
    "val.method_note": (
        "方法与假设见 docs/valuation.md：法定准备金为一年期完全修正准备金且不低于现金价值；BEL 以 750 日移动平均"
        "国债收益率曲线加综合溢价折现；风险调整采用边际法。",
        "Method and assumptions in docs/valuation.md: statutory reserve = full preliminary term, at least the cash "
        "value; BEL discounted on the 750-day average government curve plus a premium; risk adjustment by a margin "
        "method.",
    ),
    "val.runs": ("历次评估", "Runs"),
}
