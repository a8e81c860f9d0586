"""Synthetic applicants for the underwriting benchmark, with disclosure rates from public prevalence figures.

An applicant discloses a condition only if they have it *and know it* (a questionnaire asks about diagnoses),
so disclosure rate = prevalence × awareness wherever a survey reports awareness. Sources (all national,
mainland China):

- Hypertension: Wang Z et al., "Status of Hypertension in China: Results From the China Hypertension Survey,
  2012-2015", Circulation 2018;137:2344-2356 (doi:10.1161/CIRCULATIONAHA.117.032380): 23.2% of adults
  ≥ 18, rising steeply with age; 46.9% aware; 15.3% controlled (≈ 38% of the treated 40.7%).
- Diabetes: Li Y et al., "Prevalence of diabetes recorded in mainland China using 2018 diagnostic criteria
  from the American Diabetes Association", BMJ 2020;369:m997: total 12.8%, *self-reported* (known) 6.0%
  of adults; Wang L et al., JAMA 2021;326:2498: awareness 36.7%, adequate control 50.1% of the treated.
- Hepatitis B: the HBsAg seroprevalence meta-analysis of 231 million subjects, Gut 2023;72(12):2354
  (doi:10.1136/gutjnl-2023-330691): 0.3% under 5, 1.0% at 5–18, 4.7% at 19–59, 5.6% at 60+ (2021).
  Awareness is not reported nationally; we assume half of carriers know from check-ups (an assumption).
- Thyroid nodules: Li Y et al., "Prevalence of Thyroid Nodules in China: A Health Examination Cohort-Based
  Study", Front Endocrinol 2021;12:676144: 36.9% on ultrasound (women 44.7%, men 29.9%), rising after 25.
  Only people with a check-up ultrasound know; we assume 40% of adults have had one (an assumption).
- Build: Report on the Nutrition and Chronic Disease Status of Chinese Residents (2020), NHC: adult
  overweight 34.3% and obesity 16.4% on the Chinese cut-offs.
- Smoking: 2018 China Adult Tobacco Survey (China CDC): 26.6% of adults smoke (men 50.5%, women 2.1%).
- Depression and anxiety: Huang Y et al., China Mental Health Survey, Lancet Psychiatry 2019;6:211-224:
  lifetime depressive disorders 6.8%, anxiety disorders 7.6%; treatment is rare, so diagnosed ≈ 1%.
- Every other knowledge-base condition is drawn at a small background rate (8% of adults, 3% of
  children, one condition each), with favourable answers more likely than unfavourable ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from jiabao.underwriting.engine import (
    AnswerType,
    Channel,
    CoverRequest,
    Disclosure,
    InsuredFacts,
    KnowledgeBase,
    PremiumMode,
    ProductLine,
    Sex,
)

AS_OF = date(2026, 11, 26)
# (age upper bound exclusive, hypertension prevalence): Circulation 2018 age breakdown, rounded
HYPERTENSION_BY_AGE = ((18, 0.0), (25, 0.04), (35, 0.06), (45, 0.15), (55, 0.30), (65, 0.45), (75, 0.56), (200, 0.60))
HYPERTENSION_AWARE = 0.469
# known diabetes by age band, averaging ≈ 6% over the adult mix (BMJ 2020 self-reported 6.0%)
KNOWN_DIABETES_BY_AGE = ((18, 0.002), (30, 0.01), (40, 0.025), (50, 0.05), (60, 0.09), (70, 0.13), (200, 0.15))
HBSAG_BY_AGE = ((5, 0.003), (19, 0.010), (60, 0.047), (200, 0.056))
HBV_AWARE = 0.5
THYROID_NODULE = {Sex.FEMALE: 0.447, Sex.MALE: 0.299}
THYROID_CHECKED = 0.4
SMOKING = {Sex.MALE: 0.505, Sex.FEMALE: 0.021}
MENTAL_DIAGNOSED = 0.01
BACKGROUND_ADULT, BACKGROUND_CHILD = 0.08, 0.03


@dataclass(frozen=True, slots=True)
class Applicant:
    insured: InsuredFacts
    channel: Channel
    policyholder_age: int
    household_members: int


def _by_age(table: tuple[tuple[int, float], ...], age: int) -> float:
    return next(p for bound, p in table if age < bound)


def _born(rng: random.Random, age: int) -> date:
    return AS_OF - timedelta(days=age * 365 + rng.randrange(1, 364))


def _age(rng: random.Random) -> int:
    band = rng.choices(((0, 17), (18, 39), (40, 59), (60, 75)), weights=(25, 35, 30, 10))[0]
    return rng.randint(*band)


def _build(rng: random.Random, age: int, sex: Sex) -> tuple[Decimal, Decimal]:
    """Height and weight; adult BMI classes drawn to the 2020 report's overweight/obese shares."""
    if age < 18:
        height = 50 + age * 6.5 + rng.gauss(0, 5)
        return Decimal(f"{height:.0f}"), Decimal(f"{max(3.0, (height / 100) ** 2 * rng.gauss(17, 2)):.1f}")
    height = rng.gauss(170 if sex is Sex.MALE else 159, 6)
    bmi = rng.choices(
        (rng.uniform(16.5, 18.5), rng.uniform(18.5, 24), rng.uniform(24, 28), rng.uniform(28, 32), rng.uniform(32, 38)),
        weights=(4, 45.3, 34.3, 13.4, 3.0),
    )[0]
    return Decimal(f"{height:.0f}"), Decimal(f"{bmi * (height / 100) ** 2:.1f}")


def _answer(rng: random.Random, kb: KnowledgeBase, qid: str) -> object:
    """A plausible answer: favourable options more likely, 'not known' rare (3%)."""
    question = kb.reflexive[qid]
    if question.type is AnswerType.YES_NO:
        return "yes" if rng.random() < 0.08 else "no"
    if question.type is AnswerType.CHOICE:
        codes = [c for c in question.answer_codes() if c != "unknown"]
        if "unknown" in question.answer_codes() and rng.random() < 0.03:
            return "unknown"
        return rng.choices(codes, weights=[0.7 * 0.3**i for i in range(len(codes))])[0]
    band = rng.randrange(len(question.bands))
    low = Decimal(0) if band == 0 else question.bands[band - 1].below or Decimal(0)
    if question.type is AnswerType.DATE:
        return AS_OF - timedelta(days=int(low * 365) + rng.randrange(30, 330))
    return max(low, question.min or Decimal(0)) + Decimal("0.5")


def _htn(rng: random.Random) -> Disclosure:
    """Known hypertension: ~38% of the treated controlled (Circulation 2018), the rest mostly grade 1."""
    bp = rng.choices(("lt140_90", "lt160_100", "lt180_110", "ge180_110", "unknown"), weights=(45, 38, 12, 2, 3))[0]
    return Disclosure(impairment="HTN", answers={"bp_max": bp, "complications": "yes" if rng.random() < 0.05 else "no"})


def _diabetes(rng: random.Random) -> Disclosure:
    """Known type 2 diabetes: about half of the treated at HbA1c < 7% (JAMA 2021)."""
    treatment = rng.choices(("diet", "oral", "insulin"), weights=(15, 70, 15))[0]
    hba1c = rng.choices(("6.5", "7.5", "8.5", "9.5"), weights=(50, 28, 14, 8))[0]
    answers: dict[str, object] = {"diabetes_treatment": treatment, "hba1c": Decimal(hba1c)}
    answers["complications"] = "yes" if rng.random() < 0.08 else "no"
    return Disclosure(impairment="T2DM", answers=answers)  # type: ignore[arg-type]


def _hbv(rng: random.Random) -> Disclosure:
    lf = rng.choices(("normal", "mild_abnormal", "abnormal"), weights=(80, 15, 5))[0]
    dna = rng.choices(("negative", "positive", "unknown"), weights=(65, 30, 5))[0]
    imaging = rng.choices(("normal", "fatty_or_mild", "fibrosis"), weights=(75, 22, 3))[0]
    return Disclosure(
        impairment="HBV_CARRIER", answers={"liver_function": lf, "hbv_dna": dna, "liver_imaging": imaging}
    )


def _thyroid(rng: random.Random) -> Disclosure:
    grade = rng.choices(("tr1_3", "tr4a", "tr4b_up", "unknown"), weights=(88, 7, 2, 3))[0]
    biopsy = "benign" if rng.random() < 0.3 else "not_done"
    return Disclosure(impairment="THYROID_NODULE", answers={"tirads": grade, "biopsy": biopsy})


def _background(rng: random.Random, kb: KnowledgeBase, codes: list[str], sex: Sex) -> Disclosure:
    while True:
        code = rng.choice(codes)
        if kb.impairments[code].sex in (None, sex):
            imp = kb.impairments[code]
            return Disclosure(impairment=code, answers={q: _answer(rng, kb, q) for q in imp.questions})  # type: ignore[misc]


def _disclosures(rng: random.Random, kb: KnowledgeBase, age: int, sex: Sex, tail: list[str]) -> tuple[Disclosure, ...]:
    found: list[Disclosure] = []
    if rng.random() < _by_age(HYPERTENSION_BY_AGE, age) * HYPERTENSION_AWARE:
        found.append(_htn(rng))
    if age >= 18 and rng.random() < _by_age(KNOWN_DIABETES_BY_AGE, age):
        found.append(_diabetes(rng))
    if rng.random() < _by_age(HBSAG_BY_AGE, age) * HBV_AWARE:
        found.append(_hbv(rng))
    if age >= 18 and rng.random() < THYROID_NODULE[sex] * THYROID_CHECKED * min(1.0, (age - 10) / 40):
        found.append(_thyroid(rng))
    if age >= 18 and rng.random() < MENTAL_DIAGNOSED:
        found.append(_background(rng, kb, ["DEPRESSION", "ANXIETY"], sex))
    if rng.random() < (BACKGROUND_ADULT if age >= 18 else BACKGROUND_CHILD):
        found.append(_background(rng, kb, tail, sex))
    unique = {d.impairment: d for d in found}
    return tuple(unique.values())


def _covers(rng: random.Random, age: int) -> tuple[CoverRequest, ...]:
    pick = rng.choice
    wants = (
        (
            ProductLine.DEATH,
            0.1 if age < 18 else 0.5,
            (100_000, 200_000) if age < 18 else (300_000, 500_000, 1_000_000),
        ),
        (ProductLine.CI, 0.7, (200_000, 300_000, 500_000)),
        (ProductLine.MEDICAL, 0.8, (2_000_000, 4_000_000)),
        (ProductLine.ACCIDENT, 0.5, (100_000, 200_000) if age < 18 else (500_000, 1_000_000)),
        (ProductLine.LTC, 0.05 if age >= 40 else 0.0, (200_000,)),
        (ProductLine.ANNUITY, 0.1 if 30 <= age <= 60 else 0.0, (100_000, 300_000)),
    )
    covers = [
        CoverRequest(line=line, sum_assured=Decimal(pick(amounts))) for line, p, amounts in wants if rng.random() < p
    ]
    if not covers:
        covers.append(CoverRequest(line=ProductLine.MEDICAL, sum_assured=Decimal(2_000_000)))
    mode = PremiumMode.SINGLE if rng.random() < 0.3 else PremiumMode.REGULAR
    return tuple(c.model_copy(update={"premium_mode": mode}) for c in covers)


def applicant(rng: random.Random, kb: KnowledgeBase, index: int, tail: list[str]) -> Applicant:
    """One synthetic insured with the application context around them."""
    age, sex = _age(rng), rng.choice((Sex.FEMALE, Sex.MALE))
    height, weight = _build(rng, age, sex)
    adult = age >= 18
    smokes = adult and rng.random() < SMOKING[sex]
    insured = InsuredFacts(
        insured_id=f"b{index}",
        birth_date=_born(rng, age),
        sex=sex,
        height_cm=height,
        weight_kg=weight,
        cigarettes_per_day=Decimal(rng.choice((5, 10, 15, 20, 30)) if smokes else 0),
        alcohol=rng.choices(("none", "moderate", "heavy"), weights=(60, 35, 5))[0] if adult else None,
        occupation_class=rng.choices(("c1", "c2", "c3", "c4", "c5", "c6"), weights=(45, 25, 18, 8, 3, 1))[0]
        if adult
        else None,
        pursuits=("rock_climbing",) if adult and rng.random() < 0.01 else (),
        family_history=("cardiovascular_before_60",) if rng.random() < 0.05 else (),
        disclosures=_disclosures(rng, kb, age, sex, tail),
        covers=_covers(rng, age),
    )
    channel = rng.choices(tuple(Channel), weights=(50, 30, 10, 5, 5))[0]
    holder = age if adult else rng.randint(25, 50)
    if channel is Channel.BANK and adult:
        holder = max(age, rng.randint(30, 75))
    return Applicant(insured, channel, holder, rng.choices((1, 2, 3, 4, 5), weights=(20, 30, 30, 15, 5))[0])


def population(kb: KnowledgeBase, size: int, seed: int = 20261126) -> list[Applicant]:
    rng = random.Random(seed)
    common = {"HTN", "T2DM", "HBV_CARRIER", "THYROID_NODULE", "DEPRESSION", "ANXIETY"}
    tail = sorted(set(kb.impairments) - common)
    return [applicant(rng, kb, i, tail) for i in range(size)]
