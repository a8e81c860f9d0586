"""/api/v1 applications (投保) with smart underwriting (智能核保), and the underwriters' referral queue."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from jiabao.api.deps import require, runtime_of, service_context
from jiabao.api.households import Reader, Writer
from jiabao.core.auth import Role
from jiabao.db.context import ServiceContext
from jiabao.policies.application import referrals as referral_outcomes
from jiabao.policies.application import service as applications
from jiabao.policies.application.schemas import ApplicationIn, ApplicationOut, QuestionnaireIn
from jiabao.underwriting import service as uw
from jiabao.underwriting import views
from jiabao.underwriting.engine import Conclusion, ProductLine, search_impairments

router = APIRouter(tags=["applications & underwriting"])
Underwriter = Annotated[ServiceContext, Depends(require(Role.UNDERWRITER, Role.ADMIN))]
Anyone = Annotated[ServiceContext, Depends(service_context)]


@router.post("/households/{household_id}/applications", operation_id="applications_start", status_code=201)
def start(request: Request, ctx: Writer, household_id: int, data: ApplicationIn) -> ApplicationOut:
    """Open an application for household members: priced now, then each insured answers the health questions."""
    return applications.start(ctx, runtime_of(request).products, household_id, data)


@router.get("/households/{household_id}/applications", operation_id="applications_list")
def list_applications(request: Request, ctx: Reader, household_id: int) -> list[ApplicationOut]:
    return applications.list_for_household(ctx, runtime_of(request).products, household_id)


@router.get("/applications/{application_id}", operation_id="applications_get")
def get(request: Request, ctx: Reader, application_id: int) -> ApplicationOut:
    return applications.view(ctx, runtime_of(request).products, application_id)


@router.get("/applications/{application_id}/insureds/{person_id}/questionnaire", operation_id="questionnaire_get")
def questionnaire(request: Request, ctx: Reader, application_id: int, person_id: int) -> views.QuestionnaireOut:
    """The health questions for this insured, filtered by product lines, channel, age and sex."""
    runtime = runtime_of(request)
    _, qctx = applications.questionnaire_context(ctx, runtime.products, application_id, person_id)
    return views.questionnaire(runtime.knowledge.get(), qctx, person_id)


@router.post("/applications/{application_id}/insureds/{person_id}/questionnaire", operation_id="questionnaire_submit")
def submit(request: Request, ctx: Writer, application_id: int, person_id: int, data: QuestionnaireIn) -> ApplicationOut:
    """Answer the health questions; the conclusion (承保结论) comes back with its explanation."""
    runtime = runtime_of(request)
    return applications.submit_questionnaire(
        ctx, runtime.products, runtime.knowledge.get(), application_id, person_id, data
    )


@router.post("/applications/{application_id}/insureds/{person_id}/review", operation_id="questionnaire_review")
def review(request: Request, ctx: Writer, application_id: int, person_id: int) -> ApplicationOut:
    """Ask for a person to review the automated conclusion (PIPL art. 24)."""
    return applications.request_review(ctx, runtime_of(request).products, application_id, person_id)


class ImpairmentHit(BaseModel):
    code: str
    name_zh: str
    name_en: str
    category: str
    matched: str


@router.get("/underwriting/impairments", operation_id="impairments_search")
def impairments(
    request: Request, ctx: Anyone, q: Annotated[str, Query(min_length=1, max_length=40)]
) -> list[ImpairmentHit]:
    """Find a condition by Chinese or English name, synonym or ICD-10 code."""
    hits = search_impairments(runtime_of(request).knowledge.get(), q)
    return [
        ImpairmentHit(code=h.code, name_zh=h.name_zh, name_en=h.name_en, category=h.category, matched=h.matched)
        for h in hits
    ]


@router.get("/underwriting/impairments/{code}/questions", operation_id="impairments_questions")
def impairment_questions(request: Request, ctx: Anyone, code: str) -> list[views.QuestionOut]:
    """The reflexive questions a disclosed condition opens (追问)."""
    return views.reflexive(runtime_of(request).knowledge.get(), code)


class ReferralOut(BaseModel):
    id: int
    application_id: int
    person_id: int
    status: str
    reasons: list[str]
    created_at: datetime
    engine_conclusion: str | None = None
    engine_result: dict[str, Any] | None = None
    facts: dict[str, Any] | None = None


ExtraPercent = Annotated[int, Field(ge=0, le=500)]
ClauseCode = Annotated[str, Field(min_length=4, max_length=40, pattern=r"^EX_[A-Z0-9_]+$")]


class ReferralDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conclusion: Conclusion
    reason: str = Field(min_length=4, max_length=500)
    extra_premium_percent: dict[ProductLine, ExtraPercent] = Field(default_factory=dict)
    """The rating (加费, % of the standard premium) per product line; required for rated conclusions."""
    exclusions: list[ClauseCode] = Field(default_factory=list, max_length=10)
    """Exclusion clause codes from the knowledge base (exclusions.yaml); required for exclusion conclusions."""


@router.get("/underwriting/referrals", operation_id="referrals_list")
def referrals(ctx: Underwriter) -> list[ReferralOut]:
    return [ReferralOut.model_validate(r, from_attributes=True) for r in uw.open_referrals(ctx)]


@router.get("/underwriting/referrals/{referral_id}", operation_id="referrals_get")
def referral(ctx: Underwriter, referral_id: int) -> ReferralOut:
    found, decision = uw.referral(ctx, referral_id)
    out = ReferralOut.model_validate(found, from_attributes=True)
    return out.model_copy(
        update={
            "engine_conclusion": decision.conclusion,
            "engine_result": uw.result_of(ctx, decision),
            "facts": uw.facts_of(ctx, decision),
        }
    )


@router.post("/underwriting/referrals/{referral_id}/decision", operation_id="referrals_decide")
def decide(request: Request, ctx: Underwriter, referral_id: int, data: ReferralDecisionIn) -> ApplicationOut:
    """The underwriter's conclusion with a reason; recorded beside (not over) the engine's decision."""
    runtime = runtime_of(request)
    human = uw.resolve(
        ctx,
        runtime.knowledge.get(),
        referral_id,
        conclusion=data.conclusion,
        reason=data.reason,
        extra_premium_percent={line.value: pct for line, pct in data.extra_premium_percent.items()},
        exclusions=data.exclusions,
    )
    referral_outcomes.apply_human_decision(ctx, runtime_of(request).products, human)
    return applications.view(ctx, runtime_of(request).products, human.application_id)
