"""Labelled complaint texts for the classifier's cold start and for its held-out test (pure, deterministic).

The platform trains on the complaints its staff have confirmed; until there are enough, these generated texts —
phrases complainants use for each sub-category, in varied sentences — stand in. Different seeds give different
sentences, so a model trained on one seed is tested on texts it has not seen."""

from __future__ import annotations

import random

PHRASES: dict[str, tuple[str, ...]] = {
    "sales.misleading": (
        "业务员说这是存款",
        "销售时承诺高收益",
        "说保证收益结果没有",
        "说随时可以取钱",
        "把保险说成理财产品",
        "夸大收益误导我购买",
    ),
    "sales.undisclosed_terms": (
        "没有告诉我免责条款",
        "投保时没说明等待期",
        "免责条款没有解释",
        "没讲清楚保险责任",
        "条款说明不到位",
    ),
    "sales.unsuitable": (
        "给七十岁老人卖了长期产品",
        "收入很低却推荐高额保单",
        "产品不适合我的情况",
        "风险承受能力评估走过场",
    ),
    "sales.unauthorised": ("不是本人签字", "代签了投保单", "未经我同意投保", "冒用我的名义签名"),
    "claims.declined": ("理赔被拒绝", "拒赔理由不合理", "说不在保险责任范围拒赔", "以既往症为由拒赔", "不予赔付"),
    "claims.slow": ("理赔拖了很久没结果", "理赔款迟迟不到账", "理赔进度太慢", "超过时限还没赔付", "一直说在审核"),
    "claims.amount": ("赔付金额太少", "理赔金额算错了", "只赔了一部分", "扣除了不该扣的费用", "免赔额计算有误"),
    "claims.documents": ("反复要求补交材料", "理赔材料要得太多", "让我提供已经交过的资料", "单据要求不清楚"),
    "surrender.cash_value": ("退保只退了一点钱", "现金价值太低", "退保损失太大", "退保金额和说的不一样"),
    "surrender.cooling_off": ("犹豫期内退保不给全额", "犹豫期退保被扣钱", "十五天内要求退保被拒"),
    "surrender.slow_refund": ("退保款很久没到账", "退费一直没有处理", "退保申请没人受理"),
    "underwriting.declined": ("被拒保了", "核保不通过", "不给承保没有理由", "因为体检结果拒绝投保"),
    "underwriting.extra_premium": ("核保要加费", "加费太多不合理", "保费被上调加费承保"),
    "underwriting.exclusion": ("核保加了除外责任", "除外条款不合理", "把我的病除外了"),
    "servicing.change": ("变更受益人办不了", "修改银行账号一直失败", "地址变更没有处理", "保全变更太麻烦"),
    "servicing.attitude": ("客服态度很差", "柜面人员不耐烦", "电话一直打不通", "工作人员态度恶劣"),
    "servicing.online_service": ("手机上办不了业务", "线上保全系统出错", "网上操作一直报错", "APP无法登录办理"),
    "renewal.premium_increase": ("续保保费涨了很多", "续期保费上调没通知", "保费突然涨价"),
    "renewal.renewal_refused": ("不给续保", "到期后拒绝续保", "续保被停售"),
    "renewal.deduction": ("重复扣了保费", "没通知就从卡里扣款", "续期扣费金额不对", "多扣了一期保费"),
    "other.privacy": ("个人信息被泄露", "我的电话被别人知道", "信息被拿去营销", "身份证信息泄露"),
    "other.marketing_calls": ("总是打电话推销", "营销电话太多", "骚扰电话推销保险", "每天收到推销短信"),
    "other.other": ("其他问题", "公众号信息有误", "宣传资料印刷错误", "活动礼品没有发放"),
}

OPENERS = ("我要投诉，", "本人反映：", "您好，", "投诉：", "我父亲的保单，", "家里人的保单", "我想反映一下，", "")
LINKS = ("而且", "同时", "另外", "还有就是", "，", "。")
CLOSERS = ("，希望尽快处理。", "，请给个说法。", "，要求赔偿损失。", "。", "，非常不满意！", "，请核实。", "")
NOISE = ("上个月", "去年", "在北京", "在医院", "打了好几次电话", "孩子生病后", "今年三月", "我母亲", "网点", "合同")


def generate(n: int, *, seed: int, unseen: bool | None = None) -> tuple[list[str], list[str]]:
    """``n`` complaint texts with their labels (``category.subcategory``), round-robin over the labels.

    ``unseen=False`` uses every phrase of a label but its last; ``unseen=True`` only the last one: a model trained
    on the first is tested on wording it has never seen (a harder held-out set than new sentences alone)."""
    rng = random.Random(seed)
    labels = sorted(PHRASES)
    texts, out = [], []
    for i in range(n):
        label = labels[i % len(labels)]
        phrases = PHRASES[label]
        if unseen is not None:
            phrases = phrases[-1:] if unseen else phrases[:-1]
        parts = [rng.choice(OPENERS), rng.choice(NOISE), rng.choice(phrases)]
        if rng.random() < 0.6:
            parts += [rng.choice(LINKS), rng.choice(phrases)]
        if rng.random() < 0.3:
            parts += [rng.choice(LINKS), rng.choice(NOISE)]
        parts.append(rng.choice(CLOSERS))
        texts.append("".join(parts))
        out.append(label)
    return texts, out
