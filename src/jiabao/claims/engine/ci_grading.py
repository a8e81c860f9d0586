"""Grading a CI diagnosis against the 2020 definitions (重大疾病定义匹配): severe, mild, neither, or undetermined.

Encoded with clinical thresholds: the 6 mandatory severe diseases (cancer, AMI, stroke, transplant, CABG, CKD)
with the 3 mild grades, plus deep coma, deafness, blindness and burns. The other 18 standard diseases are known
by name and go to an adjuster. Thresholds quote regulation.md §2.5 (Conf. H).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jiabao.claims.engine.codes import CiGrade, ReasonCode, Severity
from jiabao.claims.engine.facts import CiFacts, Claim, Diagnosis
from jiabao.claims.engine.icd import matches_any
from jiabao.claims.engine.results import Reason
from jiabao.claims.engine.rules import Disease, RuleSet
from jiabao.claims.engine.texts import Bi, reason

C, S, G = ReasonCode, Severity, CiGrade
RULE = "ci_definition"
_CI = Bi("重大疾病", "critical illness")
_CI_FACTS = Bi("重疾临床资料", "the CI clinical facts")


@dataclass(slots=True)
class Grading:
    grade: CiGrade
    disease: Disease | None
    reasons: list[Reason] = field(default_factory=list)


def _name(d: Disease) -> Bi:
    return Bi(d.zh, d.en)


def _mild_name(d: Disease) -> Bi:
    return Bi(d.mild_zh or d.zh, d.mild_en or d.en)


def _met(d: Disease, grade: CiGrade) -> Grading:
    if grade is G.SEVERE:
        return Grading(grade, d, [reason(C.CI_SEVERE_MET, S.INFO, RULE, name=_name(d))])
    return Grading(grade, d, [reason(C.CI_MILD_MET, S.INFO, RULE, name=_mild_name(d))])


def _missing(d: Disease, zh: str, en: str) -> Grading:
    return Grading(G.UNDETERMINED, d, [reason(C.CI_FACTS_MISSING, S.REFER, RULE, name=_name(d), detail=Bi(zh, en))])


def _not_met(d: Disease, zh: str, en: str) -> Grading:
    return Grading(G.NONE, d, [reason(C.CI_NOT_MET, S.REJECT, RULE, name=_name(d), detail=Bi(zh, en))])


def _cancer_dx(rules: RuleSet, claim: Claim) -> Diagnosis | None:
    icd = rules.rules.cancer_icd10
    groups = (*icd.malignant, *icd.in_situ, *icd.benign, *icd.uncertain)
    found = [dx for dx in claim.diagnoses if dx.icd_o3_behaviour is not None or matches_any(dx.icd10, groups)]
    return found[0] if found else None


def grade_cancer(rules: RuleSet, d: Disease, facts: CiFacts, claim: Claim) -> Grading:
    """Severe: malignant with ICD-O-3 behaviour 3, 6 or 9; mild: one of the 6 listed early cancers; behaviour
    0, 1, 2 is covered by neither grade. Where ICD-10 and ICD-O-3 disagree, ICD-O-3 prevails."""
    dx = _cancer_dx(rules, claim)
    if dx is None:
        return _missing(d, "肿瘤诊断（ICD-10）", "a tumour diagnosis (ICD-10)")
    malignant_icd = matches_any(dx.icd10, rules.rules.cancer_icd10.malignant)
    behaviour = dx.icd_o3_behaviour
    if behaviour is None:
        if malignant_icd:
            return _missing(d, "病理报告的 ICD-O-3 动态编码", "the ICD-O-3 behaviour code from the pathology report")
        return _not_met(d, f"ICD-10 {dx.icd10} 非恶性", f"ICD-10 {dx.icd10} is not malignant")
    covered = behaviour in rules.rules.cancer_behaviour_covered
    notes = []
    if covered != malignant_icd:
        notes.append(reason(C.CI_ICD_O3_PREVAILS, S.INFO, RULE, icd=dx.icd10, behaviour=behaviour))
    if not covered:
        g = Grading(G.NONE, d, [*notes, reason(C.CI_BEHAVIOUR_NOT_COVERED, S.REJECT, RULE, behaviour=behaviour)])
        return g
    result = _met(d, G.MILD if facts.mild_cancer_case is not None else G.SEVERE)
    result.reasons[:0] = notes
    return result


def grade_ami(rules: RuleSet, d: Disease, facts: CiFacts, claim: Claim) -> Grading:
    """Severe with any of: cTn ≥ 15× URL, CK-MB ≥ 2× URL, LVEF < 50% at ≥ 6 weeks, papillary dysfunction with
    moderate MR, new ventricular aneurysm, VT/VF/cardiogenic shock. A confirmed AMI below them is mild."""
    if not any(matches_any(dx.icd10, ("I21-I22",)) for dx in claim.diagnoses):
        return _missing(d, "急性心肌梗死诊断（ICD-10 I21–I22）", "an AMI diagnosis (ICD-10 I21–I22)")
    lvef_late = (
        facts.lvef_percent is not None
        and facts.lvef_measured_on is not None
        and (facts.lvef_measured_on - facts.diagnosed_on).days >= 7 * rules.rules.ami_lvef_weeks
    )
    severe = (
        (facts.troponin_multiple is not None and facts.troponin_multiple >= 15)
        or (facts.ckmb_multiple is not None and facts.ckmb_multiple >= 2)
        or (lvef_late and facts.lvef_percent is not None and facts.lvef_percent < 50)
        or facts.papillary_dysfunction
        or facts.ventricular_aneurysm
        or facts.arrhythmia_or_shock
    )
    if severe:
        return _met(d, G.SEVERE)
    if facts.troponin_multiple is None and facts.ckmb_multiple is None:
        return _missing(d, "心肌酶（cTn 或 CK-MB）倍数", "the cardiac marker (cTn or CK-MB) multiple")
    return _met(d, G.MILD)


def grade_stroke(rules: RuleSet, d: Disease, facts: CiFacts, claim: Claim) -> Grading:
    """Assessed ≥ 180 days after diagnosis. Severe: a limb at power ≤ 2, total aphasia, severe dysphagia, or
    3 of the 6 ADLs lost. Mild: a limb at power 3, or 2 ADLs lost."""
    days = rules.rules.stroke_assessment_days
    if facts.assessed_on is None or (facts.assessed_on - facts.diagnosed_on).days < days:
        return Grading(G.UNDETERMINED, d, [reason(C.CI_ASSESS_TOO_EARLY, S.REFER, RULE, name=_name(d), days=days)])
    power, adl = facts.limb_power_min, facts.adl_lost
    if (power is not None and power <= 2) or facts.total_aphasia or facts.severe_dysphagia or (adl or 0) >= 3:
        return _met(d, G.SEVERE)
    if power == 3 or (adl or 0) >= 2:
        return _met(d, G.MILD)
    if power is None and adl is None:
        return _missing(d, "肌力或日常生活活动能力评定", "limb power or ADL assessment")
    return _not_met(d, "肌力与日常生活活动能力未达标准", "limb power and ADLs are above the thresholds")


Threshold = Callable[[RuleSet, CiFacts], bool | None]
"""True: definition met; False: not met; None: the deciding facts are missing."""


def _transplant(rules: RuleSet, f: CiFacts) -> bool | None:
    return None if f.transplant is None else f.transplant in rules.rules.transplant_organs


def _cabg(rules: RuleSet, f: CiFacts) -> bool | None:
    return f.cabg_open_chest


def _ckd(rules: RuleSet, f: CiFacts) -> bool | None:
    if f.ckd_stage is None or f.dialysis_days is None:
        return None
    return f.ckd_stage == 5 and f.dialysis_days >= rules.rules.ckd_dialysis_days


def _coma(rules: RuleSet, f: CiFacts) -> bool | None:
    if f.gcs is None or f.life_support_hours is None:
        return None
    return f.gcs <= 5 and f.life_support_hours > rules.rules.coma_life_support_hours


def _deafness(rules: RuleSet, f: CiFacts) -> bool | None:
    if f.hearing_db_left is None or f.hearing_db_right is None:
        return None
    return min(f.hearing_db_left, f.hearing_db_right) >= 91


def _blindness(rules: RuleSet, f: CiFacts) -> bool | None:
    if f.eyes_removed == 2:
        return True
    if f.better_eye_acuity is None and f.better_eye_field_deg is None:
        return None
    return (f.better_eye_acuity is not None and f.better_eye_acuity < 0.02) or (
        f.better_eye_field_deg is not None and f.better_eye_field_deg < 5
    )


def _burns(rules: RuleSet, f: CiFacts) -> bool | None:
    return None if f.burn_third_degree_percent is None else f.burn_third_degree_percent >= 20


THRESHOLDS: dict[str, Threshold] = {
    "transplant": _transplant,
    "cabg": _cabg,
    "ckd": _ckd,
    "coma": _coma,
    "deafness": _deafness,
    "blindness": _blindness,
    "burns": _burns,
}
GRADED = {"cancer": grade_cancer, "ami": grade_ami, "stroke": grade_stroke}


def grade(rules: RuleSet, claim: Claim) -> Grading:
    """Grade the claim's CI facts; all reasons (including the ICD-O-3 note) are returned."""
    facts = claim.ci
    if facts is None:
        return Grading(G.UNDETERMINED, None, [reason(C.CI_FACTS_MISSING, S.REFER, RULE, name=_CI, detail=_CI_FACTS)])
    d = rules.disease(facts.disease)
    if d is None or not d.encoded:
        name = _name(d) if d else Bi(facts.disease, facts.disease)
        return Grading(G.UNDETERMINED, d, [reason(C.CI_MANUAL_DEFINITION, S.REFER, RULE, name=name)])
    if d.code in GRADED:
        return GRADED[d.code](rules, d, facts, claim)
    met = THRESHOLDS[d.code](rules, facts)
    if met is None:
        return _missing(d, "定义所列的临床指标", "the clinical measures the definition names")
    return (
        _met(d, G.SEVERE)
        if met
        else _not_met(d, "临床指标未达定义标准", "the clinical measures are below the definition")
    )
