"""Life stage (家庭生命周期) for every stage and the edges between them."""

from __future__ import annotations

from datetime import date

import pytest

from jiabao.family.enums import LifeStage, Relationship
from jiabao.family.lifestage import MemberFacts, age_on, life_stage

ON = date(2026, 11, 26)


def head(birth: date, retired: bool = False) -> MemberFacts:
    return MemberFacts(Relationship.SELF, birth, retired=retired)


def spouse(birth: date = date(1990, 1, 1)) -> MemberFacts:
    return MemberFacts(Relationship.SPOUSE, birth)


def child(birth: date, *, active: bool = True, deceased: bool = False) -> MemberFacts:
    return MemberFacts(Relationship.CHILD, birth, active=active, deceased=deceased)


def test_couple_without_children_is_formation() -> None:
    result = life_stage([head(date(1992, 5, 1)), spouse()], on=ON)
    assert (result.stage, result.reason) == (LifeStage.FORMATION, "couple_no_children")


def test_single_adult_is_formation_with_its_own_reason() -> None:
    result = life_stage([head(date(1998, 5, 1))], on=ON)
    assert (result.stage, result.reason) == (LifeStage.FORMATION, "single_no_children")


def test_youngest_child_under_18_is_growth() -> None:
    result = life_stage([head(date(1980, 1, 1)), spouse(), child(date(2004, 1, 1)), child(date(2015, 6, 1))], on=ON)
    assert result.stage is LifeStage.GROWTH


def test_child_turning_18_today_moves_to_maturity() -> None:
    members = [head(date(1975, 1, 1)), child(date(2008, 11, 26))]
    assert life_stage(members, on=ON).stage is LifeStage.MATURITY
    assert life_stage(members, on=date(2026, 11, 25)).stage is LifeStage.GROWTH


def test_children_who_left_home_still_count_for_maturity() -> None:
    members = [head(date(1970, 1, 1)), spouse(date(1971, 1, 1)), child(date(1996, 1, 1), active=False)]
    assert life_stage(members, on=ON).reason == "children_adult"


def test_deceased_child_is_not_counted() -> None:
    members = [head(date(1980, 1, 1)), spouse(), child(date(2015, 1, 1), deceased=True)]
    assert life_stage(members, on=ON).stage is LifeStage.FORMATION


def test_head_turning_60_is_sunset_even_with_a_minor_child() -> None:
    members = [head(date(1966, 11, 26)), child(date(2012, 1, 1))]
    assert life_stage(members, on=ON).reason == "head_60_plus"
    assert life_stage(members, on=date(2026, 11, 25)).stage is LifeStage.GROWTH


def test_retired_head_under_60_is_sunset() -> None:
    result = life_stage([head(date(1970, 1, 1), retired=True), spouse()], on=ON)
    assert (result.stage, result.reason) == (LifeStage.SUNSET, "head_retired")


def test_grandchildren_do_not_make_a_growth_household() -> None:
    members = [head(date(1975, 1, 1)), MemberFacts(Relationship.GRANDCHILD, date(2020, 1, 1))]
    assert life_stage(members, on=ON).stage is LifeStage.FORMATION


@pytest.mark.parametrize("heads", [0, 2])
def test_exactly_one_head_is_required(heads: int) -> None:
    with pytest.raises(ValueError, match="exactly one head"):
        life_stage([head(date(1980, 1, 1))] * heads, on=ON)


def test_age_on_leap_day_birthday() -> None:
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
