"""Stable string codes shared by the knowledge base, the engines and their callers.

Every enum value is a lowercase ASCII code that is safe to store in a database column and to expose in the API;
integers are never used as codes.
"""

from __future__ import annotations

from enum import StrEnum


class ProductLine(StrEnum):
    """Risk lines a product can carry (险种责任); each is underwritten separately."""

    DEATH = "death"  # 寿险 (death / terminal illness)
    CI = "ci"  # 重大疾病
    MEDICAL = "medical"  # 医疗
    ACCIDENT = "accident"  # 意外
    LTC = "ltc"  # 长期护理
    ANNUITY = "annuity"  # 年金


class Channel(StrEnum):
    """Distribution channel of the application (销售渠道)."""

    ONLINE = "online"
    AGENT = "agent"
    BANK = "bank"  # 银保: concurrent-business agency such as a bank
    TELESALES = "telesales"
    PARTNER = "partner"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class PremiumMode(StrEnum):
    SINGLE = "single"  # 趸交
    REGULAR = "regular"  # 期交


class OutcomeKind(StrEnum):
    """What one rule says about one product line (the §1.3 outcome vocabulary)."""

    STANDARD = "standard"  # 标准体
    RATED = "rated"  # 加费: debits and/or flat extra
    EXCLUSION = "exclusion"  # 除外
    POSTPONE = "postpone"  # 延期
    DECLINE = "decline"  # 拒保
    REFER = "refer"  # 转人工核保


class Conclusion(StrEnum):
    """The conclusion (承保结论) for one product line of one insured person."""

    STANDARD = "standard"  # 标准体承保
    RATED = "rated"  # 加费承保
    EXCLUSION = "exclusion"  # 除外承保
    RATED_WITH_EXCLUSION = "rated_with_exclusion"  # 加费并除外承保
    PENDING_EVIDENCE = "pending_evidence"  # 需补充体检或资料
    POSTPONED = "postponed"  # 延期承保
    DECLINED = "declined"  # 拒保
    REFERRED = "referred"  # 转人工核保


class AnswerType(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    NUMBER = "number"
    DATE = "date"
    IMPAIRMENTS = "impairments"  # the list of conditions a "yes" discloses


class Evidence(StrEnum):
    """Medical and financial evidence (体检及财务资料) named by the non-medical limits grid."""

    BLOOD_URINE = "blood_urine"  # 血常规、尿常规、肝肾功能、血脂、血糖
    PARAMEDICAL = "paramedical"  # 一般体检
    ECG = "ecg"  # 心电图
    FULL_MEDICAL = "full_medical"  # 全面体检(含腹部B超)
    FINANCIAL = "financial"  # 财务问卷及收入证明
    MEDICAL_RECORDS = "medical_records"  # 病历资料


class ReasonCode(StrEnum):
    """Why a line reached its conclusion. One reason per contributing rule."""

    IMPAIRMENT = "impairment"  # a disclosed condition's answer path
    BUILD = "build"
    BLOOD_PRESSURE = "blood_pressure"
    LIPIDS = "lipids"
    SMOKING = "smoking"
    ALCOHOL = "alcohol"
    OCCUPATION = "occupation"
    PURSUIT = "pursuit"
    FAMILY_HISTORY = "family_history"
    TABLE_BEYOND_LIMIT = "table_beyond_limit"
    TABLE_SHAVE = "table_shave"
    MINOR_DEATH_CAP = "minor_death_cap"
    BANK_CHANNEL_AGE = "bank_channel_age"
    EVIDENCE_REQUIRED = "evidence_required"
    FAMILY_LIMITS = "family_limits"
    NOTHING_DISCLOSED = "nothing_disclosed"
