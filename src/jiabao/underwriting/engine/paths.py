"""Turning reflexive answers into answer codes, and answer codes into the impairment's answer path."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from jiabao.underwriting.engine.codes import AnswerType
from jiabao.underwriting.engine.facts import AnswerValue, age_at
from jiabao.underwriting.engine.schema import AnswerPath, Impairment, ReflexiveQuestion


class Bounded(Protocol):
    @property
    def below(self) -> Decimal | None: ...


B = TypeVar("B", bound=Bounded)


def band_for(bands: tuple[B, ...], value: Decimal) -> B:
    """The first band whose exclusive upper bound exceeds ``value``; the open last band otherwise."""
    for band in bands:
        if band.below is None or value < band.below:
            return band
    return bands[-1]


def answer_code(question: ReflexiveQuestion, value: AnswerValue, as_of: date) -> str:
    """The code a path can name: the option itself, or the band of a number or of the years since a date.

    Dates count whole years elapsed on ``as_of`` (so "under 1 year" means fewer than 12 full months), the
    same convention as age last birthday; the engine never reads the clock.
    """
    if question.type in (AnswerType.CHOICE, AnswerType.YES_NO):
        return str(value)
    if question.type is AnswerType.DATE:
        if not isinstance(value, date):
            raise TypeError(f"{question.id}: expected a date")
        return band_for(question.bands, Decimal(age_at(value, as_of))).code
    if isinstance(value, date):
        raise TypeError(f"{question.id}: expected a number")
    return band_for(question.bands, Decimal(value)).code


def answer_codes(
    impairment: Impairment,
    questions: Mapping[str, ReflexiveQuestion],
    answers: Mapping[str, AnswerValue],
    as_of: date,
) -> dict[str, str]:
    """Answer codes for every reflexive question of ``impairment`` that has an answer."""
    return {qid: answer_code(questions[qid], answers[qid], as_of) for qid in impairment.questions if qid in answers}


def match_path(impairment: Impairment, codes: Mapping[str, str]) -> AnswerPath:
    """The first path whose every condition holds (conditions AND, listed answers OR).

    The schema guarantees the last path has no condition, so every combination of answers reaches a path;
    a question left unanswered satisfies no condition on it.
    """
    for candidate in impairment.paths:
        if all(codes.get(qid) in allowed for qid, allowed in candidate.when.items()):
            return candidate
    return impairment.paths[-1]  # pragma: no cover - unreachable: the last path is unconditional
