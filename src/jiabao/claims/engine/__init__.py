"""Pure claims engine (智能理赔规则引擎): facts in, decision with structured reasons out.

No database, web framework or clock reads; the rule set is read from versioned data files. Public API:

- ``load_rules(version=None) -> RuleSet``; ``available_versions()``
- ``product_terms(Product) -> ProductTerms`` (the catalog terms copied into the input)
- input facts: ``ClaimCase`` (``Claim``, ``PolicyFacts``, ``HouseholdFacts``, ``EngineConfig`` …)
- ``decide(rules, case) -> Decision`` — the check chain, benefit lines per policy, family waivers, outcome
- ``grade(rules, claim)`` (CI definition matching), ``medical_line``, ``spouse_joint``, ``premium_waivers``
- ``required_documents`` / ``documents_for`` / ``missing_documents`` (the checklist, all at once)
- ``claim_timeline(...) -> ClaimTimeline`` (deadlines and warnings)
"""

from jiabao.claims.engine.ci_grading import Grading, grade
from jiabao.claims.engine.codes import (
    BenefitKind,
    Cause,
    CiGrade,
    Circumstance,
    ClaimType,
    Complexity,
    MildCancerCase,
    Outcome,
    ReasonCode,
    Severity,
    StatusKind,
    WaiverBasis,
)
from jiabao.claims.engine.decide import decide
from jiabao.claims.engine.documents import DocumentRequirement, documents_for, missing_documents, required_documents
from jiabao.claims.engine.facts import (
    BillItem,
    CiFacts,
    Claim,
    ClaimCase,
    Diagnosis,
    EngineConfig,
    Exclusion,
    HouseholdFacts,
    InsuredCover,
    PaidBenefit,
    PolicyFacts,
    StatusEvent,
)
from jiabao.claims.engine.family import premium_waivers, spouse_joint
from jiabao.claims.engine.medical import medical_line
from jiabao.claims.engine.results import Decision, PayableLine, Reason, RejectionNotice, WaiverGrant
from jiabao.claims.engine.rules import RuleSet, RuleSetError, available_versions, load_rules
from jiabao.claims.engine.terms import CiTerms, DeathTerms, FamilyTerms, MedicalTerms, ProductTerms, product_terms
from jiabao.claims.engine.timeline import ClaimTimeline, DocumentRequest, TimelineWarning, claim_timeline, paused_days

__all__ = [
    "BenefitKind",
    "BillItem",
    "Cause",
    "CiFacts",
    "CiGrade",
    "CiTerms",
    "Circumstance",
    "Claim",
    "ClaimCase",
    "ClaimTimeline",
    "ClaimType",
    "Complexity",
    "DeathTerms",
    "Decision",
    "Diagnosis",
    "DocumentRequest",
    "DocumentRequirement",
    "EngineConfig",
    "Exclusion",
    "FamilyTerms",
    "Grading",
    "HouseholdFacts",
    "InsuredCover",
    "MedicalTerms",
    "MildCancerCase",
    "Outcome",
    "PaidBenefit",
    "PayableLine",
    "PolicyFacts",
    "ProductTerms",
    "Reason",
    "ReasonCode",
    "RejectionNotice",
    "RuleSet",
    "RuleSetError",
    "Severity",
    "StatusEvent",
    "StatusKind",
    "TimelineWarning",
    "WaiverBasis",
    "WaiverGrant",
    "available_versions",
    "claim_timeline",
    "decide",
    "documents_for",
    "grade",
    "load_rules",
    "medical_line",
    "missing_documents",
    "paused_days",
    "premium_waivers",
    "product_terms",
    "required_documents",
    "spouse_joint",
]
