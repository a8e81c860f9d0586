"""Answer-path templates by body system and situation (bootstrap of 2026.1); see ``archetypes.py``."""

from __future__ import annotations

from typing import Any

from jiabao.underwriting._bootstrap.archetypes import Archetype, D, Path, S, exclude, path, postpone, rate


def congenital(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 0)), p["ex"]
    return ["corrected"], [
        path(
            "awaiting",
            "尚待治疗",
            "awaiting treatment",
            {"corrected": ["awaiting"]},
            postpone(6),
            postpone(6),
            postpone(6),
            S,
            postpone(6),
        ),
        path("corrected", "已矫治", "corrected", {"corrected": ["corrected"]}, S, S, exclude(e), S, S),
        path(
            "observed", "无需治疗，定期观察", "no treatment needed, observed", {}, rate(d), exclude(e), exclude(e), S, S
        ),
    ]


def infection(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e = p["ex"]
    return ["status", "diagnosed"], [
        path(
            "ongoing",
            "仍在治疗",
            "still being treated",
            {"status": ["ongoing"]},
            postpone(6),
            postpone(6),
            postpone(6),
            S,
            postpone(6),
        ),
        path(
            "cured_recent",
            "已治愈，确诊不足1年",
            "cured, diagnosed under a year ago",
            {"diagnosed": ["lt1y"]},
            S,
            S,
            exclude(e),
            S,
            S,
        ),
        path("cured", "已治愈1年以上", "cured over a year ago", {}, S, S, S, S, S),
    ]


def mental(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 50)), "EX_MENTAL"
    return ["mental_care", "self_harm"], [
        path("self_harm", "有自伤或自杀企图", "self-harm or suicide attempt", {"self_harm": ["yes"]}, D, D, D, D, D),
        path(
            "hospitalised",
            "曾住院治疗",
            "admitted to hospital",
            {"mental_care": ["hospitalised"]},
            rate(2 * d),
            rate(d),
            D,
            S,
            D,
        ),
        path(
            "on_treatment",
            "门诊治疗，仍在服药",
            "outpatient, on medication",
            {"mental_care": ["outpatient_on"]},
            rate(d),
            S,
            exclude(e),
            S,
            rate(d),
        ),
        path(
            "off_treatment",
            "门诊治疗，停药2年以上",
            "outpatient, off medication for 2 years",
            {},
            S,
            S,
            exclude(e),
            S,
            S,
        ),
    ]


def episodic(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d = int(p.get("d", 50))
    return ["seizure_free"], [
        path(
            "frequent",
            "每月发作1次或以上",
            "monthly or more often",
            {"seizure_free": ["frequent"]},
            rate(2 * d + 50),
            D,
            D,
            D,
            D,
        ),
        path(
            "occasional",
            "近2年偶有发作",
            "occasional episodes in 2 years",
            {"seizure_free": ["occasional"]},
            rate(d),
            rate(d),
            exclude("EX_NEURO"),
            exclude("EX_SEIZURE"),
            rate(d),
        ),
        path("controlled", "近2年无发作", "none in 2 years", {}, S, S, exclude("EX_NEURO"), S, S),
    ]


def substance(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    return ["abstinent"], [
        path("current", "仍在使用", "still using", {"abstinent": ["current"]}, D, D, D, D, D),
        path(
            "recent",
            "戒断不足2年",
            "abstinent under 2 years",
            {"abstinent": ["under_2y"]},
            postpone(12),
            postpone(12),
            postpone(12),
            postpone(12),
            postpone(12),
        ),
        path(
            "abstinent",
            "戒断2年以上",
            "abstinent over 2 years",
            {},
            rate(100),
            rate(50),
            exclude("EX_SUBSTANCE"),
            rate(50),
            rate(50),
        ),
    ]


def eye(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    return ["vision"], [
        path(
            "blind",
            "已失明",
            "blind",
            {"vision": ["blind"]},
            S,
            exclude("EX_SIGHT"),
            exclude("EX_EYE"),
            exclude("EX_SIGHT"),
            rate(50),
        ),
        path(
            "low_vision",
            "矫正视力低于0.5",
            "corrected vision below 0.5",
            {"vision": ["lt05"]},
            S,
            exclude("EX_SIGHT"),
            exclude("EX_EYE"),
            exclude("EX_SIGHT"),
            S,
        ),
        path("good_vision", "矫正视力0.5及以上", "corrected vision 0.5 or better", {}, S, S, exclude("EX_EYE"), S, S),
    ]


def ear(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    return ["hearing"], [
        path(
            "severe",
            "双耳重度下降或全聋",
            "severe loss in both ears",
            {"hearing": ["severe"]},
            S,
            exclude("EX_HEARING"),
            exclude("EX_EAR"),
            exclude("EX_HEARING"),
            S,
        ),
        path(
            "moderate",
            "单耳中重度下降",
            "moderate to severe loss in one ear",
            {"hearing": ["moderate"]},
            S,
            exclude("EX_HEARING"),
            exclude("EX_EAR"),
            S,
            S,
        ),
        path("mild", "轻度下降", "mild loss", {}, S, S, exclude("EX_EAR"), S, S),
    ]


def functional(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 0)), p["ex"]
    return ["function"], [
        path(
            "dependent",
            "生活需要协助",
            "needs help with daily living",
            {"function": ["dependent"]},
            rate(d + 50),
            D,
            D,
            D,
            D,
        ),
        path(
            "limited",
            "活动受限",
            "limited movement",
            {"function": ["limited"]},
            rate(d),
            exclude(e),
            exclude(e),
            rate(25),
            rate(50),
        ),
        path("no_limitation", "无功能障碍", "no limitation", {}, S, S, exclude(e), S, S),
    ]


def autoimmune(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 50)), p["ex"]
    return ["flare"], [
        path("organ", "已累及重要器官", "major organs affected", {"flare": ["organ"]}, rate(3 * d), D, D, S, D),
        path(
            "active",
            "近2年有活动",
            "active in the last 2 years",
            {"flare": ["active"]},
            rate(2 * d),
            D,
            D,
            S,
            rate(2 * d),
        ),
        path("remission", "稳定缓解2年以上", "in remission for 2 years", {}, rate(d), rate(d), exclude(e), S, rate(d)),
    ]


def graded(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 25)), p.get("ex", "EX_DISCLOSED")
    return ["severity"], [
        path("severe", "重度", "severe", {"severity": ["severe"]}, rate(3 * d), D, D, S, D),
        path("moderate", "中度", "moderate", {"severity": ["moderate"]}, rate(d), rate(d), D, S, rate(d)),
        path("mild", "轻度", "mild", {}, S, S, exclude(e), S, S),
    ]


def pregnancy(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    risky = bool(p.get("risky"))
    late_ci = exclude("EX_PREGNANCY") if risky else S
    return ["pregnancy_weeks", "pregnancy_complications"], [
        path(
            "complicated",
            "本次妊娠有并发症",
            "complications in this pregnancy",
            {"pregnancy_complications": ["yes"]},
            S,
            postpone(4),
            postpone(4),
            S,
            postpone(4),
        ),
        path(
            "late",
            "孕28周及以上",
            "28 weeks or more",
            {"pregnancy_weeks": ["ge28"]},
            postpone(4),
            postpone(4),
            postpone(4),
            S,
            postpone(4),
        ),
        path(
            "early",
            "孕28周以前，无并发症",
            "under 28 weeks, no complications",
            {},
            S,
            late_ci,
            exclude("EX_PREGNANCY"),
            S,
            S,
        ),
    ]


MORE: dict[str, Archetype] = {
    "congenital": congenital,
    "infection": infection,
    "mental": mental,
    "episodic": episodic,
    "substance": substance,
    "eye": eye,
    "ear": ear,
    "functional": functional,
    "autoimmune": autoimmune,
    "graded": graded,
    "pregnancy": pregnancy,
}
