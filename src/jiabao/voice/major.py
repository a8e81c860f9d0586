"""Major complaints (重大投诉) that need the emergency plan. Pure.

CBIRC Order 2020 No. 3 art. 29: the emergency plan covers complaints caused by **disasters, accidents or
public-health events**, complaints made **face to face by 20 or more people together** (art. 12: they elect at most
5 representatives), and any the regulator designates (监管部门认定).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

GROUP_THRESHOLD = 20
MAX_REPRESENTATIVES = 5


class Cause(StrEnum):
    DISASTER = "disaster"  # 自然灾害
    ACCIDENT = "accident"  # 事故灾难
    PUBLIC_HEALTH = "public_health"  # 公共卫生事件


@dataclass(frozen=True, slots=True)
class MajorFinding:
    major: bool
    reasons: tuple[str, ...]
    """group | regulator_designated | disaster | accident | public_health"""


def assess(*, group_size: int, regulator_designated: bool, cause: Cause | None) -> MajorFinding:
    reasons: list[str] = []
    if group_size >= GROUP_THRESHOLD:
        reasons.append("group")
    if regulator_designated:
        reasons.append("regulator_designated")
    if cause is not None:
        reasons.append(cause.value)
    return MajorFinding(bool(reasons), tuple(reasons))
