"""The platform's graph for ring detection: every household member, their phones (blind index), the bank accounts
of their payments and claims (blind index, via ``risk_identifiers``), their agent and the hospitals of their
claims. Only masked values reach the analysis and the picture."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from jiabao.claims.models import Claim
from jiabao.core.errors import NotFound
from jiabao.core.pii import mask_name
from jiabao.db.context import ServiceContext
from jiabao.family.models import Household, Member, Person
from jiabao.risk.fraud import repository as fraud_repo
from jiabao.risk.fraud.models import RiskAssessment, RiskIdentifier
from jiabao.risk.rings import graph, svg


def records(
    ctx: ServiceContext,
) -> tuple[list[graph.PersonRecord], list[graph.AttributeLink], dict[int, graph.HouseholdClaims]]:
    fraud_repo.sync_identifiers(ctx)
    persons: list[graph.PersonRecord] = []
    links: list[graph.AttributeLink] = []
    rows = ctx.session.execute(
        select(Member.person_id, Member.household_id, Person.name, Person.phone_bidx, Person.phone_masked).join(
            Person, Person.id == Member.person_id
        )
    ).all()
    seen: set[int] = set()
    for person_id, household_id, name, phone_bidx, phone_masked in rows:
        if person_id in seen:
            continue  # a person in two households (moved out): drawn in the first, links still count
        seen.add(person_id)
        persons.append(graph.PersonRecord(person_id, household_id, mask_name(name)))
        if phone_bidx:
            links.append(graph.AttributeLink(person_id, "phone", phone_bidx, phone_masked or ""))
    for kind, bidx, masked, person_id in ctx.session.execute(
        select(RiskIdentifier.kind, RiskIdentifier.bidx, RiskIdentifier.masked, RiskIdentifier.person_id)
    ):
        links.append(graph.AttributeLink(person_id, kind, bidx, masked))
    for _household, head, partner in ctx.session.execute(
        select(Household.id, Household.head_person_id, Household.partner_id).where(Household.partner_id.is_not(None))
    ):
        links.append(graph.AttributeLink(head, "agent", str(partner), f"代理人{partner}"))
    early = {
        claim_id
        for claim_id, reasons in ctx.session.execute(
            select(RiskAssessment.claim_id, RiskAssessment.reasons).where(RiskAssessment.kind == "claim")
        )
        if any(r.get("code") == "early_claim" for r in reasons)
    }
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for claim_id, household_id, amount in ctx.session.execute(
        select(Claim.id, Claim.household_id, Claim.claimed_amount)
    ):
        t = totals[household_id]
        t[0] += 1
        t[1] += 1 if claim_id in early else 0
        t[2] += amount
    claims = {h: graph.HouseholdClaims(int(t[0]), int(t[1]), t[2]) for h, t in totals.items()}
    return persons, links, claims


def analyse(ctx: ServiceContext) -> graph.Analysis:
    persons, links, claims = records(ctx)
    return graph.find_rings(persons, links, claims)


def ring(ctx: ServiceContext, rank: int) -> tuple[graph.Ring, str]:
    analysis = analyse(ctx)
    if not 1 <= rank <= len(analysis.rings):
        raise NotFound("Ring not found", "未找到该团伙", code="ring_not_found")
    found = analysis.rings[rank - 1]
    ctx.audit("risk.ring.view", "ring", found.ring_id, {"rank": rank})
    return found, svg.render(found, title=f"团伙 {rank} / Ring {rank}")
