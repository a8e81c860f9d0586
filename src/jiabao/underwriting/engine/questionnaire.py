"""The health questionnaire (健康告知) engine: which questions to ask, and validating the answers.

- Base questions are filtered by product line, channel, age and sex (regulation.md §1.6).
- A disclosure question's answer is the list of named conditions chosen; each chosen condition opens its
  reflexive questions, and only then (reflexive questions "only when relevant").
- Every answer is validated: type, range, allowed options, required, and no answer to a question that was
  not asked. All problems are returned together, each naming the field with a reason in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jiabao.underwriting.engine.answers import AnswerError, AnswersInvalid, check_value
from jiabao.underwriting.engine.codes import AnswerType, Channel, ProductLine, Sex
from jiabao.underwriting.engine.facts import AnswerValue, CoverRequest, Disclosure, InForceCover, InsuredFacts, age_at
from jiabao.underwriting.engine.kb import KnowledgeBase
from jiabao.underwriting.engine.schema import BaseQuestion, Impairment, ReflexiveQuestion

__all__ = [
    "AnswerError",
    "AnswersInvalid",
    "QuestionnaireContext",
    "base_questions",
    "build_insured_facts",
    "disclosure_choices",
    "reflexive_questions",
    "validate_answers",
]


@dataclass(frozen=True, slots=True)
class QuestionnaireContext:
    """Who is being asked, through which channel, for which product lines, as of which date."""

    lines: frozenset[ProductLine]
    channel: Channel
    birth_date: date
    sex: Sex
    as_of: date

    @property
    def age(self) -> int:
        return age_at(self.birth_date, self.as_of)


def base_questions(kb: KnowledgeBase, ctx: QuestionnaireContext) -> tuple[BaseQuestion, ...]:
    """Base questions for this insured: any of the question's lines applied for, channel, age and sex match."""
    age = ctx.age
    return tuple(
        q
        for q in kb.base_questions
        if ctx.lines.intersection(q.lines)
        and ctx.channel in q.channels
        and q.min_age <= age <= q.max_age
        and (q.sex is None or q.sex is ctx.sex)
    )


def disclosure_choices(kb: KnowledgeBase, question: BaseQuestion, sex: Sex) -> tuple[Impairment, ...]:
    """The named conditions a disclosure question offers to this insured (sex-specific ones filtered)."""
    return tuple(kb.impairments[code] for code in question.covers if kb.impairments[code].sex in (None, sex))


def reflexive_questions(kb: KnowledgeBase, impairment: str) -> tuple[ReflexiveQuestion, ...]:
    """The follow-up questions a disclosure of ``impairment`` opens."""
    return tuple(kb.reflexive[qid] for qid in kb.impairments[impairment].questions)


def validate_answers(
    kb: KnowledgeBase,
    ctx: QuestionnaireContext,
    answers: Mapping[str, Any],
    reflexive: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Validate raw answers (form or JSON values); return the facts they establish, or raise AnswersInvalid.

    ``answers`` maps base-question ids to values; ``reflexive`` maps each disclosed impairment code to the
    answers of its reflexive questions.
    """
    errors: list[AnswerError] = []
    asked = base_questions(kb, ctx)
    facts: dict[str, Any] = {}
    disclosed: list[str] = []
    for question in asked:
        value = _checked(question, answers.get(question.id), f"answers.{question.id}", kb, ctx, errors)
        if value is None:
            continue
        if question.type is AnswerType.IMPAIRMENTS:
            disclosed.extend(value)
        elif question.type is AnswerType.MULTI_CHOICE:
            facts[question.fact] = tuple(value)
        else:
            facts[question.fact] = value
    asked_ids = {q.id for q in asked}
    errors.extend(_not_asked(f"answers.{key}") for key in answers if key not in asked_ids)
    facts["disclosures"] = tuple(_disclosures(kb, ctx, dict.fromkeys(disclosed), reflexive, errors))
    if errors:
        raise AnswersInvalid(tuple(errors))
    return facts


def _checked(
    question: BaseQuestion,
    raw: Any,
    field: str,
    kb: KnowledgeBase,
    ctx: QuestionnaireContext,
    errors: list[AnswerError],
) -> Any:
    if raw is None or raw == "":
        if question.required:
            errors.append(AnswerError.of(field, "required"))
        return None
    allowed: Sequence[str] = ()
    if question.type is AnswerType.IMPAIRMENTS:
        allowed = [imp.code for imp in disclosure_choices(kb, question, ctx.sex)]
    elif question.options:
        allowed = [o.code for o in question.options]
    problem, value = check_value(question, raw, allowed, ctx.birth_date, ctx.as_of)
    if problem is not None:
        errors.append(AnswerError.of(field, problem))
        return None
    return value


def _disclosures(
    kb: KnowledgeBase,
    ctx: QuestionnaireContext,
    disclosed: Mapping[str, None],
    reflexive: Mapping[str, Mapping[str, Any]],
    errors: list[AnswerError],
) -> list[Disclosure]:
    out: list[Disclosure] = []
    errors.extend(_not_asked(f"disclosures.{code}", "not_disclosed") for code in reflexive if code not in disclosed)
    for code in disclosed:
        given = reflexive.get(code, {})
        typed: dict[str, AnswerValue] = {}
        for question in reflexive_questions(kb, code):
            field = f"disclosures.{code}.{question.id}"
            raw = given.get(question.id)
            if raw is None or raw == "":
                errors.append(AnswerError.of(field, "required"))
                continue
            problem, value = check_value(question, raw, question.answer_codes(), ctx.birth_date, ctx.as_of)
            if problem is not None:
                errors.append(AnswerError.of(field, problem))
            else:
                typed[question.id] = value
        known = set(kb.impairments[code].questions)
        errors.extend(_not_asked(f"disclosures.{code}.{key}") for key in given if key not in known)
        out.append(Disclosure(impairment=code, answers=typed))
    return out


def _not_asked(field: str, code: str = "not_asked") -> AnswerError:
    return AnswerError.of(field, code)


def build_insured_facts(
    kb: KnowledgeBase,
    ctx: QuestionnaireContext,
    *,
    insured_id: str,
    answers: Mapping[str, Any],
    reflexive: Mapping[str, Mapping[str, Any]],
    covers: Sequence[CoverRequest],
    in_force: Sequence[InForceCover] = (),
) -> InsuredFacts:
    """Validate the questionnaire and return the engine's input for one insured (raises AnswersInvalid)."""
    facts = validate_answers(kb, ctx, answers, reflexive)
    facts.setdefault("cigarettes_per_day", Decimal(0))
    return InsuredFacts(
        insured_id=insured_id,
        birth_date=ctx.birth_date,
        sex=ctx.sex,
        covers=tuple(covers),
        in_force=tuple(in_force),
        **facts,
    )
