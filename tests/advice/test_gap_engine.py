"""The needs analysis (家庭风险评估) for each life stage: every expected figure is recomputed here from the
assumptions file's method (docs/planning.md), not copied from the engine's output."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiabao.advice.engine import Assumptions, GapKind, HouseholdInput, MemberInput, Tier, assess
from jiabao.advice.engine.gaps import annuity_certain, yuan

D = Decimal


def adult(mid: str, age: int, income: int, sex: str = "M", rel: str = "self", **kw: object) -> MemberInput:
    return MemberInput(mid, f"成员{mid}", age, sex, rel, D(income), **kw)  # type: ignore[arg-type]


def child(mid: str, age: int, **kw: object) -> MemberInput:
    return MemberInput(mid, f"孩子{mid}", age, "F", "child", **kw)  # type: ignore[arg-type]


def test_formation_stage_two_earners_no_dependants(assumptions: Assumptions) -> None:
    """形成期: a working couple without children — the death need is only debts and final expenses (no income to
    replace: neither depends on the other), shared by income."""
    a = assumptions
    h = HouseholdInput((adult("1", 28, 240000), adult("2", 27, 160000, "F", "spouse")), debts=D(1000000))
    result = assess(h, a)
    first = result.member("1")
    assert first.tier is Tier.BREADWINNER and first.years_to_replace == a.death.no_dependant_years == 0
    assert first.kinds[GapKind.DEATH].need == yuan(D("0.6") * D(1000000) + a.death.final_expenses)
    assert first.kinds[GapKind.CI].need == 240000 * a.ci.income_years + a.ci.treatment_cost
    assert first.kinds[GapKind.ACCIDENT].need == 240000 * a.accident.income_multiple
    assert first.kinds[GapKind.PENSION].need == yuan(
        D(240000) * (a.pension.target_replacement - a.pension.social_pension_replacement)
    )
    assert result.score == 0  # nothing held
    assert result.reasons[0].code == "gap" and "成员1" in result.reasons[0].text.zh


def test_growth_stage_income_replaced_until_youngest_child_is_independent(assumptions: Assumptions) -> None:
    """成长期: the death need replaces income until the youngest child is 22, plus debts and education, less assets."""
    a = assumptions
    h = HouseholdInput(
        (
            adult("1", 35, 300000),
            adult("2", 33, 0, "F", "spouse"),
            child("3", 4, education_cost=D(200000)),
            child("4", 9, education_cost=D(150000)),
        ),
        debts=D(1200000),
        liquid_assets=D(100000),
    )
    result = assess(h, a)
    earner = result.member("1")
    years = a.death.child_independent_age - 4
    assert earner.years_to_replace == years == 18
    expected = (
        D(300000) * a.death.income_replacement_ratio * annuity_certain(years, a.death.discount_rate)
        + D(1200000 + 200000 + 150000)  # the only earner carries all debts and education costs
        + a.death.final_expenses
        - D(100000)
    )
    assert earner.kinds[GapKind.DEATH].need == yuan(expected)
    at_home = result.member("2")
    assert at_home.tier is Tier.ADULT and at_home.kinds[GapKind.DEATH].need == 0
    assert at_home.kinds[GapKind.PENSION].need == 0
    assert result.member("3").tier is Tier.CHILD
    assert result.member("3").kinds[GapKind.CI].need == a.ci.treatment_cost_child
    assert result.member("3").kinds[GapKind.ACCIDENT].need == a.accident.child
    # the annuity-certain is Σ v^t for t < n
    v = 1 / (1 + a.death.discount_rate)
    assert abs(annuity_certain(years, a.death.discount_rate) - sum(v**t for t in range(years))) < D("1e-20")


def test_maturity_stage_adult_children_leave_only_dependant_years(assumptions: Assumptions) -> None:
    """成熟期: the children are adults; a parent still at home is a dependant: income replaced for 10 years."""
    a = assumptions
    h = HouseholdInput((adult("1", 50, 200000), adult("2", 49, 0, "F", "spouse"), adult("3", 24, 90000, rel="child")))
    result = assess(h, a)
    assert result.member("1").years_to_replace == a.death.dependant_years
    assert result.member("3").tier is Tier.BREADWINNER


def test_replacement_is_capped_at_retirement(assumptions: Assumptions) -> None:
    a = assumptions
    h = HouseholdInput((adult("1", 58, 200000), child("2", 2)))
    assert assess(h, a).member("1").years_to_replace == a.roles.retirement_age["M"] - 58 == 5


def test_sunset_stage_retired_couple(assumptions: Assumptions) -> None:
    """夕阳期: retired members have no income to replace and no pension to build; CI, medical, accident remain."""
    a = assumptions
    h = HouseholdInput(
        (
            adult("1", 66, 60000, retired=True),
            adult("2", 64, 48000, "F", "spouse", retired=True, social_insurance=False),
        )
    )
    result = assess(h, a)
    for mid in ("1", "2"):
        m = result.member(mid)
        assert m.tier is Tier.ELDER
        assert m.kinds[GapKind.DEATH].need == 0 and m.kinds[GapKind.PENSION].need == 0
        assert m.kinds[GapKind.CI].need == a.ci.treatment_cost_elder
        assert m.kinds[GapKind.ACCIDENT].need == a.accident.elder
    insured = result.member("1").kinds[GapKind.MEDICAL].need
    uninsured = result.member("2").kinds[GapKind.MEDICAL].need
    assert insured == yuan(a.medical.catastrophic_bill * (1 - a.medical.social_insurance_share))
    assert uninsured == a.medical.catastrophic_bill  # no social insurance: the whole bill


def test_cover_reduces_gap_and_raises_score(assumptions: Assumptions) -> None:
    a = assumptions
    bare = HouseholdInput((adult("1", 40, 100000), child("2", 10)))
    held = {GapKind.MEDICAL: D(2000000), GapKind.ACCIDENT: D(300000), GapKind.CI: D(100000)}
    covered = HouseholdInput((adult("1", 40, 100000, cover=held), child("2", 10)))
    before, after = assess(bare, a), assess(covered, a)
    m = after.member("1")
    assert m.kinds[GapKind.MEDICAL].gap == 0 and m.kinds[GapKind.ACCIDENT].gap == 200000
    assert m.kinds[GapKind.CI].gap == m.kinds[GapKind.CI].need - 100000
    assert before.score == 0 < after.score < 100
    # score by hand: Σ w·min(1, cover/need) / Σ w, weights kind × member tier
    kw, mw = a.score.kind_weights, a.score.member_weights
    num = den = D(0)
    for r in after.members:
        for k, kr in r.kinds.items():
            if kr.need > 0:
                w = kw[k] * mw[r.tier]
                den += w
                num += w * min(D(1), kr.cover / kr.need)
    assert after.score == int(yuan(100 * num / den))


def test_fully_covered_and_empty_households(assumptions: Assumptions) -> None:
    a = assumptions
    big = {k: D(100000000) for k in GapKind}
    result = assess(HouseholdInput((adult("1", 30, 100000, cover=big),)), a)
    assert result.score == 100 and result.total_gap == 0 and result.reasons[0].code == "covered"


def test_unknown_assumptions_version_is_refused() -> None:
    from jiabao.advice.engine import load_assumptions

    with pytest.raises(KeyError):
        load_assumptions("1999.1")
