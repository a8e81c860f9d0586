"""Household quoting (家庭报价): one call prices every member's chosen products. Pure: no I/O, no clock.

Money is ``Decimal`` at this boundary: premiums and cash values are rounded half-up to the fen (0.01 yuan).
Modal premiums (instalments) use the market's modal factors :data:`MODAL_FACTORS` on the annual premium.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from jiabao.actuarial.cashflows import ExtraBlocks
from jiabao.actuarial.regulation import Violation, check_average_loading, check_cover_ratios, check_pricing_rate
from jiabao.actuarial.tables import TableLibrary, TableSet
from jiabao.products.catalog import Catalog
from jiabao.products.family import family_blocks
from jiabao.products.limits import (
    MemberRequest,
    ProductSelection,
    QuoteRefused,
    check_minor_death_cover,
    check_selection,
)
from jiabao.products.pricer import Points, cash_values, price_batch
from jiabao.products.schema import (
    Category,
    CiBenefit,
    DeathBenefit,
    Frequency,
    MultiStatePricing,
    Product,
    RateTablePricing,
)

FEN = Decimal("0.01")
MODAL_FACTORS: dict[Frequency, Decimal] = {
    Frequency.ANNUAL: Decimal("1"),
    Frequency.SEMI_ANNUAL: Decimal("0.52"),
    Frequency.QUARTERLY: Decimal("0.262"),
    Frequency.MONTHLY: Decimal("0.088"),
}
"""Instalment = annual premium × factor (年交 1, 半年交 0.52, 季交 0.262, 月交 0.088: common market factors)."""
INSTALMENTS_PER_YEAR = {Frequency.ANNUAL: 1, Frequency.SEMI_ANNUAL: 2, Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12}
COVER_RATIO_FROM = date(2020, 3, 1)
"""7号 item 1 (160/140/120%) is applied to life and LTC products filed from this date."""
COVER_RATIO_CATEGORIES = {Category.TERM_LIFE, Category.WHOLE_LIFE, Category.LTC}


@dataclass(frozen=True)
class CashValueRow:
    policy_year: int
    age: int  # attained age at the end of the policy year
    cash_value: Decimal


@dataclass(frozen=True)
class LineQuote:
    member_id: str
    position: int  # index of the selection in the member's request
    product_code: str
    product_version: int
    name_zh: str
    name_en: str
    sum_assured: Decimal
    cover_years: int
    payment_term: int
    frequency: Frequency
    annual_premium: Decimal
    instalment: Decimal  # at the chosen frequency
    modal_premiums: dict[Frequency, Decimal]  # instalment at every frequency the product offers
    basis: str
    average_loading: float | None
    cash_values: tuple[CashValueRow, ...]


@dataclass(frozen=True)
class MemberQuote:
    member_id: str
    lines: tuple[LineQuote, ...]
    annual_premium: Decimal


@dataclass(frozen=True)
class HouseholdQuote:
    as_of: date
    members: tuple[MemberQuote, ...]
    annual_premium: Decimal
    totals_by_frequency: dict[Frequency, Decimal]
    """Household instalment if every line were paid at that frequency (each line's own factor)."""
    chosen_instalments: dict[Frequency, Decimal]
    """Sum of instalments at the frequencies actually chosen."""
    bases: tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    member: MemberRequest
    selection: ProductSelection
    cover_years: int
    position: int


def money(value: float | Decimal) -> Decimal:
    """Half-up to the fen."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def table_set_for(product: Product, tables: TableLibrary) -> TableSet:
    """The product's named basis, else the set in force on its filing date; the parametric set if absent."""
    pricing = product.pricing
    if isinstance(pricing, MultiStatePricing) and pricing.table_set:
        return tables.by_basis(pricing.table_set)
    return tables.for_date(product.filed_on)


def quote_household(
    *,
    members: list[MemberRequest],
    catalog: Catalog,
    tables: TableLibrary,
    as_of: date,
    include_cash_values: bool = True,
    new_business: bool = True,
) -> HouseholdQuote:
    """Price every member's selections; raise :class:`QuoteRefused` for the first selection out of limits.

    ``new_business=False`` prices servicing on an existing contract (e.g. a member added to a family policy): a
    product closed to new sales stays serviceable."""
    groups: dict[str, list[_Entry]] = defaultdict(list)
    for member in members:
        for position, sel in enumerate(member.selections):
            product = catalog.get(sel.product_code)
            if product is None or product.filed_on > as_of:
                raise QuoteRefused(
                    field="product_code",
                    reason_zh=f"产品 {sel.product_code} 不存在或尚未上市",
                    reason_en=f"product {sel.product_code} does not exist or is not yet on sale",
                    member_id=member.member_id,
                    product=sel.product_code,
                )
            stopped = sale_violations(product, as_of) if new_business else []
            if stopped:
                raise QuoteRefused(
                    field="product_code",
                    reason_zh=f"{product.name_zh}已停止新单销售：{stopped[0].reason_zh}",
                    reason_en=f"{product.name_en} is closed to new business: {stopped[0].reason_en}",
                    member_id=member.member_id,
                    product=sel.product_code,
                )
            _check_rider(product, member, sel)
            groups[product.code].append(_Entry(member, sel, check_selection(product, member, sel), position))
        check_minor_death_cover(member, [(catalog.products[s.product_code], s) for s in member.selections])
    lines: list[LineQuote] = []
    for code, entries in groups.items():
        product = catalog.products[code]
        if isinstance(product.pricing, RateTablePricing):
            lines += [_rate_table_line(product, e) for e in entries]
        else:
            lines += _multistate_lines(product, entries, tables, include_cash_values)
    return _assemble(as_of, members, lines)


def sale_violations(product: Product, on: date) -> list[Violation]:
    """Why a product may not be sold new on ``on``: its pricing rate above the cap in force that day (the caps
    of 金发〔2024〕18号 and the 2025 dynamic mechanism apply to what is sold, not only to what is filed)."""
    pricing = product.pricing
    if pricing.interest <= 0:
        return []
    return check_pricing_rate(pricing.interest, pricing.interest_kind, on)


def _check_rider(product: Product, member: MemberRequest, sel: ProductSelection) -> None:
    if product.rider_of and not {s.product_code for s in member.selections} & set(product.rider_of):
        raise QuoteRefused(
            field="product_code",
            reason_zh=f"附加险 {product.name_zh} 须与主险 {', '.join(product.rider_of)} 同时投保",
            reason_en=f"rider {product.code} needs one of the main products {', '.join(product.rider_of)}",
            member_id=member.member_id,
            product=sel.product_code,
        )


def _points(product: Product, entries: list[_Entry]) -> Points:
    pricing = product.pricing
    ratings = pricing.mortality_multipliers if isinstance(pricing, MultiStatePricing) else {}
    return Points(
        issue_age=np.array([e.member.age for e in entries], dtype=np.int64),
        sex=np.array([e.member.sex.value for e in entries]),
        payment_term=np.array([e.selection.payment_term for e in entries], dtype=np.int64),
        cover_years=np.array([e.cover_years for e in entries], dtype=np.int64),
        payout_age=np.array([e.selection.payout_age or 0 for e in entries], dtype=np.int64),
        mortality_multiplier=np.array([ratings.get(e.selection.health_rating or "", 1.0) for e in entries]),
    )


def _family_extra(product: Product, entries: list[_Entry]) -> ExtraBlocks | None:
    family = product.family
    if family is None:
        return None
    first = entries[0].selection
    if len(entries) > family.max_members:
        raise _group_refusal(
            entries[0],
            "members",
            f"一张家庭保单最多 {family.max_members} 位被保险人",
            f"one family policy covers at most {family.max_members} insureds",
        )
    if any((e.selection.coverage, e.selection.payment_term) != (first.coverage, first.payment_term) for e in entries):
        raise _group_refusal(
            entries[0],
            "coverage",
            "家庭保单成员的保障期间和交费期间须一致",
            "all members of a family policy need the same cover and payment term",
        )
    relations = [e.member.relation for e in entries]
    spouse_of = [-1] * len(entries)
    if "self" in relations and "spouse" in relations:
        a, b = relations.index("self"), relations.index("spouse")
        spouse_of[a], spouse_of[b] = b, a
    return family_blocks(
        spouse_of=spouse_of, joint_multiple=family.spouse_joint_multiple, family_waiver=family.family_waiver
    )


def _group_refusal(entry: _Entry, field: str, zh: str, en: str) -> QuoteRefused:
    return QuoteRefused(
        field=field, reason_zh=zh, reason_en=en, member_id=entry.member.member_id, product=entry.selection.product_code
    )


def _multistate_lines(product: Product, entries: list[_Entry], tables: TableLibrary, with_cv: bool) -> list[LineQuote]:
    pricing = product.pricing
    assert isinstance(pricing, MultiStatePricing)
    points = _points(product, entries)
    table_set = table_set_for(product, tables)
    extra = _family_extra(product, entries)
    priced = price_batch(product, table_set, points, extra=extra)
    unit = float(pricing.rate_unit)
    cv = cash_values(product, priced, points).minimum_cash_value if with_cv else None
    lines = []
    for row, entry in enumerate(entries):
        scale = float(entry.selection.sum_assured) / unit
        annual = money(float(priced.rate[row]) * scale)
        _post_price_checks(product, entry, float(priced.average_loading[row]), annual)
        rows: tuple[CashValueRow, ...] = ()
        if cv is not None:
            values = np.round(cv[row, : entry.cover_years] * scale, 2)
            rows = tuple(
                CashValueRow(t + 1, entry.member.age + t + 1, Decimal(f"{v:.2f}"))
                for t, v in enumerate(values.tolist())
            )
        lines.append(_line(product, entry, annual, table_set.basis, float(priced.average_loading[row]), rows))
    return lines


def cover_ratio_applies(product: Product) -> bool:
    """7号 item 1 applies to term life, whole life and LTC products filed from 2020-03-01."""
    return product.category in COVER_RATIO_CATEGORIES and product.filed_on >= COVER_RATIO_FROM


def cover_multiple(product: Product) -> float:
    """The cover the 7号 ratio compares with premiums, per unit of SA: the largest death or, for LTC, first-care
    multiple."""
    multiple = max([b.sa_multiple for b in product.benefits if isinstance(b, DeathBenefit)] or [0.0])
    if product.category is Category.LTC:
        multiple = max([multiple] + [b.multiple for b in product.benefits if isinstance(b, CiBenefit)])
    return multiple


def paid_a_year(annual: Decimal, frequency: Frequency) -> Decimal:
    """Premiums actually paid in a policy year: the instalment × instalments a year (a monthly payer pays
    12 × 0.088 = 105.6% of the annual premium)."""
    return money(annual * MODAL_FACTORS[frequency]) * INSTALMENTS_PER_YEAR[frequency]


def _post_price_checks(product: Product, entry: _Entry, avg_loading: float, annual: Decimal) -> None:
    single = entry.selection.payment_term == 1
    problems = check_average_loading(avg_loading, product.business, single, product.loading_class)
    if cover_ratio_applies(product):
        years = range(1, min(entry.selection.payment_term, entry.cover_years) + 1)
        cover = [float(entry.selection.sum_assured) * cover_multiple(product)] * len(years)
        yearly = float(paid_a_year(annual, entry.selection.frequency))  # as actually paid (7号 item 1)
        paid = [yearly * t for t in years]
        problems += check_cover_ratios(cover, paid, [entry.member.age + t - 1 for t in years])
    if problems:
        raise _group_refusal(entry, problems[0].field, problems[0].reason_zh, problems[0].reason_en)


def _rate_table_line(product: Product, entry: _Entry) -> LineQuote:
    pricing = product.pricing
    assert isinstance(pricing, RateTablePricing)
    age, sel = entry.member.age, entry.selection
    band = next((b for b in pricing.bands if b.min_age <= age <= b.max_age), None)
    if band is None:
        raise _group_refusal(entry, "age", "该年龄无适用费率", "no rate for this age")
    factor = 1.0
    options = {"social_insurance": sel.social_insurance, "occupation_class": sel.occupation_class}
    for option, table in pricing.factors.items():
        value = options.get(option)
        key = str(value).lower() if isinstance(value, bool) else str(value)
        if key not in table:
            raise _group_refusal(entry, option, f"选项 {option} 的取值无适用费率", f"no rate for {option}={value}")
        factor *= table[key]
    annual = money(band.rate * Decimal(str(factor)) * sel.sum_assured / pricing.rate_unit)
    return _line(product, entry, annual, "rate-table", 1.0 - pricing.expected_loss_ratio, ())


def _line(
    product: Product,
    entry: _Entry,
    annual: Decimal,
    basis: str,
    avg_loading: float | None,
    cash: tuple[CashValueRow, ...],
) -> LineQuote:
    modal = {f: money(annual * MODAL_FACTORS[f]) for f in product.payment.frequencies}
    sel = entry.selection
    return LineQuote(
        member_id=entry.member.member_id,
        position=entry.position,
        product_code=product.code,
        product_version=product.version,
        name_zh=product.name_zh,
        name_en=product.name_en,
        sum_assured=sel.sum_assured,
        cover_years=entry.cover_years,
        payment_term=sel.payment_term,
        frequency=sel.frequency,
        annual_premium=annual,
        instalment=modal[sel.frequency],
        modal_premiums=modal,
        basis=basis,
        average_loading=avg_loading,
        cash_values=cash,
    )


def _assemble(as_of: date, members: list[MemberRequest], lines: list[LineQuote]) -> HouseholdQuote:
    by_member: dict[str, list[LineQuote]] = defaultdict(list)
    for line in sorted(lines, key=lambda x: x.position):
        by_member[line.member_id].append(line)
    quotes = tuple(
        MemberQuote(
            m.member_id,
            tuple(by_member[m.member_id]),
            sum((x.annual_premium for x in by_member[m.member_id]), Decimal("0.00")),
        )
        for m in members
    )
    totals = {f: sum((money(x.annual_premium * MODAL_FACTORS[f]) for x in lines), Decimal("0.00")) for f in Frequency}
    chosen: dict[Frequency, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line in lines:
        chosen[line.frequency] += line.instalment
    return HouseholdQuote(
        as_of=as_of,
        members=quotes,
        annual_premium=sum((q.annual_premium for q in quotes), Decimal("0.00")),
        totals_by_frequency=totals,
        chosen_instalments=dict(chosen),
        bases=tuple(sorted({line.basis for line in lines})),
    )
