"""What an underwriter's decision on a referred case sets in motion: the application's insured moves on, or — for
a member being added to an issued policy (保全加人) — the servicing request completes or is rejected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jiabao.db.context import ServiceContext
from jiabao.policies.application import service as applications
from jiabao.policies.application.models import Application
from jiabao.policies.common import premiums
from jiabao.policies.common.models import Policy, PolicyInsured, ServiceRequest
from jiabao.policies.issuance.service import ACCEPTED
from jiabao.policies.servicing.common import finish, replan_amounts
from jiabao.products.service import ProductEngine
from jiabao.underwriting import service as uw
from jiabao.underwriting.engine import Conclusion
from jiabao.underwriting.models import UnderwritingDecision
from jiabao.underwriting.terms import terms_of


def apply_human_decision(ctx: ServiceContext, engine: ProductEngine, decision: UnderwritingDecision) -> None:
    application = ctx.session.scalars(
        select(Application).where(Application.id == decision.application_id).options(selectinload(Application.insureds))
    ).one()
    if any(i.person_id == decision.person_id for i in application.insureds):
        applications.apply_human_decision(ctx, engine, decision, application)
        return
    _complete_add_member(ctx, engine, decision)


def _complete_add_member(ctx: ServiceContext, engine: ProductEngine, decision: UnderwritingDecision) -> None:
    """The add-insured request waiting on this case: add the member on an acceptable decision, else reject."""
    policy = ctx.session.scalars(
        select(Policy).where(Policy.application_id == decision.application_id).options(selectinload(Policy.insureds))
    ).one()
    requests = ctx.session.scalars(
        select(ServiceRequest).where(
            ServiceRequest.policy_id == policy.id,
            ServiceRequest.kind == "add_insured",
            ServiceRequest.status == "accepted",
        )
    )
    row = next((r for r in requests if r.result.get("decision_id") == decision.supersedes_id), None)
    if row is None:
        return
    result: dict[str, Any] = {
        **row.result,
        "conclusion": decision.conclusion,
        "decision_id": decision.id,
        "underwriting": "human",
    }
    if Conclusion(decision.conclusion) not in ACCEPTED:
        finish(ctx, policy, row, result, status="rejected")
        return
    payload = row.payload
    insured = PolicyInsured(
        policy_id=policy.id,
        person_id=decision.person_id,
        sum_assured=Decimal(payload["sum_assured"]),
        annual_premium=Decimal(payload["annual_premium"]),
        conclusion=decision.conclusion,
        decision_id=decision.id,
        start_date=date.fromisoformat(payload["start_date"]),
        end_date=policy.insureds[0].end_date if policy.insureds else None,
        status="active",
    )
    lines = [line.value for line in applications.product_lines(engine, policy.product_code)]
    premiums.apply_terms(insured, Decimal(payload["annual_premium"]), terms_of(uw.result_of(ctx, decision), lines))
    result["member_annual_premium"] = str(insured.annual_premium)
    policy.insureds.append(insured)
    ctx.session.flush()
    finish(ctx, policy, row, result | replan_amounts(ctx, policy, policy.frequency))
