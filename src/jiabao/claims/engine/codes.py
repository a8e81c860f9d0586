"""Stable string codes of the claims engine (理赔规则引擎).

Every value is a lowercase ASCII code that is safe to store and to expose in the API; integers are never codes.
"""

from __future__ import annotations

from enum import StrEnum


class ClaimType(StrEnum):
    OUTPATIENT = "outpatient"  # 门诊
    INPATIENT = "inpatient"  # 住院
    CI_DIAGNOSIS = "ci_diagnosis"  # 重疾确诊
    ACCIDENT = "accident"  # 意外医疗/意外事故
    DEATH = "death"  # 身故
    DISABILITY = "disability"  # 伤残


MEDICAL_CLAIMS = frozenset({ClaimType.OUTPATIENT, ClaimType.INPATIENT})


class Cause(StrEnum):
    """What caused the event; accidents are exempt from the waiting period."""

    ILLNESS = "illness"
    ACCIDENT = "accident"
    SUICIDE = "suicide"  # 自杀
    SELF_INJURY = "self_injury"  # 故意自伤


class Circumstance(StrEnum):
    """Facts of the event that the standard exclusions name (重疾险 2020 §3.2; common accident clauses)."""

    POLICYHOLDER_INTENT = "policyholder_intent"  # 投保人对被保险人的故意杀害、故意伤害
    CRIME = "crime"  # 被保险人故意犯罪或抗拒依法采取的刑事强制措施
    DRUGS = "drugs"  # 吸食或注射毒品
    DRUNK_DRIVING = "drunk_driving"  # 酒后驾驶
    UNLICENSED_DRIVING = "unlicensed_driving"  # 无合法有效驾驶证驾驶
    UNLICENSED_VEHICLE = "unlicensed_vehicle"  # 驾驶无合法有效行驶证的机动车
    WAR = "war"  # 战争、军事冲突、暴乱或武装叛乱
    NUCLEAR = "nuclear"  # 核爆炸、核辐射或核污染


class Severity(StrEnum):
    REJECT = "reject"  # the benefit is not payable
    REFER = "refer"  # a person must look at it (转人工)
    INFO = "info"  # recorded for the explanation and the audit trail


class Outcome(StrEnum):
    APPROVE_STRAIGHT_THROUGH = "approve_straight_through"  # 小额快赔 / 自动通过
    CI_ADVANCE_PAYMENT = "ci_advance_payment"  # 重疾先赔 (Insurance Law art. 25)
    REFER = "refer"  # 转人工理赔
    DECLINE = "decline"  # 拒赔


class Complexity(StrEnum):
    ORDINARY = "ordinary"  # decision within 5 working days
    COMPLEX = "complex"  # decision within 30 days


class BenefitKind(StrEnum):
    MEDICAL = "medical"  # 医疗费用补偿
    CI_SEVERE = "ci_severe"  # 重度疾病保险金
    CI_MILD = "ci_mild"  # 轻度疾病保险金
    SPOUSE_JOINT = "spouse_joint"  # 夫妻同心金
    DEATH = "death"  # 身故保险金
    ACCIDENT_DEATH = "accident_death"  # 意外身故保险金
    ACCIDENT_DISABILITY = "accident_disability"  # 意外伤残保险金


class CiGrade(StrEnum):
    SEVERE = "severe"  # 重度
    MILD = "mild"  # 轻度
    NONE = "none"  # meets neither grade
    UNDETERMINED = "undetermined"  # the facts do not settle it (adjuster)


class MildCancerCase(StrEnum):
    """The exactly 6 cancers graded mild by the 2020 definitions (恶性肿瘤——轻度)."""

    THYROID_TNM_I = "thyroid_tnm_i"  # 甲状腺癌 TNM I 期 (AJCC 8th)
    PROSTATE_T1N0M0 = "prostate_t1n0m0"  # 前列腺癌 T1N0M0
    SKIN_NON_MELANOMA = "skin_non_melanoma"  # 黑色素瘤以外未发生淋巴结和远处转移的皮肤癌
    CLL_BINET_A = "cll_binet_a"  # 慢性淋巴细胞白血病 Binet A 期
    HODGKIN_ANN_ARBOR_I = "hodgkin_ann_arbor_i"  # 霍奇金淋巴瘤 Ann Arbor I 期
    NET_G1 = "net_g1"  # 未发生淋巴结和远处转移且 WHO 分级为 G1 级别的神经内分泌肿瘤


class WaiverBasis(StrEnum):
    OWN = "own"  # 被保险人本人重疾豁免
    FAMILY = "family"  # 一人确诊，全家豁免 (family policy)
    POLICYHOLDER = "policyholder"  # 投保人豁免 (the diagnosed person is the policyholder)


class ReasonCode(StrEnum):
    """Why a check said what it said. One reason per finding; all reasons are kept."""

    # policy in force
    POLICY_NOT_STARTED = "policy_not_started"
    POLICY_ENDED = "policy_ended"
    POLICY_SUSPENDED = "policy_suspended"
    POLICY_TERMINATED = "policy_terminated"
    INSURED_NOT_COVERED = "insured_not_covered"
    LINE_NOT_COVERED = "line_not_covered"
    IN_FORCE = "in_force"
    # waiting period
    WAITING_PERIOD = "waiting_period"
    WAITING_REFUND = "waiting_refund"
    WAITING_EXEMPT_ACCIDENT = "waiting_exempt_accident"
    # exclusions
    UNDERWRITING_EXCLUSION = "underwriting_exclusion"
    EXCLUSION_NOT_CAUSAL = "exclusion_not_causal"
    SUICIDE_WITHIN_2_YEARS = "suicide_within_2_years"
    SUICIDE_NO_CAPACITY = "suicide_no_capacity"
    SELF_INJURY = "self_injury"
    STANDARD_EXCLUSION = "standard_exclusion"
    # disclosure
    UNDISCLOSED_PRE_EXISTING = "undisclosed_pre_existing"
    INCONTESTABLE = "incontestable"
    DISCLOSED_ACCEPTED = "disclosed_accepted"
    # critical illness
    CI_SEVERE_MET = "ci_severe_met"
    CI_MILD_MET = "ci_mild_met"
    CI_NOT_MET = "ci_not_met"
    CI_BEHAVIOUR_NOT_COVERED = "ci_behaviour_not_covered"
    CI_ICD_O3_PREVAILS = "ci_icd_o3_prevails"
    CI_FACTS_MISSING = "ci_facts_missing"
    CI_ASSESS_TOO_EARLY = "ci_assess_too_early"
    CI_MANUAL_DEFINITION = "ci_manual_definition"
    CI_MILD_NOT_COVERED = "ci_mild_not_covered"
    CI_MILD_CAPPED = "ci_mild_capped"
    CI_NOT_COVERED_BY_PRODUCT = "ci_not_covered_by_product"
    # medical
    MEDICAL_ITEMS_NOT_COVERED = "medical_items_not_covered"
    MEDICAL_DEDUCTIBLE = "medical_deductible"
    MEDICAL_RATIO = "medical_ratio"
    MEDICAL_ANNUAL_LIMIT = "medical_annual_limit"
    MEDICAL_PAID_ELSEWHERE = "medical_paid_elsewhere"
    MEDICAL_NOTHING_PAYABLE = "medical_nothing_payable"
    # accident and death
    DISABILITY_GRADE = "disability_grade"
    DISABILITY_GRADE_MISSING = "disability_grade_missing"
    DISABILITY_MULTIPLE = "disability_multiple"
    DISABILITY_CAP = "disability_cap"
    DEATH_AFTER_CI = "death_after_ci"
    NOT_ACCIDENT = "not_accident"
    # integrity
    DUPLICATE_INVOICE = "duplicate_invoice"
    ALREADY_PAID = "already_paid"
    DOCUMENTS_MISSING = "documents_missing"
    HIGH_RISK = "high_risk"
    EARLY_CLAIM = "early_claim"
    # family
    SPOUSE_JOINT_PAYABLE = "spouse_joint_payable"
    SPOUSE_JOINT_NOT_PAYABLE = "spouse_joint_not_payable"
    WAIVER_GRANTED = "waiver_granted"
    # outcome
    ABOVE_FAST_PAY_LIMIT = "above_fast_pay_limit"
    NOT_FAST_PAY_TYPE = "not_fast_pay_type"
    NO_BENEFIT_PAYABLE = "no_benefit_payable"


class StatusKind(StrEnum):
    SUSPENDED = "suspended"  # 中止 (Insurance Law art. 36)
    REINSTATED = "reinstated"  # 复效 (art. 37)
    TERMINATED = "terminated"  # 终止、解除、退保
