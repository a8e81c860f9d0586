"""Answer-path templates used once to bootstrap knowledge-base version 2026.1 from ``impairments.psv``.

Each archetype is a family of conditions that underwriters assess the same way (acute and recovered, minor
chronic, rated chronic, malignant, nodule, ...). It names the reflexive questions and returns the answer
paths with an outcome on every product line, scaled by the row's parameters (``d`` = base debits,
``ex`` = exclusion code, per-line overrides such as ``ci=decline``). Annuity outcomes are standard throughout:
an impaired life does not raise the cost of a life annuity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

S = "standard"
D = "decline"
R = "refer"
Outcome = str | dict[str, Any]
Path = dict[str, Any]


def rate(debits: int) -> Outcome:
    return {"rate": debits} if debits > 0 else S


def exclude(code: str) -> Outcome:
    return {"exclude": code}


def postpone(months: int) -> Outcome:
    return {"postpone": months}


def flat(per_mille: float, years: int) -> Outcome:
    return {"flat": per_mille, "years": years}


def path(pid: str, zh: str, en: str, when: dict[str, list[str]], *outcomes: Outcome) -> Path:
    death, ci, medical, accident, ltc = outcomes
    return {
        "id": pid,
        "label": {"zh": zh, "en": en},
        "when": when,
        "death": death,
        "ci": ci,
        "medical": medical,
        "accident": accident,
        "ltc": ltc,
        "annuity": S,
    }


def acute(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 0)), p.get("ex", "EX_DISCLOSED")
    return ["status", "diagnosed"], [
        path(
            "ongoing",
            "尚未痊愈",
            "not yet recovered",
            {"status": ["ongoing"]},
            postpone(3) if d else S,
            postpone(3),
            postpone(3),
            S,
            postpone(3),
        ),
        path(
            "recovered_recent",
            "已痊愈，确诊不足1年",
            "recovered, diagnosed under a year ago",
            {"diagnosed": ["lt1y"]},
            S,
            S,
            exclude(e),
            S,
            S,
        ),
        path("recovered", "已痊愈1年以上", "recovered, over a year ago", {}, S, S, S, S, S),
    ]


def minor(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e = p.get("ex", "EX_DISCLOSED")
    return ["status", "severity"], [
        path("cured", "已治愈", "cured", {"status": ["cured"]}, S, S, S, S, S),
        path(
            "severe", "仍需治疗，重度", "still treated, severe", {"severity": ["severe"]}, S, S, exclude(e), S, rate(25)
        ),
        path("mild", "仍需治疗，轻中度", "still treated, mild or moderate", {}, S, S, exclude(e), S, S),
    ]


def chronic(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 25)), p.get("ex", "EX_DISCLOSED")
    return ["control", "complications", "diagnosed"], [
        path("complicated", "已有并发症", "with complications", {"complications": ["yes"]}, rate(3 * d), D, D, S, D),
        path("poor", "控制不佳", "poorly controlled", {"control": ["poor"]}, rate(2 * d), D, D, S, D),
        path(
            "fair",
            "基本控制",
            "partly controlled",
            {"control": ["fair"]},
            rate(d + 25),
            rate(2 * d),
            exclude(e),
            S,
            rate(d + 25),
        ),
        path(
            "new_good",
            "控制良好，确诊不足1年",
            "well controlled, diagnosed under a year ago",
            {"diagnosed": ["lt1y"]},
            rate(d - 25),
            postpone(6),
            exclude(e),
            S,
            postpone(6),
        ),
        path(
            "good",
            "控制良好，确诊1年以上",
            "well controlled for over a year",
            {},
            rate(d - 25),
            rate(d),
            exclude(e),
            S,
            rate(d - 25),
        ),
    ]


def serious(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, acc = int(p.get("d", 100)), p.get("acc", S)
    return ["severity"], [
        path("severe", "重度", "severe", {"severity": ["severe"]}, D, D, D, acc, D),
        path(
            "moderate",
            "中度",
            "moderate",
            {"severity": ["moderate"]},
            rate(2 * d),
            D,
            D,
            rate(50) if acc == D else S,
            D,
        ),
        path("mild", "轻度", "mild", {}, rate(d), D, D, S, D),
    ]


_CANCER = {  # by prognosis grade: death 2–5y, death 5–10y, death 10y+, ltc 2–5y, ltc 5–10y, ci/medical late
    "low": (flat(5, 3), S, S, rate(50), S, "ex"),
    "mid": (flat(10, 5), flat(5, 3), S, D, rate(50), D),
    "high": (D, flat(10, 5), rate(50), D, rate(100), D),
}


def cancer(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e = p["ex"]
    d25, d510, d10, l25, l510, late = _CANCER[p["grade"]]
    late_outcome = exclude(e) if late == "ex" else late
    return ["stage", "treatment_end", "recurrence"], [
        path("recurred", "曾复发或转移", "recurred or spread", {"recurrence": ["yes"]}, D, D, D, S, D),
        path("advanced", "III–IV期", "stage III–IV", {"stage": ["advanced"]}, D, D, D, S, D),
        path("stage_unknown", "分期不明", "stage not known", {"stage": ["unknown"]}, R, R, R, S, R),
        path(
            "recent",
            "治疗结束不足2年",
            "treatment ended under 2 years ago",
            {"treatment_end": ["lt2y"]},
            postpone(24),
            D,
            D,
            S,
            postpone(24),
        ),
        path(
            "in_situ",
            "原位癌，治疗结束2年以上",
            "in situ, treated over 2 years ago",
            {"stage": ["in_situ"]},
            S,
            exclude(e),
            exclude(e),
            S,
            S,
        ),
        path(
            "early_2_5y",
            "早期，治疗结束2至5年",
            "early stage, treated 2–5 years ago",
            {"treatment_end": ["y2_5"]},
            d25,
            D,
            D,
            S,
            l25,
        ),
        path(
            "early_5_10y",
            "早期，治疗结束5至10年",
            "early stage, treated 5–10 years ago",
            {"treatment_end": ["y5_10"]},
            d510,
            D,
            late_outcome,
            S,
            l510,
        ),
        path(
            "early_10y",
            "早期，治疗结束10年以上",
            "early stage, treated over 10 years ago",
            {},
            d10,
            late_outcome,
            exclude(e),
            S,
            S,
        ),
    ]


def nodule(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e, q = p["ex"], p["grade"]
    prefix = "tr" if q == "tirads" else "br"
    death_high = postpone(6) if p.get("high") == "postpone" else S
    return [q, "biopsy"], [
        path(
            "suspicious",
            "4b类及以上",
            "grade 4b or higher",
            {q: [f"{prefix}4b_up"]},
            death_high,
            postpone(6),
            postpone(6),
            S,
            postpone(6),
        ),
        path("ungraded", "分级不明", "grade not known", {q: ["unknown"]}, S, R, R, S, S),
        path(
            "grade_4a_no_biopsy",
            "4a类，未做病理",
            "grade 4a, no biopsy",
            {q: [f"{prefix}4a"], "biopsy": ["not_done"]},
            S,
            exclude(e),
            exclude(e),
            S,
            S,
        ),
        path(
            "low_grade",
            "3类及以下，或4a类病理良性",
            "grade 3 or lower, or 4a with a benign biopsy",
            {},
            S,
            S,
            exclude(e),
            S,
            S,
        ),
    ]


def lung_nodule(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e = "EX_LUNG"
    return ["nodule_size", "nodule_type", "nodule_stable"], [
        path("size_unknown", "大小不明", "size not known", {"nodule_size": ["unknown"]}, R, R, R, S, R),
        path(
            "stable_small",
            "小于6毫米且随访2年稳定",
            "under 6 mm and stable for 2 years",
            {"nodule_stable": ["yes"], "nodule_size": ["lt6"]},
            S,
            S,
            exclude(e),
            S,
            S,
        ),
        path(
            "stable", "随访2年稳定", "stable for 2 years", {"nodule_stable": ["yes"]}, S, exclude(e), exclude(e), S, S
        ),
        path(
            "large",
            "大于8毫米，未满2年随访",
            "over 8 mm, not yet followed up for 2 years",
            {"nodule_size": ["ge8"]},
            postpone(6),
            postpone(6),
            postpone(6),
            S,
            postpone(6),
        ),
        path(
            "part_solid",
            "部分实性，未满2年随访",
            "part-solid, not yet followed up for 2 years",
            {"nodule_type": ["part_solid"]},
            postpone(6),
            postpone(6),
            postpone(6),
            S,
            postpone(6),
        ),
        path("small", "小于6毫米", "under 6 mm", {"nodule_size": ["lt6"]}, S, exclude(e), exclude(e), S, S),
        path(
            "medium",
            "6至8毫米，未满2年随访",
            "6–8 mm, not yet followed up for 2 years",
            {},
            S,
            postpone(6),
            exclude(e),
            S,
            S,
        ),
    ]


def benign(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e, serious_site = p["ex"], bool(p.get("serious"))
    return ["removed", "surgery_advised"], [
        path("removed", "已切除，病理良性", "removed, benign", {"removed": ["yes"]}, S, S, S, S, S),
        path(
            "surgery_advised",
            "医生建议手术或进一步检查",
            "surgery or tests advised",
            {"surgery_advised": ["yes"]},
            S,
            postpone(6) if serious_site else S,
            postpone(6),
            S,
            postpone(6) if serious_site else S,
        ),
        path("observed", "定期观察", "under observation", {}, S, exclude(e) if serious_site else S, exclude(e), S, S),
    ]


Archetype = Callable[[dict[str, Any]], tuple[list[str], list[Path]]]

GENERAL: dict[str, Archetype] = {
    "acute": acute,
    "minor": minor,
    "chronic": chronic,
    "serious": serious,
    "cancer": cancer,
    "nodule": nodule,
    "lung_nodule": lung_nodule,
    "benign": benign,
}
