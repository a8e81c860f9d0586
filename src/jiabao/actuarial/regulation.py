"""Chinese pricing rules as data and pure checks. Each check returns :class:`Violation` s (empty = compliant).

Sources (see ``docs/products.md`` and the research note): 保监发〔2013〕62号, 金发〔2024〕18号, the 2025-09-01
cap cut; 银保监办发〔2020〕7号《普通型人身保险精算规定》items 1–3;
《重大疾病保险的疾病定义使用规范（2020年修订版）》 item 2; 《健康保险管理办法》(2019年第3号令) item 13.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


@dataclass(frozen=True)
class Violation:
    """One broken rule, with the reason in Chinese and English."""

    rule: str
    field: str
    reason_zh: str
    reason_en: str


class InterestKind(StrEnum):
    TRADITIONAL = "traditional"  # 普通型
    PARTICIPATING = "participating"  # 分红型
    UNIVERSAL = "universal"  # 万能型 minimum guarantee


@dataclass(frozen=True)
class InterestCap:
    effective_from: date
    traditional: float | None  # None: no hard cap (set by the company under 62号)
    participating: float | None
    universal: float | None
    source: str


INTEREST_CAPS: tuple[InterestCap, ...] = (
    InterestCap(date(2013, 8, 5), None, 0.025, 0.025, "保监发〔2013〕62号 (traditional liberalised)"),
    InterestCap(date(2015, 9, 1), None, None, 0.025, "保监发〔2015〕93号 (participating liberalised)"),
    InterestCap(date(2023, 8, 1), 0.030, 0.020, 0.015, "2023-07 industry window guidance"),
    InterestCap(date(2024, 9, 1), 0.025, 0.020, 0.015, "金发〔2024〕18号"),
    InterestCap(date(2025, 9, 1), 0.020, 0.0175, 0.010, "金寿险函〔2025〕10号 dynamic mechanism, 2025-09-01"),
)
"""Pricing-rate caps for new filings. The participating cap took effect 2024-10-01 under 18号 as well;
the 2023 row follows a secondary source (actuarial.md §4.2)."""


def interest_cap(kind: InterestKind, on: date) -> InterestCap | None:
    """The cap row in force on ``on`` (None before 2013-08-05)."""
    rows = [row for row in INTEREST_CAPS if row.effective_from <= on]
    return max(rows, key=lambda row: row.effective_from) if rows else None


def check_pricing_rate(rate: float, kind: InterestKind, filed_on: date) -> list[Violation]:
    """The pricing interest rate must not exceed the cap in force on the filing date."""
    row = interest_cap(kind, filed_on)
    cap: float | None = None if row is None else getattr(row, kind.value)
    if row is None or cap is None or rate <= cap + 1e-12:
        return []
    return [
        Violation(
            "interest_cap",
            "pricing.interest",
            f"预定利率 {rate:.2%} 超过 {filed_on.isoformat()} 适用的{kind.value}上限 {cap:.2%}（{row.source}）",
            f"pricing rate {rate:.2%} exceeds the {kind.value} cap {cap:.2%}"
            f" in force on {filed_on.isoformat()} ({row.source})",
        )
    ]


class Business(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"


class LoadingClass(StrEnum):
    ANNUITY = "annuity"  # 年金
    ENDOWMENT = "endowment"  # 两全
    PROTECTION = "protection"  # 定期/终身/健康/意外


EXPENSE_LOADING_CAPS: dict[tuple[Business, bool, LoadingClass], float] = {
    (Business.INDIVIDUAL, False, LoadingClass.ANNUITY): 0.16,
    (Business.INDIVIDUAL, False, LoadingClass.ENDOWMENT): 0.18,
    (Business.INDIVIDUAL, False, LoadingClass.PROTECTION): 0.35,
    (Business.INDIVIDUAL, True, LoadingClass.ANNUITY): 0.08,
    (Business.INDIVIDUAL, True, LoadingClass.ENDOWMENT): 0.10,
    (Business.INDIVIDUAL, True, LoadingClass.PROTECTION): 0.18,
    (Business.GROUP, False, LoadingClass.ANNUITY): 0.10,
    (Business.GROUP, False, LoadingClass.PROTECTION): 0.15,
    (Business.GROUP, True, LoadingClass.ANNUITY): 0.05,
    (Business.GROUP, True, LoadingClass.PROTECTION): 0.08,
}
"""Average expense-loading caps, 银保监办发〔2020〕7号 item 2 (key: business, single premium?, class)."""
SHORT_TERM_LOADING_CAPS = {Business.INDIVIDUAL: 0.35, Business.GROUP: 0.25}
"""Products of one year or less, 7号 item 3."""


def expense_loading_cap(business: Business, single_premium: bool, klass: LoadingClass, short_term: bool) -> float:
    if short_term:
        return SHORT_TERM_LOADING_CAPS[business]
    key = (business, single_premium, klass)
    if key not in EXPENSE_LOADING_CAPS:
        raise ValueError(f"7号 sets no loading cap for {business.value} {klass.value} business")
    return EXPENSE_LOADING_CAPS[key]


def check_average_loading(
    average: float, business: Business, single_premium: bool, klass: LoadingClass, short_term: bool = False
) -> list[Violation]:
    """Average loading (PV loadings / PV gross premiums) must not exceed the 7号 cap."""
    cap = expense_loading_cap(business, single_premium, klass, short_term)
    if average <= cap + 1e-12:
        return []
    return [
        Violation(
            "expense_loading_cap",
            "pricing.loadings",
            f"平均附加费用率 {average:.2%} 超过银保监办发〔2020〕7号上限 {cap:.0%}",
            f"average expense loading {average:.2%} exceeds the 7号 cap of {cap:.0%}",
        )
    ]


def minimum_cover_ratio(attained_age: int) -> float:
    """Death or LTC cover ÷ cumulative premiums ≥ 160% (age 18–40), 140% (41–60), 120% (61+) (7号 item 1)."""
    if attained_age <= 40:
        return 1.6
    if attained_age <= 60:
        return 1.4
    return 1.2


def check_cover_ratios(
    cover_by_year: list[float], premiums_paid_by_year: list[float], attained_ages: list[int]
) -> list[Violation]:
    """Check every policy year (attained age ≥ 18) for the 160/140/120% rule; report the first failing
    year."""
    for year, (cover, paid, age) in enumerate(zip(cover_by_year, premiums_paid_by_year, attained_ages, strict=True), 1):
        if age < 18 or paid <= 0:
            continue
        need = minimum_cover_ratio(age)
        if cover < need * paid - 1e-9:
            shown = math.floor(cover / paid * 1000) / 1000  # rounded down: a shortfall never reads as the minimum
            return [
                Violation(
                    "cover_ratio",
                    "benefits",
                    f"第{year}保单年度（{age}岁）身故或护理保险金为已交保费的 {shown:.1%}，低于 {need:.0%}",
                    f"policy year {year} (age {age}): death/LTC cover is {shown:.1%} of premiums paid,"
                    f" below {need:.0%}",
                )
            ]
    return []


MILD_CI_MAX_SHARE = 0.30
SEVERE_CI_COUNT_2020 = 28
MILD_CI_COUNT_2020 = 3


def check_mild_ci(severe_multiple: float, mild_multiples: dict[str, float]) -> list[Violation]:
    """Each of the 3 standard mild CIs pays at most 30% of the matching severe benefit (2020 规范 item 2)."""
    out = []
    for name, mild in mild_multiples.items():
        if mild > MILD_CI_MAX_SHARE * severe_multiple + 1e-12:
            out.append(
                Violation(
                    "mild_ci_30pct",
                    f"ci.mild.{name}",
                    f"轻度疾病“{name}”保险金 {mild:.0%} 超过重度疾病保险金 {severe_multiple:.0%} 的 30%",
                    f"mild CI '{name}' pays {mild:.0%}, more than 30% of the severe benefit {severe_multiple:.0%}",
                )
            )
    return out


MAX_WAITING_DAYS = 180


def check_waiting_period(days: int) -> list[Violation]:
    """Disease, medical and LTC insurance: waiting period ≤ 180 days (健康保险管理办法 item 13)."""
    if days <= MAX_WAITING_DAYS:
        return []
    return [
        Violation(
            "waiting_period",
            "waiting_period_days",
            f"等待期 {days} 天超过 180 天上限",
            f"waiting period of {days} days exceeds the 180-day limit",
        )
    ]
