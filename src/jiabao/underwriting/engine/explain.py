"""Plain-language explanations of a conclusion (承保结论说明), Chinese first, from the versioned texts.

PIPL art. 24 gives the person a right to an explanation of an automated decision and to refuse a decision
made solely by automated means; every insured-level explanation ends with that statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from jiabao.underwriting.engine.codes import Conclusion, Evidence, OutcomeKind, ProductLine, ReasonCode
from jiabao.underwriting.engine.combine import LineTerms
from jiabao.underwriting.engine.kb import KnowledgeBase
from jiabao.underwriting.engine.rating import Contribution
from jiabao.underwriting.engine.results import FlatExtra, LineDecision, Reason


def reason_from(kb: KnowledgeBase, line: ProductLine, item: Contribution, decisive: bool) -> Reason:
    """The reason record of one contribution, with its customer-readable sentence.

    ``decisive`` marks the contributions that produced the line's conclusion (for a declined line, only the
    declines); the explanation shows those, the record keeps them all for the underwriter.
    """
    rule = item.rule
    template = kb.texts.reasons[rule.code.value]
    fields_zh = {"subject": rule.subject_name.zh, "detail": rule.detail.zh}
    fields_en = {"subject": rule.subject_name.en, "detail": rule.detail.en}
    return Reason(
        code=rule.code,
        subject=rule.subject,
        path=rule.path,
        line=line,
        outcome=item.outcome.kind,
        debits=item.outcome.debits,
        decisive=decisive,
        text_zh=template.zh.format(**fields_zh),
        text_en=template.en.format(**fields_en),
    )


def case_reason(
    kb: KnowledgeBase,
    code: ReasonCode,
    line: ProductLine,
    outcome: OutcomeKind | None,
    subject: str,
    **fields: object,
) -> Reason:
    """A reason from a case-level rule (limits, caps, channel, family terms)."""
    template = kb.texts.reasons[code.value]
    zh_fields = {k: (v.zh if hasattr(v, "zh") else v) for k, v in fields.items()}
    en_fields = {k: (v.en if hasattr(v, "en") else v) for k, v in fields.items()}
    return Reason(
        code=code,
        subject=subject,
        line=line,
        outcome=outcome,
        text_zh=template.zh.format(**zh_fields),
        text_en=template.en.format(**en_fields),
    )


def _money(amount: Decimal) -> str:
    return f"{amount:,.0f}"


def _per_mille(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _terms(kb: KnowledgeBase, table: int, flats: tuple[FlatExtra, ...]) -> tuple[str, str]:
    texts = kb.texts.conclusions
    zh: list[str] = []
    en: list[str] = []
    if table:
        percent = table * kb.rating.table_step_percent
        zh.append(texts["table"].zh.format(percent=percent))
        en.append(texts["table"].en.format(percent=percent))
    for flat in flats:
        key = "flat_permanent" if flat.years is None else "flat_temporary"
        zh.append(texts[key].zh.format(per_mille=_per_mille(flat.per_mille), years=flat.years))
        en.append(texts[key].en.format(per_mille=_per_mille(flat.per_mille), years=flat.years))
    return "，".join(zh), " and ".join(en)


def line_text(
    kb: KnowledgeBase, line: ProductLine, conclusion: Conclusion, terms: LineTerms, evidence: tuple[Evidence, ...]
) -> tuple[str, str]:
    """One sentence per product line: the conclusion with its terms, exclusions, delay or evidence."""
    name = kb.texts.lines[line]
    template = kb.texts.conclusions[conclusion.value]
    terms_zh, terms_en = _terms(kb, terms.table, terms.flat_extras)
    fields_zh = {
        "line": name.zh,
        "terms": terms_zh,
        "exclusions": "".join(e.wording_zh for e in terms.exclusions),
        "evidence": "、".join(kb.texts.evidence[e].zh for e in evidence),
        "months": terms.postpone_months or 0,
    }
    fields_en = {
        "line": name.en,
        "terms": terms_en,
        "exclusions": " ".join(e.wording_en for e in terms.exclusions),
        "evidence": ", ".join(kb.texts.evidence[e].en for e in evidence),
        "months": terms.postpone_months or 0,
    }
    return template.zh.format(**fields_zh), template.en.format(**fields_en)


def with_reasons(kb: KnowledgeBase, sentence: tuple[str, str], reasons: Sequence[Reason]) -> tuple[str, str]:
    """Append the decisive reasons (those that changed the outcome) to a line sentence."""
    decisive = _unique(r for r in reasons if r.decisive)
    if not decisive:
        return sentence
    because = kb.texts.conclusions["because"]
    zh = sentence[0] + because.zh + "；".join(r.text_zh for r in decisive) + "。"
    en = sentence[1] + " " + because.en + "; ".join(r.text_en for r in decisive) + "."
    return zh, en


def _unique(reasons: Iterable[Reason]) -> list[Reason]:
    seen: dict[str, Reason] = {}
    for reason in reasons:
        seen.setdefault(reason.text_zh, reason)
    return list(seen.values())


def insured_text(kb: KnowledgeBase, lines: Sequence[LineDecision]) -> tuple[str, str]:
    """The whole conclusion for one insured person, ending with the right to human review."""
    zh = [item.explanation_zh for item in lines]
    en = [item.explanation_en for item in lines]
    if all(item.conclusion is Conclusion.STANDARD and not item.reasons for item in lines):
        zh.append(kb.texts.nothing_to_report.zh)
        en.append(kb.texts.nothing_to_report.en)
    zh.append(kb.texts.review_right.zh)
    en.append(kb.texts.review_right.en)
    return "\n".join(zh), "\n".join(en)
