"""Servicing changes that do not touch the premium: contact details, beneficiaries, the payment account.

Each validates everything first and writes only when all is well, so a refused request leaves no trace."""

from __future__ import annotations

import base64

from sqlalchemy import func, select

from jiabao.core import validation as v
from jiabao.core.errors import Conflict, FieldProblem, InvalidInput
from jiabao.core.pii import mask_bank_card
from jiabao.db.context import ServiceContext
from jiabao.family import service as family
from jiabao.family.schemas import HouseholdOut, MemberUpdate
from jiabao.policies.common.models import BeneficiaryDesignation, Payment, Policy, ServiceRequest
from jiabao.policies.common.payments import ACCOUNT_COLUMN
from jiabao.policies.rules.servicing import Beneficiary, Channel, ServicingItem, validate_beneficiaries
from jiabao.policies.servicing.common import active_insureds, finish, open_request, problem, raise_if
from jiabao.policies.servicing.schemas import BeneficiaryChangeIn, ContactIn, PaymentAccountIn
from jiabao.risk.screening import service as screening


def change_contact(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: ContactIn
) -> ServiceRequest:
    """The policyholder's mobile number, through the family service (validated, encrypted, blind-indexed)."""
    holder = next((m for m in overview.members if m.person_id == policy.policyholder_person_id), None)
    if holder is None:
        raise Conflict(
            "The policyholder has left the household; change the contact at a counter with identity documents",
            "投保人已不在本家庭账户中，请携带身份证件到柜面办理",
            code="policyholder_not_member",
        )
    updated = family.update_member(ctx, holder.member_id, MemberUpdate(phone=data.phone))  # validates first
    row = open_request(ctx, policy, ServicingItem.CONTACT_DETAILS, channel, {"fields": ["phone"]})
    finish(ctx, policy, row, {"phone_masked": updated.phone_masked, "previous_masked": holder.phone_masked})
    return row


def _designation_problems(policy: Policy, data: BeneficiaryChangeIn) -> list[FieldProblem]:
    problems = []
    if all(i.person_id != data.insured_person_id for i in active_insureds(policy)):
        problems.append(
            problem("insured_person_id", "not_insured", "不是本保单在保的被保险人", "Not an insured of this policy")
        )
    if not data.insured_consent:
        problems.append(
            problem(
                "insured_consent",
                "consent_missing",
                "变更受益人须经被保险人同意（《保险法》第三十九条、第四十一条）",
                "The insured must consent to a beneficiary change (Insurance Law arts. 39 and 41)",
            )
        )
    try:
        validate_beneficiaries(
            [Beneficiary(b.name, b.order, b.share) for b in data.beneficiaries], legal_heirs=data.legal_heirs
        )
    except InvalidInput as exc:
        problems += exc.fields
    return problems


def change_beneficiary(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: BeneficiaryChangeIn
) -> ServiceRequest:
    """A new designation version for one insured; earlier versions stay as they were (history)."""
    raise_if(_designation_problems(policy, data))
    screening.gate(
        ctx,
        occasion="beneficiary_change",
        context=f"policy:{policy.id}",
        household_id=policy.household_id,
        parties=screening.parties(
            insureds=[data.insured_person_id], beneficiaries=[b.name for b in data.beneficiaries]
        ),
    )
    designation = validate_beneficiaries(
        [Beneficiary(b.name, b.order, b.share) for b in data.beneficiaries], legal_heirs=data.legal_heirs
    )
    relationship = {(b.order, b.name): b.relationship for b in data.beneficiaries}
    latest = ctx.session.scalar(
        select(func.max(BeneficiaryDesignation.version)).where(
            BeneficiaryDesignation.policy_id == policy.id,
            BeneficiaryDesignation.insured_person_id == data.insured_person_id,
        )
    )
    version = (latest or 0) + 1
    payload = {"insured_person_id": data.insured_person_id, "version": version, "insured_consent": True}
    row = open_request(ctx, policy, ServicingItem.BENEFICIARY, channel, payload)
    ctx.session.add(
        BeneficiaryDesignation(
            policy_id=policy.id,
            insured_person_id=data.insured_person_id,
            version=version,
            legal_heirs=designation.legal_heirs,
            beneficiaries=[
                {
                    "name": b.name,
                    "relationship": relationship.get((b.order, b.name), ""),
                    "order": b.order,
                    "share": str(b.share),
                }
                for b in designation.beneficiaries
            ],
            effective_at=ctx.now(),
            insured_consent=True,
            service_request_id=row.id,
        )
    )
    ctx.session.flush()
    finish(ctx, policy, row, {"version": version, "previous_version": latest, "legal_heirs": designation.legal_heirs})
    return row


def _card(raw: str) -> tuple[str | None, list[FieldProblem]]:
    try:
        return v.check_bank_card(raw, field="account", strict=True).number, []
    except v.ValidationFailed as exc:
        return None, [FieldProblem(e.field, e.code, e.message_zh, e.message_en) for e in exc.errors]


def current_account_masked(ctx: ServiceContext, policy: Policy) -> str | None:
    """The account premiums are collected from: the last change, else the first premium's account."""
    changed = policy.details.get("payment_account")
    if changed:
        return str(changed["masked"])
    return ctx.session.scalar(
        select(Payment.account_masked)
        .where(Payment.policy_id == policy.id, Payment.direction == "in")
        .order_by(Payment.id)
        .limit(1)
    )


def change_payment_account(
    ctx: ServiceContext, policy: Policy, overview: HouseholdOut, channel: Channel, data: PaymentAccountIn
) -> ServiceRequest:
    """The policyholder's own card for later premiums, with the debit authorisation.

    The number is stored only encrypted (AES-GCM, associated data ``payments.account`` like ``Payment.account_enc``,
    so billing can copy it into a payment as is) in ``Policy.details["payment_account"]``; the request keeps the
    masked form only."""
    number, problems = _card(data.account)
    if not data.debit_authorised:
        problems.append(
            problem("debit_authorised", "consent_missing", "请授权从该账户扣缴续期保费", "Authorise the premium debit")
        )
    raise_if(problems)
    assert number is not None
    masked = mask_bank_card(number)
    previous = current_account_masked(ctx, policy)
    payload = {"account_masked": masked, "debit_authorised": True, "holder_person_id": policy.policyholder_person_id}
    row = open_request(ctx, policy, ServicingItem.PAYMENT_ACCOUNT, channel, payload)
    sealed = ctx.cipher.encrypt(ACCOUNT_COLUMN, number)
    policy.details = {
        **policy.details,
        "payment_account": {
            "account_enc_b64": base64.b64encode(sealed).decode("ascii"),
            "column": ACCOUNT_COLUMN,
            "masked": masked,
            "holder_person_id": policy.policyholder_person_id,
            "since": ctx.clock.today().isoformat(),
            "service_request_id": row.id,
        },
    }
    finish(ctx, policy, row, {"account_masked": masked, "previous_masked": previous})
    return row
