"""Stable string codes of the family domain (stored in the database, used in the API)."""

from __future__ import annotations

from enum import StrEnum


class Relationship(StrEnum):
    """A member's relationship to the household head (与户主关系)."""

    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    OTHER = "other"


class LifeStage(StrEnum):
    """Household life stage (家庭生命周期), as the insurer's advice model names them."""

    FORMATION = "formation"  # 形成期: a couple (or single adult) without children
    GROWTH = "growth"  # 成长期: the youngest child is under 18
    MATURITY = "maturity"  # 成熟期: all children are adults
    SUNSET = "sunset"  # 夕阳期: the head is 60+ or retired


class LifeEventKind(StrEnum):
    MARRIAGE = "marriage"
    BIRTH = "birth"
    CHILD_LEAVES_HOME = "child_leaves_home"
    RETIREMENT = "retirement"
    DEATH = "death"
    MEMBER_JOINED = "member_joined"
    MEMBER_LEFT = "member_left"
    DIVORCE = "divorce"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class Region(StrEnum):
    """The seven regions the insurer reports complaints and business by."""

    EAST = "east"  # 华东
    NORTH = "north"  # 华北
    CENTRAL = "central"  # 华中
    SOUTH = "south"  # 华南
    SOUTHWEST = "southwest"  # 西南
    NORTHWEST = "northwest"  # 西北
    NORTHEAST = "northeast"  # 东北


PROVINCE_REGION: dict[str, Region] = {
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "37", "71"), Region.EAST),
    **dict.fromkeys(("11", "12", "13", "14", "15"), Region.NORTH),
    **dict.fromkeys(("41", "42", "43"), Region.CENTRAL),
    **dict.fromkeys(("44", "45", "46", "81", "82"), Region.SOUTH),
    **dict.fromkeys(("50", "51", "52", "53", "54"), Region.SOUTHWEST),
    **dict.fromkeys(("61", "62", "63", "64", "65"), Region.NORTHWEST),
    **dict.fromkeys(("21", "22", "23"), Region.NORTHEAST),
}
"""Province code (the ID number's first two digits) → region. 83 (Taiwan residence permits) maps to east."""
PROVINCE_REGION["83"] = Region.EAST


def region_of(region_code: str | None) -> Region:
    if region_code and region_code[:2] in PROVINCE_REGION:
        return PROVINCE_REGION[region_code[:2]]
    return Region.EAST
