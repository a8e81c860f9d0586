"""The calls other domains make (kept to one line each at their end):

- ``application_gate(ctx, application)`` in ``policies.application.service.confirm``, before confirmation;
- ``claim_risk(ctx, claim, data)`` in ``claims.service._decide``, as the engine's ``risk_score``;
- ``index_payments(ctx)`` at the end of a batch of issuances (``policies.issuance.batch``).
"""

from __future__ import annotations

from typing import Any

from jiabao.db.context import ServiceContext
from jiabao.policies.application.models import Application
from jiabao.risk.fraud import repository as repo
from jiabao.risk.fraud import service


def application_gate(ctx: ServiceContext, application: Application) -> None:
    service.application_gate(ctx, application)


def claim_risk(ctx: ServiceContext, claim: Any, data: Any) -> float:
    """Score a claim being decided (``claim``: the flushed ``claims.models.Claim``; ``data``: its ``ClaimIn``);
    returns the score in [0, 1] the engine compares with ``max_fast_pay_risk``."""
    hospital = str(getattr(data, "hospital", "") or "")
    if hospital.strip():
        repo.record_identifier(
            ctx,
            source=f"claim-hospital:{claim.id}",
            kind="hospital",
            bidx=ctx.cipher.blind_index(repo.HOSPITAL_INDEX, hospital),
            masked=hospital,
            person_id=claim.insured_person_id,
            household_id=claim.household_id,
            claim_id=claim.id,
        )
    facts = service.claim_facts(
        ctx,
        claim_id=claim.id,
        household_id=claim.household_id,
        insured_person_id=claim.insured_person_id,
        event_date=claim.event_date,
        claimed=claim.claimed_amount,
        invoices=[item.invoice_number for item in getattr(data, "bill_items", [])],
        hospital=hospital,
        proxy=bool(claim.proxy),
    )
    return service.score_claim(ctx, claim.id, claim.household_id, facts).score


def index_payments(ctx: ServiceContext) -> None:
    """At the end of a batch of payments (``policies.issuance.batch``): index their accounts for the scoring in
    the batch's own transaction, so a concurrent batch never indexes them too."""
    repo.sync_identifiers(ctx)
