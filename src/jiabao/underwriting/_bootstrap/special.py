"""Answer paths of the four common conditions that get their own questions (bootstrap of 2026.1).

Hypertension, diabetes, hepatitis B and chronic kidney disease are among the most frequent disclosures in
China, so their paths use the measurements underwriters ask for (highest BP, HbA1c, liver tests and HBV-DNA,
eGFR) rather than a generic "how well controlled" question.
"""

from __future__ import annotations

from typing import Any

from jiabao.underwriting._bootstrap.archetypes import GENERAL, Archetype, D, Path, R, S, exclude, path, postpone, rate
from jiabao.underwriting._bootstrap.archetypes_more import MORE

__all__ = ["ARCHETYPES"]


def hypertension(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e = "EX_HTN"
    return ["bp_max", "complications"], [
        path("complicated", "已有靶器官损害", "with organ damage", {"complications": ["yes"]}, rate(150), D, D, S, D),
        path(
            "grade_3",
            "最高血压180/110及以上",
            "highest reading 180/110 or more",
            {"bp_max": ["ge180_110"]},
            D,
            D,
            D,
            S,
            D,
        ),
        path("bp_unknown", "不清楚血压水平", "blood pressure not known", {"bp_max": ["unknown"]}, R, R, R, S, R),
        path(
            "grade_2",
            "最高血压160–179/100–109",
            "highest reading 160–179/100–109",
            {"bp_max": ["lt180_110"]},
            rate(75),
            D,
            exclude(e),
            S,
            rate(75),
        ),
        path(
            "grade_1",
            "最高血压140–159/90–99",
            "highest reading 140–159/90–99",
            {"bp_max": ["lt160_100"]},
            rate(25),
            rate(50),
            exclude(e),
            S,
            rate(25),
        ),
        path("controlled", "血压控制在140/90以下", "kept below 140/90", {}, S, rate(25), exclude(e), S, S),
    ]


def diabetes(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 0)), "EX_DIABETES"
    return ["diabetes_treatment", "hba1c", "complications"], [
        path("complicated", "已有并发症", "with complications", {"complications": ["yes"]}, rate(150 + d), D, D, S, D),
        path("hba1c_ge9", "糖化血红蛋白9%及以上", "HbA1c 9% or more", {"hba1c": ["ge9"]}, D, D, D, S, D),
        path(
            "insulin",
            "使用胰岛素",
            "on insulin",
            {"diabetes_treatment": ["insulin"]},
            rate(100 + d),
            D,
            D,
            S,
            rate(100 + d),
        ),
        path(
            "hba1c_8_9", "糖化血红蛋白8%至9%", "HbA1c 8% to 9%", {"hba1c": ["lt9"]}, rate(75 + d), D, D, S, rate(75 + d)
        ),
        path(
            "hba1c_7_8",
            "糖化血红蛋白7%至8%",
            "HbA1c 7% to 8%",
            {"hba1c": ["lt8"]},
            rate(50 + d),
            rate(100 + d),
            exclude(e),
            S,
            rate(50 + d),
        ),
        path(
            "well_controlled",
            "糖化血红蛋白低于7%",
            "HbA1c below 7%",
            {},
            rate(25 + d),
            rate(50 + d),
            exclude(e),
            S,
            rate(25 + d),
        ),
    ]


def hbv(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    d, e = int(p.get("d", 0)), "EX_LIVER"
    return ["liver_function", "hbv_dna", "liver_imaging"], [
        path(
            "fibrosis",
            "已有肝纤维化或肝硬化",
            "fibrosis or cirrhosis",
            {"liver_imaging": ["fibrosis"]},
            rate(150),
            D,
            D,
            S,
            D,
        ),
        path(
            "abnormal_alt",
            "转氨酶明显升高",
            "ALT clearly raised",
            {"liver_function": ["abnormal"]},
            rate(75 + d),
            D,
            exclude(e),
            S,
            rate(50 + d),
        ),
        path(
            "dna_unknown", "未查HBV-DNA", "HBV-DNA not tested", {"hbv_dna": ["unknown"]}, rate(d), R, exclude(e), S, S
        ),
        path(
            "mild_alt",
            "转氨酶轻度升高",
            "ALT mildly raised",
            {"liver_function": ["mild_abnormal"]},
            rate(25 + d),
            rate(75 + d),
            exclude(e),
            S,
            rate(d),
        ),
        path(
            "dna_positive",
            "肝功能正常，HBV-DNA阳性",
            "normal liver tests, HBV-DNA detectable",
            {"hbv_dna": ["positive"]},
            rate(d),
            rate(50 + d),
            exclude(e),
            S,
            S,
        ),
        path(
            "inactive",
            "肝功能正常，HBV-DNA阴性",
            "normal liver tests, HBV-DNA negative",
            {},
            rate(d),
            rate(25 + d),
            exclude(e),
            S,
            S,
        ),
    ]


def ckd(p: dict[str, Any]) -> tuple[list[str], list[Path]]:
    e = "EX_KIDNEY"
    return ["egfr", "diagnosed"], [
        path("egfr_lt30", "eGFR低于30", "eGFR below 30", {"egfr": ["lt30"]}, D, D, D, S, D),
        path("egfr_30_59", "eGFR 30至59", "eGFR 30 to 59", {"egfr": ["lt60"]}, rate(100), D, D, S, D),
        path(
            "new_diagnosis",
            "确诊不足1年",
            "diagnosed under a year ago",
            {"diagnosed": ["lt1y"]},
            postpone(6),
            postpone(6),
            postpone(6),
            S,
            postpone(6),
        ),
        path(
            "egfr_60_89",
            "eGFR 60至89",
            "eGFR 60 to 89",
            {"egfr": ["lt90"]},
            rate(50),
            rate(100),
            exclude(e),
            S,
            rate(50),
        ),
        path("egfr_ge90", "eGFR 90及以上", "eGFR 90 or more", {}, rate(25), rate(50), exclude(e), S, rate(25)),
    ]


ARCHETYPES: dict[str, Archetype] = {
    **GENERAL,
    **MORE,
    "hypertension": hypertension,
    "diabetes": diabetes,
    "hbv": hbv,
    "ckd": ckd,
}
