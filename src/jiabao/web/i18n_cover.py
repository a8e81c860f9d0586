"""Page texts for underwriting terms and premiums (issue 9: right cover, right money), merged into ``i18n.TEXTS``."""

from __future__ import annotations

COVER_TEXTS: dict[str, tuple[str, str]] = {
    "appstatus.accepted_partly": ("核保完成，部分成员未获承保", "Underwritten; some members not accepted"),
    "cover.removed": (
        "未获承保，已从本投保单中移除，不计入保费，也不会出现在保单上。",
        "Not accepted: removed from this application, not charged and not on the policy.",
    ),
    "cover.premiums": ("保费明细", "Premiums"),
    "cover.member_annual": ("年交保费", "Annual premium"),
    "cover.member_instalment": ("每期保费", "Each instalment"),
    "cover.standard": ("标准保费", "Standard premium"),
    "cover.extra": ("加费", "Extra premium"),
    "cover.flat": ("每年另加", "Flat extra a year"),
    "cover.exclusions": ("除外责任", "Exclusions"),
    "cover.total": ("合计", "Total"),
    "cover.charged_now": ("本次应缴（首期保费）", "To pay now (first premium)"),
    "cover.end": ("保障至", "Cover until"),
    "cover.whole_life": ("终身", "Whole life"),
    "cover.declared": ("其他公司身故保额（未成年人）", "Death cover elsewhere (minors)"),
    "cover.special_terms": ("特别约定", "Special terms"),
    "uwq.extra_percent": ("加费比例（%，按险种）", "Extra premium (% by line)"),
    "uwq.exclusions": ("除外责任条款（知识库）", "Exclusion clauses (knowledge base)"),
    "uwq.terms_hint": (
        "加费承保须填写至少一个险种的加费比例；除外承保须选择除外条款；标准体承保不得附加条件。",
        "Rated needs an extra premium on at least one line; an exclusion needs a clause; standard needs neither.",
    ),
    "line.death": ("身故", "Death"),
    "line.ci": ("重疾", "Critical illness"),
    "line.medical": ("医疗", "Medical"),
    "line.accident": ("意外", "Accident"),
    "line.ltc": ("护理", "Long-term care"),
    "line.annuity": ("年金", "Annuity"),
}
