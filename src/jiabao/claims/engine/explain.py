"""Plain-language explanations (理赔结论说明) and the rejection notice (拒赔通知书), in Chinese and English."""

from __future__ import annotations

from datetime import date

from jiabao.claims.engine.codes import Outcome, Severity
from jiabao.claims.engine.facts import ClaimCase
from jiabao.claims.engine.money import total
from jiabao.claims.engine.results import PayableLine, Reason, RejectionNotice

_HEAD = {
    Outcome.APPROVE_STRAIGHT_THROUGH: (
        "您的理赔申请已自动审核通过，应赔付¥{amount}，将支付至被保险人或受益人本人账户。",
        "Your claim was approved automatically: ¥{amount} will be paid to the insured's or beneficiary's own account.",
    ),
    Outcome.CI_ADVANCE_PAYMENT: (
        "重大疾病已确诊，依据《保险法》第二十五条先行赔付¥{advance}，其余部分继续审核。",
        "The critical illness is confirmed: ¥{advance} is paid in advance (Insurance Law art. 25); "
        "the rest of the claim continues.",
    ),
    Outcome.REFER: (
        "您的理赔申请将由理赔人员审核，目前可确定的金额为¥{amount}。",
        "An adjuster will review your claim; the amount determinable so far is ¥{amount}.",
    ),
    Outcome.DECLINE: (
        "很抱歉，您的理赔申请不符合赔付条件。",
        "We are sorry: the claim does not meet the conditions for payment.",
    ),
}
_REVIEW_ZH = (
    "本结论由系统依据理赔规则作出，您有权要求说明并申请人工复核；如有异议，也可向国家金融监督管理总局派出机构投诉。"
)
_REVIEW_EN = (
    "This decision was made by the system under the claims rules. You may ask for an explanation and for a review "
    "by a person (PIPL art. 24), or complain to the local office of the NFRA."
)
APPEAL_ZH = (
    "如有异议，您可以在理赔页面或拨打客服热线申请复核并补充材料，也可以向国家金融监督管理总局派出机构投诉，"
    "或依法申请仲裁、向人民法院提起诉讼（人寿保险诉讼时效五年，《保险法》第二十六条）。"
)
APPEAL_EN = (
    "If you disagree, ask for a review on the claim page or through the hotline and send further documents; you may "
    "also complain to the local NFRA office, apply for arbitration or sue in a people's court (limitation period "
    "5 years for life insurance, Insurance Law art. 26)."
)


def _key_reasons(reasons: list[Reason]) -> list[Reason]:
    return [r for r in reasons if r.severity is not Severity.INFO]


def explain(outcome: Outcome, lines: list[PayableLine], reasons: list[Reason]) -> tuple[str, str]:
    """One paragraph per language: the conclusion, each payable line, then the reasons that decided it."""
    amount = total(ln.amount for ln in lines)
    advance = total(ln.amount for ln in lines if ln.advance)
    zh, en = (t.format(amount=amount, advance=advance) for t in _HEAD[outcome])
    parts_zh, parts_en = [zh], [en]
    for ln in lines:
        parts_zh.append(f"{ln.text_zh} = ¥{ln.amount}")
        parts_en.append(f"{ln.text_en} = ¥{ln.amount}")
    for r in _key_reasons(reasons):
        parts_zh.append(r.text_zh)
        parts_en.append(r.text_en)
    return "；".join(parts_zh) + "。", "; ".join(parts_en) + "."


def held_for_review(lines: list[PayableLine], reasons: list[Reason]) -> tuple[str, str]:
    """The text of a claim the engine would pay but that the screening of the payee or insured holds before
    payment: word for word the text of an ordinary referral, so the customer is told it is under review and
    nothing more — never "approved", never why (AML Law 2024 art. 35: no tipping off; docs/risk.md)."""
    return explain(Outcome.REFER, lines, reasons)


def rejection_notice(case: ClaimCase, lines: list[PayableLine], reasons: list[Reason]) -> RejectionNotice | None:
    """The notice for every policy rejected outright (and for the claim if nothing is payable); None if none.

    Sent within 3 days of the decision with the reasons (Insurance Law art. 24).
    """
    paying = {ln.policy_id for ln in lines}
    rejects = [
        r for r in reasons if r.severity is Severity.REJECT and (r.policy_id is None or r.policy_id not in paying)
    ]
    if not rejects or (paying and all(r.policy_id is None for r in rejects)):
        return None
    policies = tuple(dict.fromkeys(r.policy_id for r in rejects if r.policy_id is not None))
    claim = case.claim
    items_zh = "".join(f"\n{i}. {r.text_zh}（依据：{r.source}）" for i, r in enumerate(rejects, 1))
    items_en = "".join(f"\n{i}. {r.text_en} (basis: {r.source})" for i, r in enumerate(rejects, 1))
    scope_zh = "、".join(policies) if policies else "本次申请"
    scope_en = ", ".join(policies) if policies else "this claim"
    text_zh = (
        f"拒绝赔付通知书\n您于{claim.report_date}提交的理赔申请（案件号{claim.claim_id}）经审核，"
        f"保单{scope_zh}项下不予赔付，理由如下：{items_zh}\n"
        f"根据《中华人民共和国保险法》第二十四条，特此通知。{_REVIEW_ZH}\n{APPEAL_ZH}"
    )
    text_en = (
        f"Notice of rejection\nYour claim {claim.claim_id} reported on {claim.report_date} is not payable under "
        f"{scope_en}, for these reasons:{items_en}\nSent under Insurance Law art. 24. {_REVIEW_EN}\n{APPEAL_EN}"
    )
    return RejectionNotice(
        claim_id=claim.claim_id, policy_ids=policies, reasons=tuple(rejects), text_zh=text_zh, text_en=text_en
    )


def adjuster_rejection_notice(claim_no: str, reported_on: date, reason_text: str) -> tuple[str, str]:
    """The notice of an adjuster's decline (Insurance Law art. 24): the adjuster's reasons and the appeal route."""
    zh = (
        f"拒绝赔付通知书\n您于{reported_on}提交的理赔申请（案件号{claim_no}）经理赔人员审核，不予赔付，理由如下："
        f"\n{reason_text}\n根据《中华人民共和国保险法》第二十四条，特此通知。\n{APPEAL_ZH}"
    )
    en = (
        f"Notice of rejection\nYour claim {claim_no} reported on {reported_on} was reviewed by an adjuster and is not "
        f"payable, for this reason:\n{reason_text}\nSent under Insurance Law art. 24.\n{APPEAL_EN}"
    )
    return zh, en
