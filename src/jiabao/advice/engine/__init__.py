"""The pure advice engine: needs, gaps and score (``gaps``), the plan (``plan``), assumptions (``assumptions``)."""

from jiabao.advice.engine.assumptions import Assumptions, available_versions, load_assumptions
from jiabao.advice.engine.gaps import assess
from jiabao.advice.engine.model import (
    Assessment,
    GapKind,
    HouseholdInput,
    KindResult,
    MemberInput,
    MemberResult,
    Plan,
    PlanLine,
    Reason,
    Skipped,
    Text,
    Tier,
)
from jiabao.advice.engine.plan import Options, PremiumFn, recommend

__all__ = [
    "Assessment",
    "Assumptions",
    "GapKind",
    "HouseholdInput",
    "KindResult",
    "MemberInput",
    "MemberResult",
    "Options",
    "Plan",
    "PlanLine",
    "PremiumFn",
    "Reason",
    "Skipped",
    "Text",
    "Tier",
    "assess",
    "available_versions",
    "load_assumptions",
    "recommend",
]
