"""Questionnaire engine: filtering, reflexive questions on disclosure only, answer validation, search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from uw_helpers import AS_OF, born, cover, decide

from jiabao.underwriting.engine import (
    AnswersInvalid,
    Channel,
    Conclusion,
    KnowledgeBase,
    ProductLine,
    QuestionnaireContext,
    Sex,
    base_questions,
    build_insured_facts,
    disclosure_choices,
    reflexive_questions,
    search_impairments,
    validate_answers,
)

ALL = frozenset(ProductLine)


def ctx(
    lines: frozenset[ProductLine] = ALL, channel: Channel = Channel.ONLINE, age: int = 35, sex: Sex = Sex.FEMALE
) -> QuestionnaireContext:
    return QuestionnaireContext(lines=lines, channel=channel, birth_date=born(age), sex=sex, as_of=AS_OF)


def ids(kb: KnowledgeBase, context: QuestionnaireContext) -> set[str]:
    return {q.id for q in base_questions(kb, context)}


def clean_answers(kb: KnowledgeBase, context: QuestionnaireContext) -> dict[str, Any]:
    """Valid answers to every base question asked: nothing disclosed."""
    answers: dict[str, Any] = {}
    for q in base_questions(kb, context):
        if q.type.value in ("impairments", "multi_choice"):
            answers[q.id] = []
        elif q.type.value == "choice":
            answers[q.id] = q.options[0].code
        elif q.required:
            answers[q.id] = {"height_cm": 165, "weight_kg": "58.5"}.get(q.id, 0)
    return answers


def test_questions_follow_the_product_lines(kb: KnowledgeBase) -> None:
    annuity_only = ids(kb, ctx(frozenset({ProductLine.ANNUITY})))
    assert annuity_only == set()  # impaired lives do not change an annuity: no health questions
    accident_only = ids(kb, ctx(frozenset({ProductLine.ACCIDENT})))
    assert {"occupation_class", "pursuits", "disclose_neurological", "disclose_eye_ear"} <= accident_only
    assert "height_cm" not in accident_only and "disclose_endocrine" not in accident_only
    assert "disclose_endocrine" in ids(kb, ctx(frozenset({ProductLine.CI})))


def test_questions_follow_channel_age_and_sex(kb: KnowledgeBase) -> None:
    assert "bp_systolic" in ids(kb, ctx(channel=Channel.AGENT))
    assert "bp_systolic" not in ids(kb, ctx(channel=Channel.ONLINE))
    child = ids(kb, ctx(age=2))
    assert {"disclose_infant", "disclose_congenital"} <= child
    assert not {"occupation_class", "cigarettes_per_day", "disclose_pregnancy"} & child
    assert "disclose_pregnancy" in ids(kb, ctx(sex=Sex.FEMALE))
    man = ids(kb, ctx(sex=Sex.MALE))
    assert "disclose_pregnancy" not in man and "disclose_reproductive_male" in man
    assert "disclose_reproductive_female" not in man


def test_disclosure_choices_respect_sex(kb: KnowledgeBase) -> None:
    tumour = next(q for q in kb.base_questions if q.id == "disclose_tumour")
    assert "PROSTATE_CANCER" not in {i.code for i in disclosure_choices(kb, tumour, Sex.FEMALE)}
    assert "PROSTATE_CANCER" in {i.code for i in disclosure_choices(kb, tumour, Sex.MALE)}


def test_reflexive_questions_open_only_on_disclosure(kb: KnowledgeBase) -> None:
    context = ctx()
    answers = clean_answers(kb, context)
    facts = validate_answers(kb, context, answers, {})
    assert facts["disclosures"] == ()
    with pytest.raises(AnswersInvalid) as raised:
        validate_answers(kb, context, answers, {"HTN": {"bp_max": "lt140_90", "complications": "no"}})
    assert [e.as_dict()["code"] for e in raised.value.errors] == ["not_disclosed"]
    assert [q.id for q in reflexive_questions(kb, "HTN")] == ["bp_max", "complications"]


def test_a_disclosure_requires_its_reflexive_answers(kb: KnowledgeBase) -> None:
    context = ctx()
    answers = clean_answers(kb, context) | {"disclose_cardiovascular": ["HTN"]}
    with pytest.raises(AnswersInvalid) as raised:
        validate_answers(kb, context, answers, {"HTN": {"bp_max": "lt140_90"}})
    error = raised.value.errors[0]
    assert (error.field, error.code, error.reason_zh) == ("disclosures.HTN.complications", "required", "此项为必答题")
    facts = validate_answers(kb, context, answers, {"HTN": {"bp_max": "lt140_90", "complications": False}})
    assert facts["disclosures"][0].answers == {"bp_max": "lt140_90", "complications": "no"}


def test_every_answer_is_type_and_range_checked(kb: KnowledgeBase) -> None:
    context = ctx(channel=Channel.AGENT)
    answers = clean_answers(kb, context) | {
        "height_cm": "tall",
        "weight_kg": 500,
        "bp_systolic": "120.5",
        "alcohol": "lots",
        "pursuits": ["skydiving", "skydiving"],
        "disclose_endocrine": ["T2DM", "HTN"],
        "favourite_colour": "blue",
    }
    answers.pop("cigarettes_per_day")
    with pytest.raises(AnswersInvalid) as raised:
        validate_answers(kb, context, answers, {})
    found = {e.field: e.code for e in raised.value.errors}
    assert found == {
        "answers.height_cm": "not_a_number",
        "answers.weight_kg": "out_of_range",
        "answers.bp_systolic": "not_integer",
        "answers.alcohol": "invalid_choice",
        "answers.pursuits": "duplicate_choice",
        "answers.disclose_endocrine": "invalid_choice",
        "answers.cigarettes_per_day": "required",
        "answers.favourite_colour": "not_asked",
    }
    weight = next(e for e in raised.value.errors if e.field == "answers.weight_kg")
    assert weight.reason_zh == "请输入1至300之间的数值" and weight.reason_en == "Please enter a value from 1 to 300"


def test_reflexive_numbers_and_dates_are_checked(kb: KnowledgeBase) -> None:
    context = ctx()
    answers = clean_answers(kb, context) | {"disclose_tumour": ["THYROID_CANCER"], "disclose_endocrine": ["T2DM"]}
    reflexive = {
        "THYROID_CANCER": {"stage": "early", "treatment_end": "2027-01-01", "recurrence": "maybe"},
        "T2DM": {"diabetes_treatment": "oral", "hba1c": "25", "complications": "no"},
    }
    with pytest.raises(AnswersInvalid) as raised:
        validate_answers(kb, context, answers, reflexive)
    found = {e.field: e.code for e in raised.value.errors}
    assert found == {
        "disclosures.THYROID_CANCER.treatment_end": "future_date",
        "disclosures.THYROID_CANCER.recurrence": "not_yes_no",
        "disclosures.T2DM.hba1c": "out_of_range",
    }
    reflexive["THYROID_CANCER"] |= {"treatment_end": "1970-01-01", "recurrence": "no"}
    with pytest.raises(AnswersInvalid, match="before_birth"):
        validate_answers(kb, context, answers, reflexive)


def test_controlled_hypertension_from_answers_to_conclusion(kb: KnowledgeBase) -> None:
    """The browser flow in miniature: disclose, answer the reflexive questions, read the conclusion."""
    context = ctx(frozenset({ProductLine.DEATH, ProductLine.CI}), sex=Sex.MALE)
    answers = clean_answers(kb, context) | {"disclose_cardiovascular": ["HTN"], "weight_kg": 70}
    insured = build_insured_facts(
        kb,
        context,
        insured_id="m-1",
        answers=answers,
        reflexive={"HTN": {"bp_max": "lt140_90", "complications": "no"}},
        covers=[cover(ProductLine.DEATH, 500_000), cover(ProductLine.CI, 300_000)],
    )
    assert insured.weight_kg == Decimal(70) and insured.cigarettes_per_day == Decimal(0)
    decision = decide(kb, insured)
    assert decision.line(ProductLine.DEATH).conclusion is Conclusion.STANDARD
    ci = decision.line(ProductLine.CI)
    assert (ci.conclusion, ci.extra_premium_percent) == (Conclusion.RATED, 25)
    assert "重大疾病保障：加费承保，标准保费加收25%。" in decision.explanation_zh


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("高血压", "HTN"),
        ("hypertension", "HTN"),
        ("HIGH BLOOD PRESSURE", "HTN"),
        ("小三阳", "HBV_CARRIER"),
        ("z22.5", "HBV_CARRIER"),
        ("Z225", "HBV_CARRIER"),
        ("E11.9", "T2DM"),
        ("k76.0", "NAFLD"),
        ("甲状腺结节", "THYROID_NODULE"),
        ("磨玻璃", "LUNG_NODULE"),
        ("Parkinsons disease", "PARKINSON"),
        ("乳腺", "BREAST_NODULE"),
    ],
)
def test_search_finds_by_name_synonym_or_icd(kb: KnowledgeBase, query: str, code: str) -> None:
    hits = search_impairments(kb, query)
    assert code in [h.code for h in hits[:3]], hits[:3]


def test_search_ranks_exact_matches_first_and_filters_by_sex(kb: KnowledgeBase) -> None:
    hits = search_impairments(kb, "高血压")
    assert hits[0].code == "HTN" and hits[0].score == 95
    assert "PREECLAMPSIA" in {h.code for h in hits}
    assert "PREECLAMPSIA" not in {h.code for h in search_impairments(kb, "高血压", sex=Sex.MALE)}
    assert search_impairments(kb, "  ") == ()
    assert search_impairments(kb, "c50")[0].code == "BREAST_CANCER"


def test_newborn_questions_stop_after_age_three(kb: KnowledgeBase) -> None:
    context = QuestionnaireContext(
        lines=ALL, channel=Channel.ONLINE, birth_date=date(2020, 1, 1), sex=Sex.MALE, as_of=AS_OF
    )
    assert "disclose_infant" not in ids(kb, context)  # aged 6
