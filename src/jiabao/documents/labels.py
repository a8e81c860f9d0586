"""Wording of the electronic policy in Chinese and English, and the small formatters it needs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jiabao.documents.model import PaymentFrequency, Term, TermKind

LANGUAGES = ("zh", "en")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "company": "家保",
        "title": "电子保险单",
        "running_head": "家保 · 电子保险单",
        "page": "第 {page} 页 / 共 {total} 页",
        "schedule": "保单信息",
        "policy_number": "保单号",
        "product": "产品名称",
        "issue_date": "签发日期",
        "cooling_off_end": "犹豫期截止日",
        "waiting_period": "等待期",
        "waiting_days": "{days} 天",
        "hotline": "客服热线",
        "policyholder": "投保人",
        "name": "姓名",
        "id_number": "证件号码",
        "insured": "被保险人",
        "relationship": "与投保人关系",
        "age": "投保年龄",
        "cover": "保障与保费",
        "special_terms": "特别约定（核保结论）",
        "sum_assured": "基本保险金额",
        "premium": "每期保费",
        "frequency": "交费方式",
        "payment_term": "交费期间",
        "cover_term": "保险期间",
        "beneficiaries": "身故保险金受益人",
        "share": "受益份额",
        "legal_heirs": "法定继承人",
        "total_for": "{frequency}合计",
        "cash_values": "现金价值表",
        "cash_values_for": "现金价值表 — 被保险人：{name}",
        "policy_year": "保单年度末",
        "age_at_year_end": "年末年龄",
        "cash_value": "现金价值（元）",
        "family_account": "家庭账户",
        "notes": "重要提示",
        "waiting_text": "本合同等待期为 {days} 天，自合同生效日起算；等待期内发生的疾病保险事故按条款约定处理。",
        "family_note": (
            "本保单已归入您的家庭账户。在「全家保障一览」中可查看每位家庭成员的保单、保障、下期保费和待办事项；"
            "家庭成员共享健康服务，理赔、保全均可在线办理，也可请家人经授权代为办理。"
        ),
        "cooling_off_text": (
            "犹豫期：自您签收本保单之日起 15 日内（至 {end}）为犹豫期。犹豫期内您可申请解除合同，"
            "我们将无息退还您所交的全部保费，仅扣除不超过 10 元的工本费，合同自始不生效。"
        ),
        "surrender_text": (
            "退保损失：犹豫期后解除合同，我们将在 30 日内退还保单的现金价值。现金价值可能低于您已交的保费，"
            "提前退保会造成损失，请参阅下方现金价值表并慎重决定。"
        ),
    },
    "en": {
        "company": "Jiabao",
        "title": "Electronic Policy",
        "running_head": "Jiabao · Electronic Policy",
        "page": "Page {page} of {total}",
        "schedule": "Policy schedule",
        "policy_number": "Policy number",
        "product": "Product",
        "issue_date": "Issue date",
        "cooling_off_end": "Cooling-off period ends",
        "waiting_period": "Waiting period",
        "waiting_days": "{days} days",
        "hotline": "Service hotline",
        "policyholder": "Policyholder",
        "name": "Name",
        "id_number": "ID number",
        "insured": "Insured members",
        "relationship": "Relationship to policyholder",
        "age": "Age at entry",
        "cover": "Cover and premiums",
        "special_terms": "Special terms (underwriting)",
        "sum_assured": "Sum assured",
        "premium": "Premium per instalment",
        "frequency": "Frequency",
        "payment_term": "Payment term",
        "cover_term": "Cover term",
        "beneficiaries": "Death benefit beneficiaries",
        "share": "Share",
        "legal_heirs": "Legal heirs",
        "total_for": "Total, {frequency}",
        "cash_values": "Cash value table",
        "cash_values_for": "Cash value table — insured: {name}",
        "policy_year": "End of policy year",
        "age_at_year_end": "Age at year end",
        "cash_value": "Cash value (CNY)",
        "family_account": "Family account",
        "notes": "Important notes",
        "waiting_text": "The waiting period is {days} days from the start of cover; illness claims arising in it are "
        "handled as the policy terms set out.",
        "family_note": (
            "This policy is part of your family account. The family overview shows every member's policies, cover, "
            "next premium and pending actions; the family shares health services, and claims and policy changes can "
            "be done online, or by a family member you authorise."
        ),
        "cooling_off_text": (
            "Cooling-off period: for 15 days from the day you receive this policy (until {end}) you may cancel it. "
            "We refund every premium paid, without interest, less a production fee of at most ¥10, and the contract "
            "is treated as never having started."
        ),
        "surrender_text": (
            "Surrender loss: if you cancel after the cooling-off period we pay the policy's cash value within 30 "
            "days. The cash value can be lower than the premiums paid, so surrendering early loses money; see the "
            "cash value table below."
        ),
    },
}

_FREQUENCY = {
    "zh": {"single": "趸交", "annual": "年交", "semi_annual": "半年交", "quarterly": "季交", "monthly": "月交"},
    "en": {"single": "single", "annual": "annual", "semi_annual": "half-yearly", "quarterly": "quarterly",
           "monthly": "monthly"},
}  # fmt: skip

_RELATIONSHIP = {
    "zh": {"self": "本人", "spouse": "配偶", "child": "子女", "parent": "父母", "grandparent": "祖父母/外祖父母",
           "grandchild": "孙子女/外孙子女", "sibling": "兄弟姐妹", "other": "其他"},
    "en": {"self": "self", "spouse": "spouse", "child": "child", "parent": "parent", "grandparent": "grandparent",
           "grandchild": "grandchild", "sibling": "sibling", "other": "other"},
}  # fmt: skip


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {LANGUAGES}")
    return language


def label(language: str, key: str, **values: object) -> str:
    text = LABELS[language][key]
    return text.format(**values) if values else text


def format_date(value: date, language: str) -> str:
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_frequency(value: PaymentFrequency, language: str) -> str:
    return _FREQUENCY[language][value.value]


def format_relationship(code: str, language: str) -> str:
    return _RELATIONSHIP[language].get(code, code)


def format_term(term: Term, language: str) -> str:
    zh = language == "zh"
    if term.kind is TermKind.YEARS:
        return f"{term.value}年" if zh else f"{term.value} years"
    if term.kind is TermKind.TO_AGE:
        return f"至{term.value}周岁" if zh else f"to age {term.value}"
    if term.kind is TermKind.WHOLE_LIFE:
        return "终身" if zh else "whole of life"
    return "一次交清" if zh else "single payment"


def format_share(share: Decimal) -> str:
    return f"{share.normalize():f}%"
