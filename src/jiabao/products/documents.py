"""What a customer must be shown before buying (产品信息披露), generated from the product file (pure).

Sources: 《人身保险产品信息披露管理办法》(银保监会令2022年第8号) arts. 12–14 — before sale the customer is shown the
terms (保险条款), the cover and the exclusions in plain, prominent words, the waiting period, the cooling-off period
(犹豫期) and the loss on surrender; 《互联网保险业务监管办法》 art. 18 and 《关于规范互联网保险销售行为可回溯管理的
通知》(银保监发〔2020〕26号) — the online sale shows the terms and the 投保须知 on pages the customer opens, and the
insurer keeps a record of what was shown. The exclusions listed are those of the industry's standard wording for
each line (中国保险行业协会示范条款): they apply to every product of that line in this catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jiabao.products.schema import (
    CiAnnuity,
    CiBenefit,
    DeathBenefit,
    MaturityBenefit,
    PremiumWaiver,
    Product,
    ProductLine,
    SurvivalBenefit,
)

DOCUMENTS = ("terms", "notice")
"""The two documents the application requires the customer to have opened: the terms (条款) and 投保须知."""


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Section:
    title: Text
    items: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class ProductSheet:
    """Everything the product page shows, in Chinese and English."""

    code: str
    version: int
    name: Text
    cover: tuple[Text, ...]
    exclusions: tuple[Text, ...]
    waiting_period_days: int
    cooling_off_days: int
    ages: Text
    amounts: Text
    coverage: Text
    payment: Text
    terms: tuple[Section, ...]
    notice: tuple[Text, ...]
    needs: tuple[str, ...]
    """Inputs a quote of this product asks for beyond member, amount and term: social_insurance,
    occupation_class, health_rating, payout_age."""


_EXCLUSIONS: dict[ProductLine, tuple[Text, ...]] = {
    ProductLine.DEATH: (
        Text("投保人对被保险人的故意杀害、故意伤害", "The policyholder's intentional killing or injury of the insured"),
        Text(
            "被保险人故意犯罪或者抗拒依法采取的刑事强制措施",
            "The insured's intentional crime or resisting lawful arrest",
        ),
        Text(
            "被保险人自本合同成立或者合同效力恢复之日起2年内自杀，但被保险人自杀时为无民事行为能力人的除外",
            "Suicide within 2 years of the contract or its reinstatement, unless the insured lacked legal capacity",
        ),
        Text("被保险人服用、吸食或注射毒品", "The insured's use of illegal drugs"),
        Text(
            "被保险人酒后驾驶、无合法有效驾驶证驾驶，或驾驶无有效行驶证的机动车",
            "Driving drunk, without a valid licence, or a vehicle without valid registration",
        ),
        Text("战争、军事冲突、暴乱或武装叛乱", "War, military conflict, riot or armed rebellion"),
        Text("核爆炸、核辐射或核污染", "Nuclear explosion, radiation or contamination"),
    ),
    ProductLine.CI: (
        Text(
            "等待期内确诊的疾病，或等待期内出现症状、体征而在等待期后确诊的疾病",
            "An illness diagnosed, or whose signs appeared, within the waiting period",
        ),
        Text("投保前已患有且未如实告知的疾病", "Conditions existing before the application that were not disclosed"),
        Text(
            "遗传性疾病、先天性畸形、变形或染色体异常（条款另有约定的除外）",
            "Hereditary diseases, congenital malformations or chromosome abnormalities "
            "(unless the terms say otherwise)",
        ),
        Text(
            "被保险人感染艾滋病病毒或患艾滋病（条款另有约定的除外）",
            "HIV infection or AIDS (unless the terms say otherwise)",
        ),
    ),
    ProductLine.MEDICAL: (
        Text(
            "等待期内发生的疾病及其治疗费用（意外伤害除外）",
            "Illness arising in the waiting period (accidents excepted)",
        ),
        Text("投保前已患有且未如实告知的疾病", "Conditions existing before the application that were not disclosed"),
        Text(
            "美容、整形、矫形、预防性治疗、康复性器具及非处方药",
            "Cosmetic and preventive treatment, aids and over-the-counter medicine",
        ),
        Text(
            "非医保定点医院或非普通部的费用（条款另有约定的除外）",
            "Costs outside designated public hospitals' general wards (unless the terms say otherwise)",
        ),
    ),
    ProductLine.ACCIDENT: (
        Text(
            "被保险人从事潜水、跳伞、攀岩、蹦极、赛车等高风险运动",
            "High-risk sports: diving, parachuting, climbing, bungee, racing",
        ),
        Text("被保险人妊娠、流产、分娩、疾病、药物过敏", "Pregnancy, miscarriage, childbirth, illness or drug allergy"),
        Text("被保险人醉酒或受酒精、毒品、管制药物的影响", "Being drunk or under the influence of drugs"),
    ),
    ProductLine.LTC: (
        Text("等待期内发生的导致护理状态的疾病", "Illness in the waiting period leading to the need for care"),
        Text(
            "精神和行为障碍（条款另有约定的除外）", "Mental and behavioural disorders (unless the terms say otherwise)"
        ),
    ),
    ProductLine.ANNUITY: (),
}


def _money(value: Decimal | float) -> str:
    return f"{Decimal(str(value)):,.0f}"


def _percent(value: float) -> str:
    return f"{Decimal(str(value)) * 100:.0f}%"


def cover_items(product: Product) -> tuple[Text, ...]:
    """The benefits (保险责任) in words, one per benefit block and the family and medical terms."""
    items: list[Text] = []
    for b in product.benefits:
        if isinstance(b, CiBenefit) and b.incidence_share < 1:
            mild = "、".join(product.ci.mild) if product.ci and product.ci.mild else "轻度疾病"
            items.append(
                Text(
                    f"轻度疾病保险金：确诊{mild}等，按基本保额的{_percent(b.multiple)}给付",
                    f"Mild illness: {_percent(b.multiple)} of the sum assured",
                )
            )
        elif isinstance(b, CiBenefit):
            count = product.ci.severe_count if product.ci else 28
            items.append(
                Text(
                    f"重大疾病保险金：确诊{count}种重度疾病之一，按基本保额的{_percent(b.multiple)}给付",
                    f"Critical illness: {_percent(b.multiple)} of the sum assured for any of {count} severe illnesses",
                )
            )
        elif isinstance(b, CiAnnuity):
            items.append(
                Text(
                    f"护理年金：进入护理状态后每年按基本保额的{_percent(b.multiple)}给付，至{b.until_age}周岁",
                    f"Care annuity: {_percent(b.multiple)} of the sum assured a year to age {b.until_age}",
                )
            )
        elif isinstance(b, SurvivalBenefit):
            start = "约定领取年龄" if b.from_age == "payout_age" else f"{b.from_age}周岁"
            start_en = "the chosen pension age" if b.from_age == "payout_age" else f"age {b.from_age}"
            items.append(
                Text(
                    f"生存保险金：自{start}起每年按基本保额的{_percent(b.multiple)}给付",
                    f"Survival benefit: {_percent(b.multiple)} of the sum assured a year from {start_en}",
                )
            )
        elif isinstance(b, DeathBenefit):
            parts_zh, parts_en = [], []
            if b.sa_multiple:
                parts_zh.append(f"基本保额的{_percent(b.sa_multiple)}")
                parts_en.append(f"{_percent(b.sa_multiple)} of the sum assured")
            if b.premium_multiple:
                parts_zh.append(f"已交保费的{_percent(b.premium_multiple)}")
                parts_en.append(f"{_percent(b.premium_multiple)} of premiums paid")
            items.append(
                Text(
                    f"身故保险金：{'与'.join(parts_zh) or '按条款约定'}",
                    f"Death benefit: {' and '.join(parts_en) or 'as the terms state'}",
                )
            )
        elif isinstance(b, PremiumWaiver):
            items.append(
                Text(
                    "保费豁免：被保险人确诊重大疾病后，免交以后各期保费，保障继续有效",
                    "Premium waiver: after a critical illness no further premiums, cover continues",
                )
            )
        elif isinstance(b, MaturityBenefit):
            items.append(
                Text(
                    "满期保险金：保险期间届满时仍生存，按条款约定给付",
                    "Maturity benefit: paid if the insured is alive at the end of cover",
                )
            )
    if product.family:
        if product.family.spouse_joint_multiple:
            items.append(
                Text(
                    f"夫妻同心金：夫妻一方首次确诊重疾，额外给付基本保额的{_percent(product.family.spouse_joint_multiple)}",
                    f"Spouse bonus: an extra {_percent(product.family.spouse_joint_multiple)} on the first "
                    "spouse's critical illness",
                )
            )
        if product.family.family_waiver:
            items.append(
                Text(
                    "全家豁免：一人确诊重疾，全家免交以后保费",
                    "Family waiver: one member's critical illness waives the whole family's premiums",
                )
            )
    if product.medical:
        m = product.medical
        items.append(
            Text(
                f"住院医疗费用：年度限额{_money(m.annual_limit)}元，年免赔额{_money(m.deductible)}元；"
                f"有社保且经社保结算报销{_percent(m.reimbursement_with_social_insurance)}，"
                f"否则报销{_percent(m.reimbursement_without_social_insurance)}",
                f"Hospital costs: annual limit ¥{_money(m.annual_limit)}, deductible ¥{_money(m.deductible)}; "
                f"{_percent(m.reimbursement_with_social_insurance)} with social insurance, "
                f"{_percent(m.reimbursement_without_social_insurance)} without",
            )
        )
    if not product.benefits:  # one-year rate-table products: the cover their category names
        items += _CATEGORY_COVER.get(product.category.value, ())
    return tuple(items)


_CATEGORY_COVER: dict[str, tuple[Text, ...]] = {
    "accident": (
        Text(
            "意外身故、伤残保险金：因意外伤害身故或伤残，按基本保额及伤残等级给付",
            "Accidental death and disability: the sum assured, by disability grade",
        ),
    ),
    "cancer": (
        Text(
            "恶性肿瘤保险金：等待期后初次确诊恶性肿瘤（重度），按基本保额给付",
            "Cancer benefit: the sum assured on a first diagnosis of a severe malignant tumour after the waiting "
            "period",
        ),
    ),
    "critical_illness": (
        Text(
            "重大疾病保险金：确诊条款所列重度疾病，按基本保额给付",
            "Critical illness: the sum assured for a listed severe illness",
        ),
    ),
}


def exclusions(product: Product) -> tuple[Text, ...]:
    """责任免除: the standard exclusions of each line the product covers, without repeats."""
    seen: dict[str, Text] = {}
    for line in product.product_lines:
        for text in _EXCLUSIONS.get(line, ()):
            seen.setdefault(text.zh, text)
    return tuple(seen.values())


def needs(product: Product) -> tuple[str, ...]:
    """What a quote of this product must ask besides member, amount and term (docs/products.md)."""
    asked = []
    if product.medical:
        asked.append("social_insurance")
    if product.occupation_classes:
        asked.append("occupation_class")
    if getattr(product.pricing, "mortality_multipliers", None):
        asked.append("health_rating")
    if product.payout_ages:
        asked.append("payout_age")
    return tuple(asked)


def _coverage(product: Product) -> Text:
    c = product.coverage
    if c.kind == "years":
        return Text("、".join(f"{y}年" for y in c.options), ", ".join(f"{y} years" for y in c.options))
    if c.kind == "to_age":
        return Text("、".join(f"至{a}周岁" for a in c.options), ", ".join(f"to age {a}" for a in c.options))
    if c.kind == "whole_life":
        return Text(f"终身（至{c.end_age}周岁）", f"Whole of life (to age {c.end_age})")
    return Text("1年（可续保）", "1 year (renewable)")


def sheet(product: Product) -> ProductSheet:
    """The product page's content (产品说明), the terms (条款) and the 投保须知, from the catalog entry."""
    a, m, p = product.ages, product.amounts, product.payment
    terms_zh = "、".join("趸交" if t == 1 else f"{t}年交" for t in p.terms)
    terms_en = ", ".join("single premium" if t == 1 else f"{t} years" for t in p.terms)
    ages = Text(f"{a.min_age}–{a.max_age}周岁", f"age {a.min_age}–{a.max_age}")
    amounts = Text(
        f"{_money(m.min)}–{_money(m.max)}元，按{_money(m.step)}元递增",
        f"¥{_money(m.min)}–{_money(m.max)} in steps of ¥{_money(m.step)}",
    )
    coverage = _coverage(product)
    payment = Text(terms_zh, terms_en)
    cover = cover_items(product)
    excluded = exclusions(product)
    waiting, cooling = product.waiting_period_days, product.free_look_days
    waiting_text = (
        Text(
            f"等待期{waiting}天：自合同生效日起{waiting}天内发生的保险事故（意外除外），我们不承担保险责任",
            f"Waiting period {waiting} days: events in the first {waiting} days (accidents excepted) are not covered",
        )
        if waiting
        else Text("本产品无等待期", "No waiting period")
    )
    cooling_text = Text(
        f"犹豫期{cooling}天：自您签收保单之日起{cooling}天内可以解除合同，我们退还全部保费（最多扣除10元工本费）",
        f"Cooling-off {cooling} days: within {cooling} days of receiving the policy you may cancel for a full refund "
        "(less at most ¥10)",
    )
    surrender = Text(
        "犹豫期后解除合同，我们退还保单的现金价值，可能少于已交保费，会有损失",
        "After the cooling-off period you get the cash value back, which may be less than you paid",
    )
    terms = (
        Section(Text("第一条 投保范围", "1. Who may apply"), (Text(f"投保年龄：{ages.zh}", f"Issue age: {ages.en}"),)),
        Section(
            Text("第二条 保险期间与交费", "2. Term and premiums"),
            (
                Text(f"保险期间：{coverage.zh}", f"Cover: {coverage.en}"),
                Text(f"交费期间：{payment.zh}", f"Payment term: {payment.en}"),
                Text(f"基本保额：{amounts.zh}", f"Sum assured: {amounts.en}"),
            ),
        ),
        Section(Text("第三条 保险责任", "3. What is covered"), cover),
        Section(Text("第四条 责任免除", "4. What is not covered (exclusions)"), excluded),
        Section(Text("第五条 等待期", "5. Waiting period"), (waiting_text,)),
        Section(Text("第六条 犹豫期与解除合同", "6. Cooling-off and cancelling"), (cooling_text, surrender)),
        Section(
            Text("第七条 如实告知", "7. Duty of disclosure"),
            (
                Text(
                    "投保人故意或因重大过失未履行如实告知义务，足以影响我们决定是否同意承保或提高保费的，"
                    "我们有权解除合同（《保险法》第十六条）",
                    "If a material fact is withheld on purpose or through gross negligence we may end the "
                    "contract (Insurance Law art. 16)",
                ),
            ),
        ),
    )
    notice = (
        Text(
            "请您仔细阅读保险条款，特别是责任免除、等待期、犹豫期和退保损失等加粗内容",
            "Please read the terms, especially the exclusions, waiting period, cooling-off and surrender loss",
        ),
        Text(
            "请如实填写健康告知，未如实告知可能导致合同被解除、不予赔付",
            "Answer the health questions truthfully: otherwise the contract may end and claims be refused",
        ),
        Text(f"投保年龄{ages.zh}；{amounts.zh}", f"Issue age {ages.en}; {amounts.en}"),
        waiting_text,
        cooling_text,
        Text(
            "投保成功后我们会对您进行回访，请留意短信",
            "After issue we will contact you for a return visit: watch for a text",
        ),
        Text(
            "本产品由家保在线销售，您可以随时致电客服热线转人工咨询",
            "Sold online by Jiabao; call the hotline at any time to talk to a person",
        ),
    )
    return ProductSheet(
        code=product.code,
        version=product.version,
        name=Text(product.name_zh, product.name_en),
        cover=cover,
        exclusions=excluded,
        waiting_period_days=waiting,
        cooling_off_days=cooling,
        ages=ages,
        amounts=amounts,
        coverage=coverage,
        payment=payment,
        terms=terms,
        notice=notice,
        needs=needs(product),
    )
