"""Chinese pricing rules: dated interest caps, 7号 loading caps, cover ratios, mild CI, waiting period."""

from __future__ import annotations

from datetime import date

import pytest

from jiabao.actuarial.regulation import (
    Business,
    InterestKind,
    LoadingClass,
    check_average_loading,
    check_cover_ratios,
    check_mild_ci,
    check_pricing_rate,
    check_waiting_period,
    expense_loading_cap,
    interest_cap,
    minimum_cover_ratio,
)


@pytest.mark.parametrize(
    ("on", "kind", "cap"),
    [
        (date(2025, 9, 1), InterestKind.TRADITIONAL, 0.020),
        (date(2025, 8, 31), InterestKind.TRADITIONAL, 0.025),
        (date(2024, 9, 1), InterestKind.TRADITIONAL, 0.025),
        (date(2024, 1, 1), InterestKind.TRADITIONAL, 0.030),
        (date(2019, 1, 1), InterestKind.TRADITIONAL, None),
        (date(2025, 9, 1), InterestKind.PARTICIPATING, 0.0175),
        (date(2025, 9, 1), InterestKind.UNIVERSAL, 0.010),
        (date(2014, 1, 1), InterestKind.PARTICIPATING, 0.025),
    ],
)
def test_interest_cap_by_date(on: date, kind: InterestKind, cap: float | None) -> None:
    row = interest_cap(kind, on)
    assert row is not None and getattr(row, kind.value) == cap


def test_pricing_rate_check() -> None:
    assert check_pricing_rate(0.020, InterestKind.TRADITIONAL, date(2025, 10, 1)) == []
    [problem] = check_pricing_rate(0.025, InterestKind.TRADITIONAL, date(2025, 10, 1))
    assert problem.field == "pricing.interest" and "2.00%" in problem.reason_en and "预定利率" in problem.reason_zh
    assert check_pricing_rate(0.025, InterestKind.TRADITIONAL, date(2025, 8, 31)) == []
    assert check_pricing_rate(0.035, InterestKind.TRADITIONAL, date(2018, 6, 1)) == []  # liberalised then


def test_expense_loading_caps() -> None:
    """7号 item 2–3 table."""
    assert expense_loading_cap(Business.INDIVIDUAL, False, LoadingClass.PROTECTION, False) == 0.35
    assert expense_loading_cap(Business.INDIVIDUAL, True, LoadingClass.ANNUITY, False) == 0.08
    assert expense_loading_cap(Business.GROUP, False, LoadingClass.PROTECTION, False) == 0.15
    assert expense_loading_cap(Business.GROUP, True, LoadingClass.ANNUITY, True) == 0.25
    with pytest.raises(ValueError, match="no loading cap"):
        expense_loading_cap(Business.GROUP, False, LoadingClass.ENDOWMENT, False)
    assert check_average_loading(0.16, Business.INDIVIDUAL, False, LoadingClass.ANNUITY) == []
    [problem] = check_average_loading(0.161, Business.INDIVIDUAL, False, LoadingClass.ANNUITY)
    assert problem.rule == "expense_loading_cap" and "16%" in problem.reason_en and "附加费用率" in problem.reason_zh


def test_cover_ratio_rule() -> None:
    """160% (18–40), 140% (41–60), 120% (61+) of premiums paid."""
    assert [minimum_cover_ratio(a) for a in (18, 40, 41, 60, 61)] == [1.6, 1.6, 1.4, 1.4, 1.2]
    assert check_cover_ratios([160.0] * 2, [50.0, 100.0], [39, 40]) == []
    [problem] = check_cover_ratios([160.0] * 2, [50.0, 101.0], [39, 40])
    assert "policy year 2" in problem.reason_en and "160%" in problem.reason_en
    assert check_cover_ratios([140.0], [100.0], [41]) == []
    [short] = check_cover_ratios([139.99], [100.0], [41])  # a shortfall never reads as the minimum itself
    assert "is 139.9% of premiums paid, below 140%" in short.reason_en and "139.9%，低于 140%" in short.reason_zh
    assert check_cover_ratios([120.0], [100.0], [61]) == []
    assert check_cover_ratios([119.0], [100.0], [61]) != []
    assert check_cover_ratios([10.0], [100.0], [10]) == []  # minors are outside the rule


def test_mild_ci_thirty_percent() -> None:
    assert check_mild_ci(1.0, {"恶性肿瘤——轻度": 0.3, "较轻急性心肌梗死": 0.3}) == []
    [problem] = check_mild_ci(1.0, {"轻度脑中风后遗症": 0.31})
    assert problem.field == "ci.mild.轻度脑中风后遗症" and "30%" in problem.reason_en
    assert check_mild_ci(2.0, {"恶性肿瘤——轻度": 0.6}) == []


def test_waiting_period_limit() -> None:
    assert check_waiting_period(180) == []
    assert check_waiting_period(181)[0].field == "waiting_period_days"
