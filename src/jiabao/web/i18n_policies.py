"""Page texts for policies, payment and the household's cover (merged into ``i18n.TEXTS``)."""

from __future__ import annotations

POLICY_TEXTS: dict[str, tuple[str, str]] = {
    "confirm.title": ("投保确认与缴费", "Confirm and pay"),
    "confirm.open": ("确认投保信息并缴费", "Confirm and pay"),
    "confirm.consents": ("需要的同意", "Consents needed"),
    "confirm.beneficiaries": ("身故受益人", "Beneficiaries"),
    "confirm.legal_heirs": ("法定继承人", "Legal heirs"),
    "confirm.named": ("指定受益人", "Named beneficiary"),
    "confirm.share": ("受益比例（%）", "Share (%)"),
    "confirm.disclosures": (
        "我已阅读并理解：犹豫期（收到保单后15日内可全额退费，仅扣除不超过10元工本费）、等待期、犹豫期后退保可能损失、"
        "现金价值表",
        "I have read and understood the cooling-off period (a full refund less at most ¥10 within 15 days of "
        "receiving the policy), the waiting period, the loss on surrender after it, and the cash-value table",
    ),
    "confirm.advice": ("适当性提示", "Suitability advice"),
    "confirm.override": ("我已了解风险，坚持投保（本人自主选择）", "I understand the risk and choose to proceed"),
    "confirm.recording": ("双录要求", "Sales recording"),
    "confirm.submit": ("确认", "Confirm"),
    "pay.title": ("缴纳首期保费", "Pay the first premium"),
    "pay.account": ("投保人本人银行卡号", "The policyholder's own bank card number"),
    "pay.amount": ("首期保费", "First premium"),
    "pay.submit": ("确认支付", "Pay"),
    "pay.done": ("缴费成功，保单已生效", "Paid — the policy is in force"),
    "policy.title": ("保单", "Policy"),
    "policy.no": ("保单号", "Policy number"),
    "policy.status": ("保单状态", "Status"),
    "policy.next_due": ("下期保费", "Next premium"),
    "policy.cooling_off_end": ("犹豫期至", "Cooling-off until"),
    "policy.document": ("查看电子保单（PDF）", "Electronic policy (PDF)"),
    "policy.waived": ("已豁免保费", "Premiums waived"),
    "policy.pending": ("待办事项", "To do"),
    "policy.none": ("暂无保单", "No policies yet"),
    "pstatus.in_force": ("有效", "In force"),
    "pstatus.in_grace": ("宽限期内", "In the grace period"),
    "pstatus.suspended": ("效力中止", "Suspended"),
    "pstatus.terminated": ("已终止", "Terminated"),
    "pstatus.cancelled": ("犹豫期撤单", "Cancelled"),
    "pstatus.surrendered": ("已退保", "Surrendered"),
    "pending.return_visit": ("完成电子回访", "Complete the return visit"),
    "pending.pay_premium": ("缴纳保费", "Pay the premium"),
    "pending.reinstate": ("申请复效", "Reinstate"),
    "household.policies": ("家庭保单", "Family policies"),
    "appstatus.awaiting_payment": ("待缴费", "Awaiting payment"),
    "appstatus.issued": ("已承保", "Issued"),
    "consent.insured_consent_interest": ("被保险人同意投保（保险利益）", "The insured consents (insurable interest)"),
    "consent.insured_consent_death_cover": (
        "被保险人同意本合同及保险金额（身故责任）",
        "The insured consents to the death cover",
    ),
    "consent.parents_consent_death_cover": (
        "父母同意为未成年人投保身故责任",
        "The parents consent to death cover for a minor",
    ),
    "consent.health_data_separate": ("单独同意处理健康信息（敏感个人信息）", "Separate consent to process health data"),
    "consent.parents_consent_under_14": (
        "监护人同意处理14周岁以下未成年人个人信息",
        "Parental consent for a child under 14",
    ),
}
