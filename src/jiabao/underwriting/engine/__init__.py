"""Pure underwriting engines (智能核保): knowledge base, questionnaire and decision. No I/O besides reading
the versioned knowledge-base files, no database, no clock reads.

Public API (what services and adapters call):

- ``load_knowledge_base(version=None, root=None) -> KnowledgeBase`` and ``KnowledgeBaseStore``
- ``base_questions``, ``disclosure_choices``, ``reflexive_questions``, ``validate_answers``,
  ``build_insured_facts`` (questionnaire) and ``search_impairments`` (search)
- ``decide_application(kb, ApplicationFacts) -> ApplicationDecision`` and
  ``decide_insured(kb, InsuredFacts, CaseContext) -> InsuredDecision``
"""

from jiabao.underwriting.engine.answers import AnswerError, AnswersInvalid
from jiabao.underwriting.engine.codes import (
    AnswerType,
    Channel,
    Conclusion,
    Evidence,
    OutcomeKind,
    PremiumMode,
    ProductLine,
    ReasonCode,
    Sex,
)
from jiabao.underwriting.engine.decision import CaseContext, decide_application, decide_insured
from jiabao.underwriting.engine.facts import (
    ApplicationFacts,
    CoverRequest,
    Disclosure,
    InForceCover,
    InsuredFacts,
    age_at,
)
from jiabao.underwriting.engine.kb import (
    KnowledgeBase,
    KnowledgeBaseError,
    KnowledgeBaseStore,
    load_knowledge_base,
    load_version,
)
from jiabao.underwriting.engine.questionnaire import (
    QuestionnaireContext,
    base_questions,
    build_insured_facts,
    disclosure_choices,
    reflexive_questions,
    validate_answers,
)
from jiabao.underwriting.engine.results import (
    ApplicationDecision,
    ExclusionTerm,
    FlatExtra,
    InsuredDecision,
    LineDecision,
    Reason,
)
from jiabao.underwriting.engine.search import SearchHit, normalise, search_impairments

__all__ = [
    "AnswerError",
    "AnswerType",
    "AnswersInvalid",
    "ApplicationDecision",
    "ApplicationFacts",
    "CaseContext",
    "Channel",
    "Conclusion",
    "CoverRequest",
    "Disclosure",
    "Evidence",
    "ExclusionTerm",
    "FlatExtra",
    "InForceCover",
    "InsuredDecision",
    "InsuredFacts",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "KnowledgeBaseStore",
    "LineDecision",
    "OutcomeKind",
    "PremiumMode",
    "ProductLine",
    "QuestionnaireContext",
    "Reason",
    "ReasonCode",
    "SearchHit",
    "Sex",
    "age_at",
    "base_questions",
    "build_insured_facts",
    "decide_application",
    "decide_insured",
    "disclosure_choices",
    "load_knowledge_base",
    "load_version",
    "normalise",
    "reflexive_questions",
    "search_impairments",
    "validate_answers",
]
