"""Collecting every rule's outcome for one insured (disclosures and factors) per product line.

Numerical rating (regulation.md §1.1): each disclosed impairment contributes its answer path's outcome, and
build, blood pressure, lipids, smoking, alcohol, occupation, hazardous pursuits and family history contribute
their band's outcome. A disclosed impairment may *supersede* a measured factor (e.g. disclosed hypertension
is rated on its own questions, so the measured blood pressure is not rated a second time) — the hierarchy
rule reinsurer engines use so that one risk is not counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jiabao.underwriting.engine.codes import OutcomeKind, ProductLine, ReasonCode
from jiabao.underwriting.engine.facts import InsuredFacts
from jiabao.underwriting.engine.kb import KnowledgeBase
from jiabao.underwriting.engine.paths import answer_codes, band_for, match_path
from jiabao.underwriting.engine.schema import ChoiceFactor, LineOutcomes, NumericFactor, Outcome, Text


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule that fired for the insured: its source, the answer path or band, and its outcomes."""

    code: ReasonCode
    subject: str
    subject_name: Text
    path: str | None
    detail: Text
    outcomes: LineOutcomes


@dataclass(frozen=True, slots=True)
class Contribution:
    """One rule's outcome on one product line."""

    rule: Rule
    outcome: Outcome


def fired_rules(kb: KnowledgeBase, insured: InsuredFacts, age: int, as_of: date) -> list[Rule]:
    """Every rule that applies to the insured, disclosures first, in a stable order."""
    rules: list[Rule] = []
    superseded: set[str] = set()
    for disclosure in insured.disclosures:
        impairment = kb.impairments[disclosure.impairment]
        superseded.update(impairment.supersedes)
        chosen = match_path(impairment, answer_codes(impairment, kb.reflexive, disclosure.answers, as_of))
        rules.append(Rule(ReasonCode.IMPAIRMENT, impairment.code, impairment.name, chosen.id, chosen.label, chosen))
    rules.extend(_measured(kb, insured, age, superseded))
    rules.extend(_chosen(kb.factors.alcohol, ReasonCode.ALCOHOL, _one(insured.alcohol)))
    rules.extend(_chosen(kb.factors.occupation, ReasonCode.OCCUPATION, _one(insured.occupation_class)))
    rules.extend(_chosen(kb.factors.pursuits, ReasonCode.PURSUIT, insured.pursuits))
    rules.extend(_chosen(kb.factors.family_history, ReasonCode.FAMILY_HISTORY, insured.family_history))
    return rules


def bmi(height_cm: Decimal, weight_kg: Decimal) -> Decimal:
    """Body-mass index = weight (kg) / height (m)², to one decimal place (WS/T 428-2013)."""
    metres = height_cm / 100
    return (weight_kg / (metres * metres)).quantize(Decimal("0.1"))


def _measured(kb: KnowledgeBase, insured: InsuredFacts, age: int, superseded: set[str]) -> Iterator[Rule]:
    factors = kb.factors
    if "build" not in superseded and insured.height_cm and insured.weight_kg:
        yield from _numeric(factors.build, ReasonCode.BUILD, age, bmi(insured.height_cm, insured.weight_kg))
    bp = factors.blood_pressure
    if "blood_pressure" not in superseded and insured.systolic and insured.diastolic and age >= bp.min_age:
        for band in bp.bands:
            if _below(insured.systolic, band.systolic_below) and _below(insured.diastolic, band.diastolic_below):
                break
        yield Rule(ReasonCode.BLOOD_PRESSURE, band.code, band.label, None, band.label, band)
    if "lipids" not in superseded and insured.total_cholesterol is not None:
        yield from _numeric(factors.lipids, ReasonCode.LIPIDS, age, insured.total_cholesterol)
    yield from _numeric(factors.smoking, ReasonCode.SMOKING, age, insured.cigarettes_per_day)


def _below(value: Decimal, bound: int | None) -> bool:
    return bound is None or value < bound


def _numeric(factor: NumericFactor, code: ReasonCode, age: int, value: Decimal) -> Iterator[Rule]:
    if age >= factor.min_age:
        band = band_for(factor.bands, value)
        yield Rule(code, band.code, band.label, None, band.label, band)


def _one(value: str | None) -> tuple[str, ...]:
    return () if value is None else (value,)


def _chosen(factor: ChoiceFactor, code: ReasonCode, chosen: Iterable[str]) -> Iterator[Rule]:
    wanted = set(chosen)
    for option in factor.options:
        if option.code in wanted:
            yield Rule(code, option.code, option.label, None, option.label, option)


def contributions(rules: list[Rule], line: ProductLine) -> list[Contribution]:
    """The rules' outcomes on ``line``; factor rules at standard are left out (nothing to explain)."""
    out: list[Contribution] = []
    for rule in rules:
        outcome = rule.outcomes.for_line(line)
        if rule.code is ReasonCode.IMPAIRMENT or outcome.kind is not OutcomeKind.STANDARD:
            out.append(Contribution(rule, outcome))
    return out
