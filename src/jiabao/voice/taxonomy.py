"""The complaint vocabulary (投诉分类): channels, complainants, the regulator's issue taxonomy with sub-categories,
product lines, statuses. Pure: stable English codes stored in the database, Chinese and English labels."""

from __future__ import annotations

from enum import StrEnum

from jiabao.family.enums import Region


class Channel(StrEnum):
    """How the complaint came in (art. 8: published channels)."""

    HOTLINE = "hotline"
    ONLINE = "online"
    COUNTER = "counter"
    LETTER = "letter"
    REGULATOR = "regulator"  # forwarded by NFRA/CBIRC (12378), with the regulator's reference


class Complainant(StrEnum):
    """Who complains (art. 14: the consumer, an agent (代理人) or an heir (继承人))."""

    CUSTOMER = "customer"
    PROXY = "proxy"
    HEIR = "heir"


class Category(StrEnum):
    """The regulator's issue taxonomy (NFRA/CBIRC quarterly complaint bulletins)."""

    SALES = "sales"  # 销售纠纷
    CLAIMS = "claims"  # 理赔纠纷
    SURRENDER = "surrender"  # 退保纠纷
    UNDERWRITING = "underwriting"  # 承保纠纷
    SERVICING = "servicing"  # 保全服务
    RENEWAL = "renewal"  # 续期续保
    OTHER = "other"  # 其他


SUBCATEGORIES: dict[Category, tuple[str, ...]] = {
    Category.SALES: ("misleading", "undisclosed_terms", "unsuitable", "unauthorised"),
    Category.CLAIMS: ("declined", "slow", "amount", "documents"),
    Category.SURRENDER: ("cash_value", "cooling_off", "slow_refund"),
    Category.UNDERWRITING: ("declined", "extra_premium", "exclusion"),
    Category.SERVICING: ("change", "attitude", "online_service"),
    Category.RENEWAL: ("premium_increase", "renewal_refused", "deduction"),
    Category.OTHER: ("privacy", "marketing_calls", "other"),
}

LABELS_ZH: dict[str, str] = {
    "sales": "销售纠纷",
    "claims": "理赔纠纷",
    "surrender": "退保纠纷",
    "underwriting": "承保纠纷",
    "servicing": "保全服务",
    "renewal": "续期续保",
    "other": "其他",
    "sales.misleading": "销售误导",
    "sales.undisclosed_terms": "未说明免责条款",
    "sales.unsuitable": "产品不适当",
    "sales.unauthorised": "未经同意代签",
    "claims.declined": "拒赔争议",
    "claims.slow": "理赔时效",
    "claims.amount": "赔付金额",
    "claims.documents": "理赔材料",
    "surrender.cash_value": "退保金额（现金价值）",
    "surrender.cooling_off": "犹豫期退保",
    "surrender.slow_refund": "退费时效",
    "underwriting.declined": "拒保",
    "underwriting.extra_premium": "加费",
    "underwriting.exclusion": "除外责任",
    "servicing.change": "保全变更",
    "servicing.attitude": "服务态度",
    "servicing.online_service": "线上服务",
    "renewal.premium_increase": "续期保费调整",
    "renewal.renewal_refused": "不予续保",
    "renewal.deduction": "扣费争议",
    "other.privacy": "个人信息保护",
    "other.marketing_calls": "营销电话",
    "other.other": "其他",
}

LABELS_EN: dict[str, str] = {
    "sales": "Sales",
    "claims": "Claims",
    "surrender": "Surrender",
    "underwriting": "Underwriting",
    "servicing": "Servicing",
    "renewal": "Renewal",
    "other": "Other",
}


class ProductLine(StrEnum):
    """Product lines as the regulator's bulletins group them (life-insurer side)."""

    ORDINARY_LIFE = "ordinary_life"  # 普通寿险
    DISEASE = "disease"  # 疾病保险
    MEDICAL = "medical"  # 医疗保险
    ACCIDENT = "accident"  # 意外伤害保险
    ANNUITY = "annuity"  # 年金保险
    LONG_TERM_CARE = "long_term_care"  # 护理保险
    OTHER = "other"


PRODUCT_LINE_ZH = {
    "ordinary_life": "普通寿险",
    "disease": "疾病保险",
    "medical": "医疗保险",
    "accident": "意外伤害保险",
    "annuity": "年金保险",
    "long_term_care": "护理保险",
    "other": "其他",
}

REGION_ZH = {
    Region.EAST.value: "华东",
    Region.NORTH.value: "华北",
    Region.CENTRAL.value: "华中",
    Region.SOUTH.value: "华南",
    Region.SOUTHWEST.value: "西南",
    Region.NORTHWEST.value: "西北",
    Region.NORTHEAST.value: "东北",
}

CHANNEL_ZH = {"hotline": "客服热线", "online": "线上", "counter": "柜面", "letter": "信函", "regulator": "监管转办"}


class Status(StrEnum):
    RECEIVED = "received"  # 已受理
    IN_PROGRESS = "in_progress"  # 处理中 (routed to a handler)
    PAUSED = "paused"  # 中止计时 (appraisal or mediation)
    DECIDED = "decided"  # 已作出处理决定 (letter issued)
    UNDER_REVIEW = "under_review"  # 核查（复核）中
    CLOSED = "closed"  # 已办结 (review decided, or the review window passed)
    WITHDRAWN = "withdrawn"  # 已撤回 (art. 15: ends that day)


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.PAUSED})
STATUS_ZH = {
    "received": "已受理",
    "in_progress": "处理中",
    "paused": "中止计时",
    "decided": "已作出处理决定",
    "under_review": "核查中",
    "closed": "已办结",
    "withdrawn": "已撤回",
}


def subcategory_valid(category: Category, subcategory: str | None) -> bool:
    return subcategory is None or subcategory in SUBCATEGORIES[category]


def category_of_product(product_code: str) -> ProductLine:
    """The product line of a catalog product, from its code (the catalog's naming)."""
    code = product_code.lower()
    for key, line in (
        ("ci", ProductLine.DISEASE),
        ("critical", ProductLine.DISEASE),
        ("medical", ProductLine.MEDICAL),
        ("outpatient", ProductLine.MEDICAL),
        ("accident", ProductLine.ACCIDENT),
        ("annuity", ProductLine.ANNUITY),
        ("ltc", ProductLine.LONG_TERM_CARE),
        ("care", ProductLine.LONG_TERM_CARE),
        ("term", ProductLine.ORDINARY_LIFE),
        ("life", ProductLine.ORDINARY_LIFE),
        ("whole", ProductLine.ORDINARY_LIFE),
    ):
        if key in code:
            return line
    return ProductLine.OTHER
