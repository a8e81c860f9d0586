"""Questionnaire shapes for the API and pages, built from the knowledge base (Chinese and English texts)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from jiabao.core.errors import NotFound
from jiabao.underwriting.engine import (
    AnswerType,
    KnowledgeBase,
    QuestionnaireContext,
    Sex,
    base_questions,
    disclosure_choices,
    reflexive_questions,
)


class OptionOut(BaseModel):
    code: str
    zh: str
    en: str


class QuestionOut(BaseModel):
    id: str
    zh: str
    en: str
    type: AnswerType
    required: bool = True
    options: list[OptionOut] = []
    unit: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None


class QuestionnaireOut(BaseModel):
    kb_version: str
    person_id: int
    questions: list[QuestionOut]


def questionnaire(kb: KnowledgeBase, qctx: QuestionnaireContext, person_id: int) -> QuestionnaireOut:
    """The base questions for this insured; impairment questions list their conditions as options."""
    out = []
    for q in base_questions(kb, qctx):
        if q.type is AnswerType.IMPAIRMENTS:
            options = [OptionOut(code=i.code, zh=i.name.zh, en=i.name.en) for i in disclosure_choices(kb, q, qctx.sex)]
        else:
            options = [OptionOut(code=o.code, zh=o.zh, en=o.en) for o in q.options]
        out.append(
            QuestionOut(
                id=q.id,
                zh=q.text.zh,
                en=q.text.en,
                type=q.type,
                required=q.required,
                options=options,
                unit=q.unit,
                min=q.min,
                max=q.max,
            )
        )
    return QuestionnaireOut(kb_version=kb.version, person_id=person_id, questions=out)


def reflexive(kb: KnowledgeBase, impairment: str) -> list[QuestionOut]:
    """The follow-up questions a disclosed condition opens (追问). An unknown condition code is a 404."""
    if impairment not in kb.impairments:
        raise NotFound(code="impairment_not_found")
    questions = []
    for q in reflexive_questions(kb, impairment):
        if q.type is AnswerType.YES_NO:
            options = [OptionOut(code="yes", zh="是", en="Yes"), OptionOut(code="no", zh="否", en="No")]
        else:
            options = [OptionOut(code=o.code, zh=o.zh, en=o.en) for o in q.options]
        questions.append(
            QuestionOut(
                id=q.id, zh=q.text.zh, en=q.text.en, type=q.type, options=options, unit=q.unit, min=q.min, max=q.max
            )
        )
    return questions


def impairment_name(kb: KnowledgeBase, code: str) -> tuple[str, str]:
    imp = kb.impairments.get(code)
    return (imp.name.zh, imp.name.en) if imp else (code, code)


__all__ = ["OptionOut", "QuestionOut", "QuestionnaireOut", "Sex", "impairment_name", "questionnaire", "reflexive"]
