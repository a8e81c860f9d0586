"""Household quoting: structure, modal premiums, bases, cash values, family terms and refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jiabao.actuarial.tables import PARAMETRIC_BASIS, Sex, TableLibrary, load_table_library
from jiabao.products.catalog import Catalog
from jiabao.products.limits import MemberRequest, ProductSelection, QuoteRefused
from jiabao.products.quoting import MODAL_FACTORS, HouseholdQuote, quote_household
from jiabao.products.schema import Frequency

AS_OF = date(2026, 1, 15)


def sel(code: str, sa: int, **options: object) -> ProductSelection:
    return ProductSelection(product_code=code, sum_assured=Decimal(sa), **options)  # type: ignore[arg-type]


def family_ci(**options: object) -> ProductSelection:
    return sel("family_ci", 300_000, coverage=30, payment_term=20, **options)


def household() -> list[MemberRequest]:
    return [
        MemberRequest(
            member_id="dad",
            age=35,
            sex=Sex.MALE,
            relation="self",
            selections=[
                family_ci(),
                sel("family_term_life", 1_000_000, coverage=20, payment_term=20),
                sel("medical_million", 2_000_000, social_insurance=True),
            ],
        ),
        MemberRequest(
            member_id="mum",
            age=33,
            sex=Sex.FEMALE,
            relation="spouse",
            selections=[
                family_ci(frequency=Frequency.MONTHLY),
                sel("whole_life", 500_000, payment_term=20),
                sel("accident", 500_000, occupation_class=2),
            ],
        ),
        MemberRequest(
            member_id="kid",
            age=5,
            sex=Sex.FEMALE,
            relation="child",
            selections=[
                sel("family_ci", 200_000, coverage=30, payment_term=20),  # under 10: ≤ ¥200,000 (保监发〔2015〕90号)
                sel("children_ci", 300_000, coverage=70, payment_term=20),
                sel("medical_million", 2_000_000, social_insurance=True),
            ],
        ),
        MemberRequest(
            member_id="gran",
            age=55,
            sex=Sex.FEMALE,
            relation="parent",
            selections=[
                sel("pension_annuity", 12_000, payment_term=5, payout_age=65, health_rating="impaired"),
                sel("accident", 200_000, occupation_class=1),
                sel("medical_million", 2_000_000, social_insurance=False),
            ],
        ),
    ]


def quote(library: TableLibrary, catalog: Catalog, members: list[MemberRequest]) -> HouseholdQuote:
    return quote_household(members=members, catalog=catalog, tables=library, as_of=AS_OF)


def test_household_quote_structure(library: TableLibrary, catalog: Catalog) -> None:
    result = quote(library, catalog, household())
    assert [m.member_id for m in result.members] == ["dad", "mum", "kid", "gran"]
    assert all(len(m.lines) == 3 for m in result.members)
    lines = [line for m in result.members for line in m.lines]
    assert result.annual_premium == sum(line.annual_premium for line in lines)
    for m in result.members:
        assert m.annual_premium == sum(line.annual_premium for line in m.lines)
    assert all(line.annual_premium == line.annual_premium.quantize(Decimal("0.01")) for line in lines)
    assert set(result.bases) == {"CL2010-2013+CI2006-2010", "rate-table"}
    for f in Frequency:
        expected = sum((x.annual_premium * MODAL_FACTORS[f]).quantize(Decimal("0.01")) for x in lines)
        assert result.totals_by_frequency[f] == expected
    mum_ci = result.members[1].lines[0]
    assert mum_ci.instalment == (mum_ci.annual_premium * Decimal("0.088")).quantize(Decimal("0.01"))
    assert result.chosen_instalments[Frequency.MONTHLY] == mum_ci.instalment


def test_rate_table_products(library: TableLibrary, catalog: Catalog) -> None:
    result = quote(library, catalog, household())
    dad_medical, gran_medical = result.members[0].lines[2], result.members[3].lines[2]
    assert dad_medical.annual_premium == Decimal("280.00")  # 31–35 band, socially insured
    assert gran_medical.annual_premium == Decimal("2156.00")  # 51–55 band × 2.2 without social insurance
    assert result.members[1].lines[2].annual_premium == Decimal("585.00")  # 0.90‰ × 1.3 (class 2) × 500k


def test_premiums_scale_with_sum_assured_and_cash_values(library: TableLibrary, catalog: Catalog) -> None:
    one = quote(
        library,
        catalog,
        [MemberRequest(member_id="a", age=30, sex=Sex.MALE, selections=[sel("whole_life", 100_000, payment_term=10)])],
    )
    two = quote(
        library,
        catalog,
        [MemberRequest(member_id="a", age=30, sex=Sex.MALE, selections=[sel("whole_life", 200_000, payment_term=10)])],
    )
    a, b = one.members[0].lines[0], two.members[0].lines[0]
    assert b.annual_premium == 2 * a.annual_premium
    assert len(a.cash_values) == 76 and a.cash_values[-1].age == 106
    values = [row.cash_value for row in a.cash_values]
    assert values[0] < values[9] < values[40] and values[9] < Decimal(100_000)
    assert a.cash_values[9].cash_value * 2 == pytest.approx(b.cash_values[9].cash_value, abs=Decimal("0.02"))


def test_family_terms_raise_premiums(library: TableLibrary, catalog: Catalog) -> None:
    """The whole-family waiver and the spouse joint benefit cost money: a member alone pays less."""
    family = quote(library, catalog, household())
    alone = quote(library, catalog, [MemberRequest(member_id="dad", age=35, sex=Sex.MALE, selections=[family_ci()])])
    assert alone.members[0].lines[0].annual_premium < family.members[0].lines[0].annual_premium
    without_spouse = [m for m in household() if m.member_id != "mum"]
    partial = quote(library, catalog, without_spouse)
    assert partial.members[0].lines[0].annual_premium < family.members[0].lines[0].annual_premium


def test_fallback_basis_is_named(catalog: Catalog) -> None:
    result = quote_household(members=household(), catalog=catalog, tables=load_table_library(None), as_of=AS_OF)
    assert PARAMETRIC_BASIS in result.bases
    assert all(line.basis in {PARAMETRIC_BASIS, "rate-table"} for m in result.members for line in m.lines)


def refusal(library: TableLibrary, catalog: Catalog, member: MemberRequest) -> QuoteRefused:
    with pytest.raises(QuoteRefused) as info:
        quote(library, catalog, [member])
    return info.value


@pytest.mark.parametrize(
    ("age", "selection", "field", "zh", "en"),
    [
        (70, sel("family_term_life", 500_000, coverage=10, payment_term=10), "age", "投保年龄", "issue age"),
        (30, sel("family_term_life", 9_000_000, coverage=10, payment_term=10), "sum_assured", "保险金额", "between"),
        (30, sel("family_term_life", 505_000, coverage=10, payment_term=10), "sum_assured", "递增", "steps"),
        (30, sel("family_term_life", 500_000, coverage=15, payment_term=10), "coverage", "保障期间", "coverage"),
        (30, sel("family_term_life", 500_000, coverage=10, payment_term=20), "coverage", "不得短于", "shorter"),
        (30, sel("family_term_life", 500_000, coverage=10, payment_term=7), "payment_term", "交费期间", "payment term"),
        (55, sel("whole_life", 500_000, payment_term=30), "payment_term", "交费期间", "payment term"),
        (60, sel("whole_life", 500_000, payment_term=20), "payment_term", "不得超过", "must not exceed"),
        (8, sel("whole_life", 600_000, payment_term=20), "sum_assured", "保险金额", "500000"),
        (30, sel("accident", 500_000), "occupation_class", "职业类别", "occupation class"),
        (30, sel("medical_million", 2_000_000), "social_insurance", "社会医疗保险", "socially insured"),
        (
            50,
            sel("pension_annuity", 12_000, payment_term=20, payout_age=60, health_rating="standard"),
            "payout_age",
            "领取",
            "paid up",
        ),
        (
            40,
            sel("pension_annuity", 12_000, payment_term=5, payout_age=60, health_rating="superb"),
            "health_rating",
            "健康等级",
            "health rating",
        ),
        (
            30,
            sel("accident", 500_000, occupation_class=2, frequency=Frequency.MONTHLY),
            "frequency",
            "交费频率",
            "frequency",
        ),
        (30, sel("no_such_product", 500_000), "product_code", "不存在", "does not exist"),
    ],
)
def test_out_of_limit_quotes_are_refused(
    library: TableLibrary, catalog: Catalog, age: int, selection: ProductSelection, field: str, zh: str, en: str
) -> None:
    error = refusal(library, catalog, MemberRequest(member_id="m1", age=age, sex=Sex.FEMALE, selections=[selection]))
    assert (error.field, error.member_id) == (field, "m1")
    assert zh in error.reason_zh and en in error.reason_en
    body = error.as_dict("zh")
    assert body["code"] == "quote_refused" and body["fields"][0]["field"] == field
    assert error.status == 422


def test_cover_ratio_refusal(library: TableLibrary, catalog: Catalog) -> None:
    """7号 item 1: an LTC design whose first care benefit is only 30% of SA (annuity 5% to 80) fails 140% of
    premiums paid by age 41–60; the shipped design (100%) passes for the same insured."""
    ltc = catalog.products["long_term_care"]
    lump = ltc.benefits[0].model_copy(update={"multiple": 0.3})
    lean = Catalog({"long_term_care": ltc.model_copy(update={"benefits": [lump, *ltc.benefits[1:]]})})
    member = MemberRequest(
        member_id="g", age=45, sex=Sex.FEMALE, selections=[sel("long_term_care", 100_000, coverage=80, payment_term=20)]
    )
    error = refusal(library, lean, member)
    assert error.field == "benefits" and "premiums paid" in error.reason_en and "已交保费" in error.reason_zh
    assert "below 140%" in error.reason_en
    assert quote(library, catalog, [member]).members[0].lines[0].annual_premium > 0


def test_family_policy_limits(library: TableLibrary, catalog: Catalog) -> None:
    members = [MemberRequest(member_id=f"m{k}", age=30 + k, sex=Sex.MALE, selections=[family_ci()]) for k in range(8)]
    with pytest.raises(QuoteRefused) as info:
        quote(library, catalog, members)
    assert info.value.field == "members" and "7" in info.value.reason_zh
    mixed = [
        MemberRequest(member_id="a", age=30, sex=Sex.MALE, selections=[family_ci()]),
        MemberRequest(
            member_id="b", age=30, sex=Sex.FEMALE, selections=[sel("family_ci", 300_000, coverage=20, payment_term=10)]
        ),
    ]
    with pytest.raises(QuoteRefused) as info:
        quote(library, catalog, mixed)
    assert info.value.field == "coverage"


def test_health_rating_lowers_annuity_price(library: TableLibrary, catalog: Catalog) -> None:
    prices = {}
    for rating in ("standard", "impaired", "severely_impaired"):
        result = quote(
            library,
            catalog,
            [
                MemberRequest(
                    member_id="p",
                    age=50,
                    sex=Sex.MALE,
                    selections=[sel("pension_annuity", 12_000, payment_term=10, payout_age=60, health_rating=rating)],
                )
            ],
        )
        prices[rating] = result.members[0].lines[0].annual_premium
    assert prices["standard"] > prices["impaired"] > prices["severely_impaired"]


def test_rider_needs_its_main_product(library: TableLibrary, catalog: Catalog) -> None:
    rider = sel("accident_rider", 200_000, occupation_class=1)
    error = refusal(library, catalog, MemberRequest(member_id="r", age=30, sex=Sex.MALE, selections=[rider]))
    assert error.field == "product_code" and "主险" in error.reason_zh and "main products" in error.reason_en
    with_main = [sel("family_term_life", 500_000, coverage=20, payment_term=20), rider]
    result = quote(library, catalog, [MemberRequest(member_id="r", age=30, sex=Sex.MALE, selections=with_main)])
    assert result.members[0].lines[1].annual_premium == Decimal("160.00")  # 0.80‰ × 200,000


def test_average_loading_cap_refusal(library: TableLibrary, catalog: Catalog) -> None:
    """7号 item 2: a design loading 40% of every regular premium breaks the 35% protection cap at any age."""
    term = catalog.products["family_term_life"]
    pricing = term.pricing.model_copy(update={"loadings": {k: [0.4] for k in term.payment.terms}})
    heavy = Catalog({"family_term_life": term.model_copy(update={"pricing": pricing})})
    error = refusal(
        library,
        heavy,
        MemberRequest(
            member_id="h",
            age=30,
            sex=Sex.MALE,
            selections=[sel("family_term_life", 500_000, coverage=20, payment_term=20)],
        ),
    )
    assert error.field == "pricing.loadings" and "35%" in error.reason_en and "附加费用率" in error.reason_zh
