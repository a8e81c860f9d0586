"""Bilingual texts of every reason code and the law or term each rests on.

A template is filled with ``str.format`` keywords; every reason is built by :func:`reason` so that no check
writes customer-facing words itself.
"""

from __future__ import annotations

from typing import NamedTuple

from jiabao.claims.engine.codes import BenefitKind, ReasonCode, Severity
from jiabao.claims.engine.results import Reason


class Bi(NamedTuple):
    """A parameter with a Chinese and an English value (e.g. a disease name)."""

    zh: str
    en: str


C = ReasonCode
_LAW = "Insurance Law"
_CI = "CI definitions 2020 (重大疾病保险的疾病定义使用规范2020年修订版)"

TEXTS: dict[ReasonCode, tuple[str, str, str]] = {
    C.POLICY_NOT_STARTED: (
        "出险日{day}保单尚未生效（生效日{start}）",
        "the event ({day}) is before cover started ({start})",
        "policy terms",
    ),
    C.POLICY_ENDED: (
        "出险日{day}保单保障已结束（满期日{end}）",
        "the event ({day}) is after cover ended ({end})",
        "policy terms",
    ),
    C.POLICY_SUSPENDED: (
        "出险日{day}保单处于效力中止状态（{since}起中止）",
        "the policy was suspended on {since}, before the event ({day})",
        f"{_LAW} art. 36",
    ),
    C.POLICY_TERMINATED: (
        "保单已于{since}终止",
        "the policy ended on {since}, before the event ({day})",
        "policy terms",
    ),
    C.INSURED_NOT_COVERED: (
        "出险日{day}该被保险人不在本保单保障范围内",
        "the person was not insured under this policy on {day}",
        "policy terms",
    ),
    C.LINE_NOT_COVERED: ("本保单不承担此类理赔责任", "this policy does not cover this kind of claim", "policy terms"),
    C.IN_FORCE: ("出险日保单有效", "the policy was in force on the event date", "policy terms"),
    C.WAITING_PERIOD: (
        "出险日{day}在等待期内（{days}天，自{start}起算）",
        "the event ({day}) is within the {days}-day waiting period from {start}",
        "Health Insurance Measures 2019 art. 27; policy terms",
    ),
    C.WAITING_REFUND: (
        "等待期内确诊：按合同约定退还已交保费，本保单对该被保险人的该项责任终止",
        "diagnosed in the waiting period: premiums are refunded as the contract says and this cover ends",
        "policy terms",
    ),
    C.WAITING_EXEMPT_ACCIDENT: ("意外事故不适用等待期", "accidents have no waiting period", "policy terms"),
    C.UNDERWRITING_EXCLUSION: (
        "诊断{icd}属于承保时约定的除外责任：{text}",
        "diagnosis {icd} is excluded at underwriting: {text}",
        "underwriting exclusion on the policy",
    ),
    C.EXCLUSION_NOT_CAUSAL: (
        "诊断{icd}属于除外责任（{text}），但并非本次理赔的原因，不影响赔付",
        "diagnosis {icd} is excluded ({text}) but did not cause this claim, so it does not affect payment",
        "policy terms (exclusions apply to losses the excluded condition caused); SPC Interp. III art. 25",
    ),
    C.SUICIDE_WITHIN_2_YEARS: (
        "被保险人于合同成立或复效之日（{start}）起2年内自杀",
        "suicide within 2 years of formation or reinstatement ({start})",
        f"{_LAW} art. 44; {_CI} §3.2 (3)",
    ),
    C.SUICIDE_NO_CAPACITY: (
        "被保险人自杀时为无民事行为能力人，不适用自杀免责",
        "the insured lacked civil capacity, so the suicide exclusion does not apply",
        f"{_LAW} art. 44",
    ),
    C.SELF_INJURY: ("被保险人故意自伤", "intentional self-injury", f"{_CI} §3.2 (3)"),
    C.STANDARD_EXCLUSION: ("属于责任免除：{text}", "excluded: {text}", "{source}"),
    C.UNDISCLOSED_PRE_EXISTING: (
        "诊断{icd}为投保前已患疾病（{first}）且未如实告知，需人工核实",
        "diagnosis {icd} existed before cover ({first}) and was not disclosed; an adjuster must check",
        f"{_LAW} art. 16; SPC Interp. II art. 8",
    ),
    C.INCONTESTABLE: (
        "合同成立已满2年，不得以未如实告知解除合同",
        "the contract is over 2 years old: non-disclosure can no longer void it",
        f"{_LAW} art. 16 (incontestability)",
    ),
    C.DISCLOSED_ACCEPTED: (
        "投保时已告知{icd}且已承保",
        "{icd} was disclosed at application and accepted",
        f"{_LAW} art. 16",
    ),
    C.CI_SEVERE_MET: ("符合重度疾病定义：{name}", "meets the severe definition: {name}", _CI),
    C.CI_MILD_MET: ("符合轻度疾病定义：{name}", "meets the mild definition: {name}", _CI),
    C.CI_NOT_MET: ("未达到{name}的定义标准：{detail}", "does not meet the definition of {name}: {detail}", _CI),
    C.CI_BEHAVIOUR_NOT_COVERED: (
        "ICD-O-3 动态编码为{behaviour}（良性、交界性或原位），不属于重度或轻度恶性肿瘤",
        "ICD-O-3 behaviour {behaviour} (benign, uncertain or in situ) is covered by neither grade",
        f"{_CI}, 恶性肿瘤",
    ),
    C.CI_ICD_O3_PREVAILS: (
        "ICD-10（{icd}）与 ICD-O-3 动态编码（{behaviour}）不一致，以 ICD-O-3 为准",
        "ICD-10 ({icd}) and ICD-O-3 behaviour ({behaviour}) disagree; ICD-O-3 prevails",
        f"{_CI}, 恶性肿瘤",
    ),
    C.CI_FACTS_MISSING: (
        "缺少判定{name}所需的资料：{detail}",
        "facts needed to grade {name} are missing: {detail}",
        _CI,
    ),
    C.CI_ASSESS_TOO_EARLY: (
        "{name}须在确诊{days}天后评定，目前尚不能确定",
        "{name} is assessed {days} days after diagnosis; not yet determinable",
        _CI,
    ),
    C.CI_MANUAL_DEFINITION: (
        "{name}由理赔人员按定义人工审核",
        "{name} is checked against its definition by an adjuster",
        _CI,
    ),
    C.CI_MILD_NOT_COVERED: (
        "本产品不保障轻度疾病：{name}",
        "this product does not cover the mild disease {name}",
        "policy terms",
    ),
    C.CI_MILD_CAPPED: (
        "轻度疾病保额按重度保额的{ratio}封顶",
        "the mild benefit is capped at {ratio} of the severe cover",
        f"{_CI}, item 2",
    ),
    C.CI_NOT_COVERED_BY_PRODUCT: ("本保单不保障重大疾病", "this policy has no critical-illness cover", "policy terms"),
    C.MEDICAL_ITEMS_NOT_COVERED: (
        "不属于保障范围的费用¥{amount}不予赔付",
        "¥{amount} of items the contract does not cover",
        "policy terms",
    ),
    C.MEDICAL_DEDUCTIBLE: ("扣除免赔额¥{amount}（{scope}）", "deductible ¥{amount} applied ({scope})", "policy terms"),
    C.MEDICAL_RATIO: ("赔付比例{ratio}（{si}）", "reimbursement ratio {ratio} ({si})", "policy terms"),
    C.MEDICAL_ANNUAL_LIMIT: (
        "已达年度限额，按剩余额度¥{amount}赔付",
        "annual limit reached: ¥{amount} left",
        "policy terms",
    ),
    C.MEDICAL_PAID_ELSEWHERE: (
        "其他保单已赔付¥{amount}，补偿型医疗保险赔付不超过实际费用",
        "¥{amount} already paid by earlier policies; indemnity never exceeds the cost",
        "Health Insurance Measures 2019 arts. 5, 25",
    ),
    C.MEDICAL_NOTHING_PAYABLE: ("扣除后无可赔付金额", "nothing is left to pay after deductions", "policy terms"),
    C.DISABILITY_GRADE: (
        "伤残等级{grade}级，给付保额的{ratio}",
        "disability grade {grade}: {ratio} of the sum assured",
        "人身保险伤残评定标准 JR/T 0083-2013",
    ),
    C.DISABILITY_GRADE_MISSING: (
        "缺少伤残鉴定等级",
        "the disability grade is missing",
        "人身保险伤残评定标准 JR/T 0083-2013",
    ),
    C.DISABILITY_MULTIPLE: (
        "多处伤残，按最重等级先行计算，需人工复核晋级规则",
        "several disabilities: computed on the most severe grade; an adjuster applies the combination rule",
        "JR/T 0083-2013",
    ),
    C.DISABILITY_CAP: (
        "累计伤残给付以保额为限",
        "disability payments together are capped at the sum assured",
        "policy terms",
    ),
    C.DEATH_AFTER_CI: (
        "已给付重大疾病保险金，身故保险金不再给付",
        "a CI benefit was paid, so the death benefit is not payable",
        "policy terms",
    ),
    C.NOT_ACCIDENT: ("非意外原因，不属于意外险责任", "not caused by an accident", "policy terms"),
    C.DUPLICATE_INVOICE: (
        "发票{invoice}已在以往理赔中使用",
        "invoice {invoice} was presented in an earlier claim",
        "claims integrity",
    ),
    C.ALREADY_PAID: (
        "{benefit_name}已给付过，不重复给付",
        "{benefit_name} was already paid; no double payment",
        "policy terms",
    ),
    C.DOCUMENTS_MISSING: (
        "尚缺理赔资料：{names}",
        "documents still missing: {names}",
        "Basic Service Rules 2010 art. 22",
    ),
    C.HIGH_RISK: (  # customers see this: neutral, no tipping off (AML Law art. 35); the score is on /risk/claims
        "本案需由理赔人员进一步审核",
        "the claim needs a further check by an adjuster",
        "CIRC small-claim guideline 2015",
    ),
    C.EARLY_CLAIM: ("保障开始后{days}天内出险", "the event came {days} days after cover started", "claims practice"),
    C.SPOUSE_JOINT_PAYABLE: (
        "配偶同为本保单被保险人且未患重疾，给付夫妻同心金",
        "the spouse is also insured and has had no severe CI: joint spouse benefit payable",
        "policy terms (family.spouse_joint_multiple)",
    ),
    C.SPOUSE_JOINT_NOT_PAYABLE: (
        "不给付夫妻同心金：{detail}",
        "no joint spouse benefit: {detail}",
        "policy terms (family.spouse_joint_multiple)",
    ),
    C.WAIVER_GRANTED: (
        "保单{policy}自{day}后的保费予以豁免",
        "premiums of policy {policy} due after {day} are waived",
        "policy terms (premium waiver)",
    ),
    C.ABOVE_FAST_PAY_LIMIT: (
        "赔付金额¥{amount}超过小额快赔上限¥{limit}，转人工审核",
        "¥{amount} is above the fast-pay limit ¥{limit}; an adjuster decides",
        "CIRC small-claim guideline 2015",
    ),
    C.NOT_FAST_PAY_TYPE: (
        "此类理赔须人工审核",
        "this kind of claim is decided by an adjuster",
        "CIRC small-claim guideline 2015",
    ),
    C.NO_BENEFIT_PAYABLE: (
        "没有可承担此次理赔的保障责任",
        "no cover in the household applies to this claim",
        "policy terms",
    ),
}


def reason(
    code: ReasonCode,
    severity: Severity,
    rule: str,
    *,
    policy_id: str | None = None,
    benefit: BenefitKind | None = None,
    **params: object,
) -> Reason:
    """Build a :class:`Reason` from the templates; ``params`` fill the ``{placeholders}``."""
    zh, en, source = TEXTS[code]
    in_zh = {k: v.zh if isinstance(v, Bi) else v for k, v in params.items()}
    in_en = {k: v.en if isinstance(v, Bi) else v for k, v in params.items()}
    return Reason(
        code=code,
        severity=severity,
        rule=rule,
        source=source.format(**in_en),
        text_zh=zh.format(**in_zh),
        text_en=en.format(**in_en),
        policy_id=policy_id,
        benefit=benefit,
    )
