"""Death claims: who receives the benefit (身故保险金受益人) — the named beneficiaries of each policy covering the
deceased, or the legal heirs by order of succession (rules in :mod:`jiabao.claims.engine.workflow`) — and each
recipient's own account (Internet Measures art. 40). Each share is screened like any payee before it is paid."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from jiabao.claims.engine.workflow import Kin, Named, Relative, kin, recipients
from jiabao.claims.models import Claim, ClaimBeneficiary
from jiabao.claims.payout import ACCOUNT_COLUMN, pay_share
from jiabao.core import validation as v
from jiabao.core.auth import HOUSEHOLD_WRITERS
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput, PermissionDenied
from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.enums import LifeEventKind
from jiabao.family.schemas import HouseholdOut
from jiabao.policies.common.models import BeneficiaryDesignation, Policy, PolicyInsured
from jiabao.risk.screening import service as screening


def _designation(ctx: ServiceContext, policy_id: int, person_id: int) -> BeneficiaryDesignation | None:
    return ctx.session.scalars(
        select(BeneficiaryDesignation)
        .where(BeneficiaryDesignation.policy_id == policy_id, BeneficiaryDesignation.insured_person_id == person_id)
        .order_by(BeneficiaryDesignation.version.desc())
        .limit(1)
    ).one_or_none()


def relatives(ctx: ServiceContext, overview: HouseholdOut, claim: Claim) -> list[Relative]:
    """The household's members seen from the deceased insured; alive on the day of death (a member recorded as
    dead on or before it survived nobody)."""
    members = overview.members + overview.former_members
    insured = next(m for m in members if m.person_id == claim.insured_person_id)
    dead = {
        e.person_id
        for e in family.timeline(ctx, overview.id)
        if e.kind is LifeEventKind.DEATH and e.person_id is not None and e.occurred_on <= claim.event_date
    }
    return [
        Relative(m.person_id, m.name, kin(insured.relationship.value, m.relationship.value), m.person_id not in dead)
        for m in members
        if m.person_id != insured.person_id
    ]


def identify(ctx: ServiceContext, claim: Claim, overview: HouseholdOut) -> list[ClaimBeneficiary]:
    """One row per recipient and policy covering the deceased; the payee's own row takes the claim's account."""
    found = relatives(ctx, overview, claim)
    covering = ctx.session.execute(
        select(Policy.id)
        .join(PolicyInsured, PolicyInsured.policy_id == Policy.id)
        .where(
            Policy.household_id == claim.household_id,
            PolicyInsured.person_id == claim.insured_person_id,
            PolicyInsured.status == "active",
            Policy.status.not_in(("cancelled",)),
        )
        .order_by(Policy.id)
    )
    rows: list[ClaimBeneficiary] = []
    for (policy_id,) in covering:
        designation = _designation(ctx, policy_id, claim.insured_person_id)
        legal = designation is None or designation.legal_heirs
        named = [
            Named(str(b["name"]), int(b.get("order", 1)), Decimal(str(b.get("share") or 100)))
            for b in (designation.beneficiaries if designation is not None else [])
        ]
        for r in recipients(named, found, legal_heirs=legal):
            row = ClaimBeneficiary(
                claim_id=claim.id,
                policy_id=policy_id,
                person_id=r.person_id,
                name=r.name,
                basis=r.basis.value,
                share=str(r.share),
            )
            if r.person_id is not None and r.person_id == claim.payee_person_id:
                row.account_enc, row.account_masked = claim.account_enc, claim.account_masked
            ctx.session.add(row)
            rows.append(row)
    ctx.session.flush()
    ctx.audit("claim.beneficiaries", "claim", claim.id, {"recipients": len(rows)})
    return rows


def for_claim(ctx: ServiceContext, claim_id: int) -> list[ClaimBeneficiary]:
    stmt = select(ClaimBeneficiary).where(ClaimBeneficiary.claim_id == claim_id).order_by(ClaimBeneficiary.id)
    return list(ctx.session.scalars(stmt))


def screen(ctx: ServiceContext, claim: Claim, rows: list[ClaimBeneficiary]) -> None:
    """Every recipient is screened like any payee (watch lists) before their share is paid."""
    payees = [r.person_id for r in rows if r.person_id is not None]
    for person in dict.fromkeys(payees):
        screening.gate(
            ctx,
            occasion="claim_payment",
            context=f"claim:{claim.id}",
            household_id=claim.household_id,
            parties=screening.parties(insureds=[claim.insured_person_id], payee=person),
        )


def set_account(ctx: ServiceContext, claim: Claim, beneficiary_id: int, account: str) -> ClaimBeneficiary:
    """A recipient's own bank card; a share already approved is paid now (after screening)."""
    if ctx.principal.role not in HOUSEHOLD_WRITERS:
        raise PermissionDenied("Your role may not give a payee's account", "您的角色不能填写领款账户")
    row = ctx.session.get(ClaimBeneficiary, beneficiary_id)
    if row is None or row.claim_id != claim.id:
        raise InvalidInput(
            fields=(FieldProblem("beneficiary_id", "unknown", "未找到该受益人", "No such recipient on this claim"),)
        )
    if row.person_id is None:
        raise Conflict(
            "A beneficiary outside the household is paid at the counter after identification",
            "家庭外的受益人须到柜面核实身份后领取",
            code="beneficiary_at_counter",
        )
    if row.payment_id is not None:
        raise Conflict("This share is already paid", "该份额已支付", code="share_paid")
    try:
        card = v.check_bank_card(account, field="account", strict=True).number
    except v.ValidationFailed as exc:
        raise InvalidInput(
            fields=tuple(FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors)
        ) from exc
    row.account_enc = ctx.cipher.encrypt(ACCOUNT_COLUMN, card)
    row.account_masked = mask_bank_card(card)
    ctx.audit("claim.beneficiary_account", "claim", claim.id, {"beneficiary": row.id})
    if row.amount and claim.status == "paid":
        screen(ctx, claim, [row])
        claim.paid_amount += pay_share(ctx, claim, row)
    ctx.session.flush()
    return row


__all__ = ["Kin", "for_claim", "identify", "relatives", "screen", "set_account"]
