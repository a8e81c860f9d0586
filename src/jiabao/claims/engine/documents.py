"""The documents a claim needs (理赔资料清单), listed all at once from the rule set's ``documents.yaml``.

Basic Service Rules 2010 art. 22 (tell the claimant the requirements promptly), Sales Conduct Measures art. 40
and T/IAC 54-2025 (one-time notice of every document) — so the list depends only on facts known at reporting.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from jiabao.claims.engine.codes import Cause, ClaimType
from jiabao.claims.engine.facts import Claim
from jiabao.claims.engine.rules import RuleSet


class DocumentRequirement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name_zh: str
    name_en: str
    advance_optional: bool


def required_documents(
    rules: RuleSet,
    claim_type: ClaimType,
    *,
    proxy: bool = False,
    minor: bool = False,
    cancer: bool = False,
    accident: bool = False,
) -> tuple[DocumentRequirement, ...]:
    """Every document for this kind of claim, in checklist order, without repeats."""
    docs = rules.docs
    codes = list(docs.required[claim_type])
    extra = {
        "proxy": proxy,
        "minor": minor,
        "cancer": cancer,
        "accident_death": accident and claim_type is ClaimType.DEATH,
    }
    for condition, wanted in extra.items():
        if wanted:
            codes += docs.when.get(condition, ())
    return tuple(
        DocumentRequirement(
            code=c,
            name_zh=docs.documents[c].zh,
            name_en=docs.documents[c].en,
            advance_optional=docs.documents[c].advance_optional,
        )
        for c in dict.fromkeys(codes)
    )


def documents_for(rules: RuleSet, claim: Claim) -> tuple[DocumentRequirement, ...]:
    """The checklist for one reported claim."""
    return required_documents(
        rules,
        claim.claim_type,
        proxy=claim.proxy,
        minor=claim.insured_is_minor,
        cancer=claim.ci is not None and claim.ci.disease == "cancer",
        accident=claim.cause is Cause.ACCIDENT,
    )


def missing_documents(rules: RuleSet, claim: Claim) -> tuple[DocumentRequirement, ...]:
    provided = set(claim.documents)
    return tuple(d for d in documents_for(rules, claim) if d.code not in provided)
